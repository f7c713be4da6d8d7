/**
 * Acknowledgement frames (protocol reference §8): MessageType `acknowledge`, SequenceNumber 0, Flags 3,
 * PayloadType 0, a fresh MessageId, and the JSON naming the acknowledged message.
 *
 * Every received stream message costs one ack, so this is on the receive hot path: the JSON is written
 * byte by byte into a scratch buffer from cached ASCII pieces (the encoder copies the payload into the
 * frame), which gives exactly the bytes of `encodeAcknowledge` for the usual arguments (a hyphenated hex
 * MessageId, a plain MessageType); anything else goes through `encodeAcknowledge` itself.
 */
import type { AgentMessageInit } from '../codec/agent-message.js';
import { encodeAgentMessage } from '../codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../codec/constants.js';
import { encodeAcknowledge } from '../codec/payloads/acknowledge.js';
import type { EngineIo } from './engine-io.js';

/** Builds the frame acknowledging stream message `sequenceNumber`/`messageId` of type `ackedType`. */
export function encodeAckFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock' | 'defaultIds'>,
  ackedType: string,
  sequenceNumber: number,
  messageId: string,
): Uint8Array {
  const init: AgentMessageInit = {
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    payloadType: PayloadType.Undefined,
    payload:
      ackPayload(ackedType, sequenceNumber, messageId) ??
      encodeAcknowledge({
        acknowledgedMessageType: ackedType,
        acknowledgedMessageId: messageId,
        acknowledgedMessageSequenceNumber: sequenceNumber,
      }),
    createdDate: io.wallClock(),
    flags: HeaderFlag.Ack,
  };
  if (io.defaultIds !== true) init.messageId = io.randomId();
  return encodeAgentMessage(init);
}

const ID_LENGTH = 36;
const MIDDLE = ascii('","AcknowledgedMessageSequenceNumber":');
const TAIL = ascii(',"IsSequentialMessage":true}');
/** Digits of Number.MAX_SAFE_INTEGER. */
const MAX_DIGITS = 16;

/**
 * Per acknowledged type, a scratch buffer holding the constant parts: the head
 * `{"AcknowledgedMessageType":"<type>","AcknowledgedMessageId":"`, room for the 36-character id, and
 * `","AcknowledgedMessageSequenceNumber":`; a call writes the id, the digits and the tail. A few plain
 * types only (the engines use two).
 */
interface AckTemplate {
  readonly buffer: Uint8Array;
  readonly idAt: number;
  readonly digitsAt: number;
  /** The finished payload for each number of digits (1..16): views made once, not per ack. */
  readonly views: readonly Uint8Array[];
}
const templates = new Map<string, AckTemplate>();
const MAX_TEMPLATES = 8;
const PLAIN_TYPE = /^[A-Za-z0-9_]{1,64}$/;

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function templateFor(ackedType: string): AckTemplate | undefined {
  const known = templates.get(ackedType);
  if (known !== undefined || templates.size >= MAX_TEMPLATES || !PLAIN_TYPE.test(ackedType)) return known;
  const head = ascii(`{"AcknowledgedMessageType":"${ackedType}","AcknowledgedMessageId":"`);
  const idAt = head.length;
  const digitsAt = idAt + ID_LENGTH + MIDDLE.length;
  const buffer = new Uint8Array(digitsAt + MAX_DIGITS + TAIL.length);
  buffer.set(head, 0);
  buffer.set(MIDDLE, idAt + ID_LENGTH);
  const views = Array.from({ length: MAX_DIGITS + 1 }, (_, digits) =>
    buffer.subarray(0, digitsAt + digits + TAIL.length),
  );
  const made = { buffer, idAt, digitsAt, views };
  templates.set(ackedType, made);
  return made;
}

/** Whether a char code may appear in the id unescaped: hex digits (either case) and `-`. */
function isIdChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c === 0x2d;
}

/**
 * The acknowledge JSON as a view of a shared scratch buffer (valid until the next call), or undefined
 * when the arguments need `encodeAcknowledge` (escaping, validation errors).
 */
function ackPayload(ackedType: string, seq: number, messageId: string): Uint8Array | undefined {
  if (messageId.length !== ID_LENGTH || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  const template = templateFor(ackedType);
  if (template === undefined) return undefined;
  const { buffer: out, idAt } = template;
  for (let i = 0; i < ID_LENGTH; i++) {
    const c = messageId.charCodeAt(i);
    if (!isIdChar(c)) return undefined;
    out[idAt + i] = c;
  }
  // Decimal digits, most significant first.
  let digits = 1;
  for (let rest = Math.floor(seq / 10); rest > 0; rest = Math.floor(rest / 10)) digits++;
  let n = template.digitsAt + digits;
  for (let rest = seq, at = n - 1; at >= template.digitsAt; at--) {
    out[at] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  for (let i = 0; i < TAIL.length; i++) out[n++] = TAIL[i]!;
  return template.views[digits];
}

/**
 * Acknowledgement frames (protocol reference §8): MessageType `acknowledge`, SequenceNumber 0, Flags 3,
 * PayloadType 0, a fresh MessageId, and the JSON naming the acknowledged message.
 *
 * Every received stream message costs one ack, so this is on the receive hot path. For the usual arguments
 * (a hyphenated hex MessageId, a plain MessageType, a safe sequence number) the whole frame is written in
 * place: one copy of a per-type prefix (the constant header fields and the JSON up to the id), the id and
 * the digits, the tail, then the digest and PayloadLength. The bytes are exactly those of
 * `encodeAgentMessage(… encodeAcknowledge(…))`; anything else goes through those two functions.
 */

import type { AgentFrame } from '../codec/agent-frame.js';
import type { AgentMessageInit } from '../codec/agent-message.js';
import { encodeAgentMessage } from '../codec/agent-message-encode.js';
import { FRAME_HEADER_SIZE, HeaderFlag, MessageType, PayloadType } from '../codec/constants.js';
import { writeSha256 } from '../codec/digest.js';
import { allocateFrame } from '../codec/frame-allocator.js';
import { Offset } from '../codec/layout.js';
import { encodeAcknowledge } from '../codec/payloads/acknowledge.js';
import { writeInt64, writeUint32 } from '../codec/primitives.js';
import { writeMessageId, writeMessageIdText, writeRandomMessageId } from '../codec/uuid.js';
import type { EngineIo } from './engine-io.js';

/** Builds the frame acknowledging stream message `sequenceNumber`/`messageId` of type `ackedType`. */
export function encodeAckFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock' | 'defaultIds'>,
  ackedType: string,
  sequenceNumber: number,
  messageId: string,
): Uint8Array {
  return (
    fastAckFrame(io, ackedType, sequenceNumber, messageId, undefined) ??
    slowAckFrame(io, ackedType, sequenceNumber, messageId)
  );
}

/**
 * Builds the frame acknowledging `message`, whose MessageId is written into the JSON straight from the 16
 * wire bytes of its frame (no UUID string is made). The same bytes as {@link encodeAckFrame} with
 * `message.messageId`.
 */
export function encodeAckFrameFor(
  io: Pick<EngineIo, 'randomId' | 'wallClock' | 'defaultIds'>,
  message: AgentFrame,
): Uint8Array {
  const { messageType, sequenceNumber } = message;
  return (
    fastAckFrame(io, messageType, sequenceNumber, undefined, message.frame) ??
    slowAckFrame(io, messageType, sequenceNumber, message.messageId)
  );
}

function slowAckFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock' | 'defaultIds'>,
  ackedType: string,
  sequenceNumber: number,
  messageId: string,
): Uint8Array {
  const init: AgentMessageInit = {
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    payloadType: PayloadType.Undefined,
    payload: encodeAcknowledge({
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

/**
 * The 120-byte header of every ack, from the encoder itself: HeaderLength 116, `acknowledge` space-padded,
 * SchemaVersion 1, SequenceNumber 0, Flags 3, PayloadType 0. CreatedDate, MessageId, PayloadDigest and
 * PayloadLength are overwritten for each ack.
 */
const ACK_HEADER = encodeAgentMessage({
  messageType: MessageType.Acknowledge,
  sequenceNumber: 0,
  payloadType: PayloadType.Undefined,
  payload: new Uint8Array(0),
  createdDate: 1,
  flags: HeaderFlag.Ack,
  messageId: '00000000-0000-4000-8000-000000000001',
}).slice(0, FRAME_HEADER_SIZE);

/**
 * Per acknowledged type, the constant start of the frame: {@link ACK_HEADER}, the JSON
 * `{"AcknowledgedMessageType":"<type>","AcknowledgedMessageId":"`, room for the 36-character id (at
 * `length - ID_LENGTH - MIDDLE.length`) and `","AcknowledgedMessageSequenceNumber":`. A few plain types
 * only (the engines use two).
 */
const prefixes = new Map<string, Uint8Array>();
const MAX_PREFIXES = 8;
const PLAIN_TYPE = /^[A-Za-z0-9_]{1,64}$/;

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function prefixFor(ackedType: string): Uint8Array | undefined {
  const known = prefixes.get(ackedType);
  if (known !== undefined || prefixes.size >= MAX_PREFIXES || !PLAIN_TYPE.test(ackedType)) return known;
  const head = ascii(`{"AcknowledgedMessageType":"${ackedType}","AcknowledgedMessageId":"`);
  const prefix = new Uint8Array(FRAME_HEADER_SIZE + head.length + ID_LENGTH + MIDDLE.length);
  prefix.set(ACK_HEADER, 0);
  prefix.set(head, FRAME_HEADER_SIZE);
  prefix.set(MIDDLE, FRAME_HEADER_SIZE + head.length + ID_LENGTH);
  prefixes.set(ackedType, prefix);
  return prefix;
}

/** Whether a char code may appear in the id unescaped: hex digits (either case) and `-`. */
function isIdChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c === 0x2d;
}

/**
 * The whole ack frame written in place, or undefined when the arguments need the codec (escaping,
 * validation errors). The acknowledged id is `messageId`, or else the MessageId field of `ackedFrame`.
 * Frame layout: prefix (header, JSON head, id, MIDDLE) | digits | TAIL.
 */
function fastAckFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock' | 'defaultIds'>,
  ackedType: string,
  seq: number,
  messageId: string | undefined,
  ackedFrame: Uint8Array | undefined,
): Uint8Array | undefined {
  if (messageId === undefined ? ackedFrame === undefined : messageId.length !== ID_LENGTH) return undefined;
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  const prefix = prefixFor(ackedType);
  if (prefix === undefined) return undefined;
  // An out-of-range clock value is the codec's to refuse.
  const createdDate = io.wallClock();
  if (!Number.isSafeInteger(createdDate) || createdDate < 1) return undefined;
  let digits = 1;
  for (let power = 10; power <= seq; power *= 10) digits++;
  const payloadLength = prefix.length - FRAME_HEADER_SIZE + digits + TAIL.length;
  // Uninitialised memory: every byte is written below (or the frame is abandoned unused).
  const frame = allocateFrame(FRAME_HEADER_SIZE + payloadLength);
  frame.set(prefix, 0);
  const idAt = prefix.length - ID_LENGTH - MIDDLE.length;
  if (messageId === undefined) {
    writeMessageIdText(ackedFrame!, Offset.MessageId, frame, idAt);
  } else {
    for (let i = 0; i < ID_LENGTH; i++) {
      const c = messageId.charCodeAt(i);
      if (!isIdChar(c)) return undefined;
      frame[idAt + i] = c;
    }
  }
  let at = prefix.length;
  // Decimal digits, most significant first.
  for (let rest = seq, d = at + digits - 1; d >= at; d--) {
    const next = Math.floor(rest / 10);
    frame[d] = 0x30 + (rest - next * 10);
    rest = next;
  }
  at += digits;
  for (let i = 0; i < TAIL.length; i++) frame[at++] = TAIL[i]!;
  // 40: CreatedDate; 64: MessageId; 80: SHA-256 of the payload; 116: PayloadLength.
  writeInt64(frame, Offset.CreatedDate, createdDate);
  if (io.defaultIds === true) writeRandomMessageId(frame, Offset.MessageId);
  else writeMessageId(frame, Offset.MessageId, io.randomId());
  const payload = new Uint8Array(frame.buffer, frame.byteOffset + FRAME_HEADER_SIZE, payloadLength);
  writeSha256(payload, frame, Offset.PayloadDigest);
  writeUint32(frame, Offset.PayloadLength, payloadLength);
  return frame;
}

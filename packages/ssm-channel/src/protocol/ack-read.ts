/**
 * Reading acknowledgements on the hot path. Every message sent is acknowledged, so every keystroke and
 * every input frame brings one back. Official writers (Go's `json.Marshal` of the agent's struct, and our
 * own encoder) always produce the same shape:
 *
 *   {"AcknowledgedMessageType":"<type>","AcknowledgedMessageId":"<id>",
 *    "AcknowledgedMessageSequenceNumber":<n>,"IsSequentialMessage":true|false}
 *
 * That exact shape (no whitespace, plain printable ASCII strings without escapes, a decimal integer without
 * sign, fraction or leading zero) is read here by comparing bytes; anything else goes through the codec's
 * `decodeAcknowledge`, which handles every valid JSON and throws on invalid payloads. Both give the same
 * result for the shape read here.
 */
import { decodeAcknowledge } from '../codec/payloads/acknowledge.js';

/** The two fields of an acknowledgement that receivers use. */
export interface AckedMessage {
  /** AcknowledgedMessageSequenceNumber. */
  readonly sequenceNumber: number;
  /** AcknowledgedMessageId as written (may be empty). */
  readonly messageId: string;
}

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const OPEN = ascii('{"AcknowledgedMessageType":"');
const AFTER_TYPE = ascii('","AcknowledgedMessageId":"');
const AFTER_ID = ascii('","AcknowledgedMessageSequenceNumber":');
const TAIL_TRUE = ascii(',"IsSequentialMessage":true}');
const TAIL_FALSE = ascii(',"IsSequentialMessage":false}');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Digits of Number.MAX_SAFE_INTEGER. */
const MAX_DIGITS = 16;

/**
 * Reads an acknowledge payload.
 * @throws {SsmProtocolError} as `decodeAcknowledge` does, for payloads it refuses.
 */
export function readAcknowledge(payload: Uint8Array): AckedMessage {
  const fast = readCanonicalAck(payload);
  if (fast !== undefined) return fast;
  const ack = decodeAcknowledge(payload);
  return { sequenceNumber: ack.acknowledgedMessageSequenceNumber, messageId: ack.acknowledgedMessageId };
}

/** Whether `bytes` occur in `payload` at `at`. */
function matches(payload: Uint8Array, at: number, bytes: Uint8Array): boolean {
  if (at + bytes.length > payload.length) return false;
  for (let i = 0; i < bytes.length; i++) if (payload[at + i] !== bytes[i]) return false;
  return true;
}

/** End (index of the closing quote) of a plain string starting at `at`, or -1. */
function plainStringEnd(payload: Uint8Array, at: number): number {
  for (let i = at; i < payload.length; i++) {
    const c = payload[i]!;
    if (c === QUOTE) return i;
    // Control characters, escapes and non-ASCII bytes are left to the JSON parser.
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return -1;
  }
  return -1;
}

/** The canonical shape read byte by byte, or undefined when the payload has any other form. */
function readCanonicalAck(payload: Uint8Array): AckedMessage | undefined {
  if (!matches(payload, 0, OPEN)) return undefined;
  const typeEnd = plainStringEnd(payload, OPEN.length);
  if (typeEnd < 0 || !matches(payload, typeEnd, AFTER_TYPE)) return undefined;
  const idStart = typeEnd + AFTER_TYPE.length;
  const idEnd = plainStringEnd(payload, idStart);
  if (idEnd < 0 || !matches(payload, idEnd, AFTER_ID)) return undefined;
  const digitsStart = idEnd + AFTER_ID.length;
  let at = digitsStart;
  let seq = 0;
  while (at < payload.length && at - digitsStart < MAX_DIGITS) {
    const c = payload[at]!;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    at++;
  }
  const digits = at - digitsStart;
  if (digits === 0 || (digits > 1 && payload[digitsStart] === 0x30) || !Number.isSafeInteger(seq)) {
    return undefined;
  }
  const tail = matches(payload, at, TAIL_TRUE)
    ? TAIL_TRUE
    : matches(payload, at, TAIL_FALSE)
      ? TAIL_FALSE
      : undefined;
  if (tail === undefined || at + tail.length !== payload.length) return undefined;
  return {
    sequenceNumber: seq,
    messageId: String.fromCharCode.apply(null, payload.subarray(idStart, idEnd) as unknown as number[]),
  };
}

/**
 * Acknowledge payload (MessageType `acknowledge`, PayloadType 0), section 8:
 * `{"AcknowledgedMessageType":s,"AcknowledgedMessageId":s,"AcknowledgedMessageSequenceNumber":n,"IsSequentialMessage":b}`.
 */
import { allocateFrame } from '../frame-allocator.js';
import { Offset } from '../layout.js';
import { writeMessageIdText } from '../uuid.js';
import {
  asciiBytes,
  booleanField,
  goJson,
  integerField,
  isPlainText,
  jsonFields,
  parseJson,
  requireShape,
  stringField,
  utf8Bytes,
  writeAscii,
} from './json.js';

/** The content of an acknowledge message. */
export interface AcknowledgeContent {
  /** MessageType of the acknowledged message. */
  acknowledgedMessageType: string;
  /** MessageId of the acknowledged message (canonical UUID on the wire; any string is decoded). */
  acknowledgedMessageId: string;
  /** SequenceNumber of the acknowledged message, 0..2^53-1: the only field receivers use. */
  acknowledgedMessageSequenceNumber: number;
  /** Always `true` from official writers; ignored by receivers. */
  isSequentialMessage: boolean;
}

const WHAT = 'acknowledge';
const FIELDS = [
  'AcknowledgedMessageType',
  'AcknowledgedMessageId',
  'AcknowledgedMessageSequenceNumber',
  'IsSequentialMessage',
] as const;

/** The constant parts of the JSON, around the type, the id, the sequence number and the flag. */
const OPEN = asciiBytes('{"AcknowledgedMessageType":"');
const AFTER_TYPE = asciiBytes('","AcknowledgedMessageId":"');
const AFTER_ID = asciiBytes('","AcknowledgedMessageSequenceNumber":');
const TAIL_TRUE = asciiBytes(',"IsSequentialMessage":true}');
const TAIL_FALSE = asciiBytes(',"IsSequentialMessage":false}');

/** What an acknowledgement names; `isSequentialMessage` @default true */
export type AcknowledgeInit = Omit<AcknowledgeContent, 'isSequentialMessage'> & {
  isSequentialMessage?: boolean;
};

/**
 * The acknowledged MessageId as the JSON carries it: a string, or the frame whose 16 wire bytes at offset
 * 64 hold it (written as hex without making a string).
 */
export type AckedId = string | { readonly frame: Uint8Array };

/**
 * Encodes an acknowledge payload with the four fields in the official order and casing. The bytes may
 * share memory with other payloads and frames (see `encodeAgentMessage`).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for non-string type/id or a sequence number outside
 * 0..2^53-1.
 */
export function encodeAcknowledge(content: AcknowledgeInit): Uint8Array {
  const type = content.acknowledgedMessageType;
  const id = content.acknowledgedMessageId;
  const seq = content.acknowledgedMessageSequenceNumber;
  requireShape(
    typeof type === 'string' && typeof id === 'string' && Number.isSafeInteger(seq) && seq >= 0,
    WHAT,
    'expected string type and id and a sequence number in 0..2^53-1',
  );
  const sequential = content.isSequentialMessage ?? true;
  const length = isPlainText(id) ? plainAcknowledgeLength(type, id, seq, sequential) : -1;
  if (length < 0) {
    return utf8Bytes(
      `{"AcknowledgedMessageType":${goJson(type, WHAT)},"AcknowledgedMessageId":${goJson(id, WHAT)},` +
        `"AcknowledgedMessageSequenceNumber":${seq},"IsSequentialMessage":${sequential}}`,
    );
  }
  const out = allocateFrame(length);
  writePlainAcknowledge(out, 0, type, id, seq, sequential);
  return out;
}

/**
 * The payload's length when its strings need no escaping (a message type and a UUID, as on every ack), or
 * -1. A frame's id always needs none; a string id must have been checked with `isPlainText`. The sequence
 * number must be a safe non-negative integer.
 */
export function plainAcknowledgeLength(type: string, id: AckedId, seq: number, sequential: boolean): number {
  if (!isPlainText(type)) return -1;
  const idLength = typeof id === 'string' ? id.length : UUID_TEXT_LENGTH;
  const tail = sequential ? TAIL_TRUE : TAIL_FALSE;
  return (
    OPEN.length + type.length + AFTER_TYPE.length + idLength + AFTER_ID.length + digitCount(seq) + tail.length
  );
}

/**
 * Writes the payload at `at`, for fields whose {@link plainAcknowledgeLength} is not -1: the constant parts,
 * and the type, id and sequence number between them, as bytes.
 */
export function writePlainAcknowledge(
  target: Uint8Array,
  at: number,
  type: string,
  id: AckedId,
  seq: number,
  sequential: boolean,
): void {
  target.set(OPEN, at);
  let end = writeAscii(target, at + OPEN.length, type);
  target.set(AFTER_TYPE, end);
  end += AFTER_TYPE.length;
  if (typeof id === 'string') {
    end = writeAscii(target, end, id);
  } else {
    writeMessageIdText(id.frame, Offset.MessageId, target, end);
    end += UUID_TEXT_LENGTH;
  }
  target.set(AFTER_ID, end);
  end += AFTER_ID.length;
  // Decimal digits, most significant first.
  const digits = digitCount(seq);
  for (let rest = seq, d = end + digits - 1; d >= end; d--) {
    const next = Math.floor(rest / 10);
    target[d] = 0x30 + (rest - next * 10);
    rest = next;
  }
  target.set(sequential ? TAIL_TRUE : TAIL_FALSE, end + digits);
}

/** Characters of a canonical UUID. */
const UUID_TEXT_LENGTH = 36;

/** Decimal digits of a non-negative safe integer. */
function digitCount(n: number): number {
  let digits = 1;
  for (let power = 10; power <= n; power *= 10) digits++;
  return digits;
}

/**
 * Decodes an acknowledge payload; missing fields default to `''`, 0 and `false` (as in Go).
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for wrong JSON types or a
 * sequence number outside 0..2^53-1.
 */
export function decodeAcknowledge(payload: Uint8Array): AcknowledgeContent {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  return {
    acknowledgedMessageType: stringField(f.AcknowledgedMessageType, WHAT),
    acknowledgedMessageId: stringField(f.AcknowledgedMessageId, WHAT),
    acknowledgedMessageSequenceNumber: integerField(
      f.AcknowledgedMessageSequenceNumber,
      0,
      Number.MAX_SAFE_INTEGER,
      WHAT,
    ),
    isSequentialMessage: booleanField(f.IsSequentialMessage, WHAT),
  };
}

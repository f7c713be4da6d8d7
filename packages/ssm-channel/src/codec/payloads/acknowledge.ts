/**
 * Acknowledge payload (MessageType `acknowledge`, PayloadType 0), section 8:
 * `{"AcknowledgedMessageType":s,"AcknowledgedMessageId":s,"AcknowledgedMessageSequenceNumber":n,"IsSequentialMessage":b}`.
 */
import { allocateFrame } from '../frame-allocator.js';
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

/**
 * Encodes an acknowledge payload with the four fields in the official order and casing. The bytes may
 * share memory with other payloads and frames (see `encodeAgentMessage`).
 * @param content `isSequentialMessage` @default true
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for non-string type/id or a sequence number outside
 * 0..2^53-1.
 */
export function encodeAcknowledge(
  content: Omit<AcknowledgeContent, 'isSequentialMessage'> & { isSequentialMessage?: boolean },
): Uint8Array {
  const seq = content.acknowledgedMessageSequenceNumber;
  requireShape(
    typeof content.acknowledgedMessageType === 'string' &&
      typeof content.acknowledgedMessageId === 'string' &&
      Number.isSafeInteger(seq) &&
      seq >= 0,
    WHAT,
    'expected string type and id and a sequence number in 0..2^53-1',
  );
  const sequential = content.isSequentialMessage ?? true;
  const type = content.acknowledgedMessageType;
  const id = content.acknowledgedMessageId;
  if (!isPlainText(type) || !isPlainText(id)) {
    return utf8Bytes(
      `{"AcknowledgedMessageType":${goJson(type, WHAT)},"AcknowledgedMessageId":${goJson(id, WHAT)},"AcknowledgedMessageSequenceNumber":${seq},"IsSequentialMessage":${sequential}}`,
    );
  }
  // Every message received costs an ack: plain fields (a message type, a UUID) are written as bytes
  // between the constant parts, without building the JSON text.
  const digits = String(seq);
  const tail = sequential ? TAIL_TRUE : TAIL_FALSE;
  const out = allocateFrame(
    OPEN.length + type.length + AFTER_TYPE.length + id.length + AFTER_ID.length + digits.length + tail.length,
  );
  out.set(OPEN, 0);
  let at = writeAscii(out, OPEN.length, type);
  out.set(AFTER_TYPE, at);
  at = writeAscii(out, at + AFTER_TYPE.length, id);
  out.set(AFTER_ID, at);
  at = writeAscii(out, at + AFTER_ID.length, digits);
  out.set(tail, at);
  return out;
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

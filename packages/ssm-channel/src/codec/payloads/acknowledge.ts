/**
 * Acknowledge payload (MessageType `acknowledge`, PayloadType 0), section 8:
 * `{"AcknowledgedMessageType":s,"AcknowledgedMessageId":s,"AcknowledgedMessageSequenceNumber":n,"IsSequentialMessage":b}`.
 */
import {
  booleanField,
  goJson,
  integerField,
  jsonFields,
  parseJson,
  requireShape,
  stringField,
  utf8Bytes,
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

/**
 * Encodes an acknowledge payload with the four fields in the official order and casing.
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
  return utf8Bytes(
    `{"AcknowledgedMessageType":${goJson(content.acknowledgedMessageType, WHAT)},"AcknowledgedMessageId":${goJson(
      content.acknowledgedMessageId,
      WHAT,
    )},"AcknowledgedMessageSequenceNumber":${seq},"IsSequentialMessage":${sequential ? 'true' : 'false'}}`,
  );
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

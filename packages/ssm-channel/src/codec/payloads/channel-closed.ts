/**
 * channel_closed payload (service -> client, MessageType `channel_closed`), section 14.6:
 * `{"MessageId":s,"CreatedDate":s,"DestinationId":s,"SessionId":s,"MessageType":s,"SchemaVersion":n,"Output":s}`.
 */
import { goJson, integerField, jsonFields, parseJson, requireShape, stringField, utf8Bytes } from './json.js';

/** The content of a channel_closed message. */
export interface ChannelClosed {
  /** A UUID (any string is decoded). */
  messageId: string;
  /** A **string** (epoch milliseconds as text or a date like `2018-01-01`; the real format is unconfirmed). */
  createdDate: string;
  /** The session target. */
  destinationId: string;
  /** The session id. */
  sessionId: string;
  /** `channel_closed`. */
  messageType: string;
  /** 1; a safe integer. */
  schemaVersion: number;
  /** Optional reason shown to the user (`''` when absent; the agent's struct has no such field). */
  output: string;
}

const WHAT = 'channel_closed';
const FIELDS = [
  'MessageId',
  'CreatedDate',
  'DestinationId',
  'SessionId',
  'MessageType',
  'SchemaVersion',
  'Output',
] as const;
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Decodes a channel_closed payload; missing fields read as `''` and 0.
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for wrong JSON types (for
 * example a numeric `CreatedDate`, which Go also refuses).
 */
export function decodeChannelClosed(payload: Uint8Array): ChannelClosed {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  return {
    messageId: stringField(f.MessageId, WHAT),
    createdDate: stringField(f.CreatedDate, WHAT),
    destinationId: stringField(f.DestinationId, WHAT),
    sessionId: stringField(f.SessionId, WHAT),
    messageType: stringField(f.MessageType, WHAT),
    schemaVersion: integerField(f.SchemaVersion, -SAFE, SAFE, WHAT),
    output: stringField(f.Output, WHAT),
  };
}

/**
 * Encodes a channel_closed payload in the plugin struct's field order.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for non-string fields or a non-integer schemaVersion.
 */
export function encodeChannelClosed(content: ChannelClosed): Uint8Array {
  const strings = [
    content.messageId,
    content.createdDate,
    content.destinationId,
    content.sessionId,
    content.messageType,
    content.output,
  ];
  requireShape(
    strings.every((s) => typeof s === 'string') && Number.isSafeInteger(content.schemaVersion),
    WHAT,
    'expected string fields and an integer schemaVersion',
  );
  return utf8Bytes(
    `{"MessageId":${goJson(content.messageId, WHAT)},"CreatedDate":${goJson(content.createdDate, WHAT)},` +
      `"DestinationId":${goJson(content.destinationId, WHAT)},"SessionId":${goJson(content.sessionId, WHAT)},` +
      `"MessageType":${goJson(content.messageType, WHAT)},"SchemaVersion":${content.schemaVersion},` +
      `"Output":${goJson(content.output, WHAT)}}`,
  );
}

/**
 * OpenDataChannel: the first (text) WebSocket frame, section 3.3:
 * `{"MessageSchemaVersion":s,"RequestId":s,"TokenValue":s,"ClientId":s,"ClientVersion":s}`
 * (ClientId and ClientVersion omitted when not given). The decoded object hides the token from
 * `util.inspect`, and no error ever quotes the frame.
 */
import { OPEN_DATA_CHANNEL_SCHEMA_VERSION } from '../constants.js';
import { goJson, jsonFields, parseJson, requireShape, stringField } from './json.js';

/** The content of an OpenDataChannel frame. */
export interface OpenDataChannel {
  /** @default '1.0' on encode */
  messageSchemaVersion?: string;
  /** A fresh UUID per frame. */
  requestId: string;
  /** The StartSession/ResumeSession token: a secret. */
  tokenValue: string;
  /** A per-process UUID, reused across reconnects; omitted when absent. */
  clientId?: string;
  /** The client's version; omitted when absent. */
  clientVersion?: string;
}

const WHAT = 'OpenDataChannel';
const FIELDS = ['MessageSchemaVersion', 'RequestId', 'TokenValue', 'ClientId', 'ClientVersion'] as const;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Encodes the OpenDataChannel text frame (a JSON string).
 * @param frame `messageSchemaVersion` @default '1.0'
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` when a field is not a string.
 */
export function encodeOpenDataChannel(frame: OpenDataChannel): string {
  const version = frame.messageSchemaVersion ?? OPEN_DATA_CHANNEL_SCHEMA_VERSION;
  const { requestId, tokenValue, clientId, clientVersion } = frame;
  requireShape(
    typeof version === 'string' &&
      typeof requestId === 'string' &&
      typeof tokenValue === 'string' &&
      (clientId === undefined || typeof clientId === 'string') &&
      (clientVersion === undefined || typeof clientVersion === 'string'),
    WHAT,
    'fields must be strings',
  );
  let text = `{"MessageSchemaVersion":${goJson(version, WHAT)},"RequestId":${goJson(requestId, WHAT)},"TokenValue":${goJson(tokenValue, WHAT)}`;
  if (clientId !== undefined) text += `,"ClientId":${goJson(clientId, WHAT)}`;
  if (clientVersion !== undefined) text += `,"ClientVersion":${goJson(clientVersion, WHAT)}`;
  return `${text}}`;
}

/**
 * Decodes an OpenDataChannel frame (text, or its UTF-8 bytes). Missing required fields read as `''`;
 * missing ClientId/ClientVersion are left out. Other keys (e.g. the agent's ClientInstanceId) are ignored.
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for non-string fields.
 */
export function decodeOpenDataChannel(frame: string | Uint8Array): OpenDataChannel {
  const f = jsonFields(parseJson(frame, WHAT), FIELDS, WHAT);
  const result: OpenDataChannel = {
    messageSchemaVersion: stringField(f.MessageSchemaVersion, WHAT),
    requestId: stringField(f.RequestId, WHAT),
    tokenValue: stringField(f.TokenValue, WHAT),
  };
  if (f.ClientId !== undefined && f.ClientId !== null) result.clientId = stringField(f.ClientId, WHAT);
  if (f.ClientVersion !== undefined && f.ClientVersion !== null) {
    result.clientVersion = stringField(f.ClientVersion, WHAT);
  }
  Object.defineProperty(result, inspectSymbol, {
    enumerable: false,
    value: () => ({ ...result, tokenValue: '<redacted>' }),
  });
  return result;
}

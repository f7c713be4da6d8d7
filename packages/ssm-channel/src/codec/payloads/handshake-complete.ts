/**
 * HandshakeComplete payload (agent -> client, PayloadType 7), section 12.5:
 * `{"HandshakeTimeToComplete":<int64 ns>,"CustomerMessage":s}`.
 */
import { goJson, integerField, jsonFields, parseJson, requireShape, stringField, utf8Bytes } from './json.js';

/** The content of a HandshakeComplete. */
export interface HandshakeComplete {
  /** How long the handshake took on the agent, in **nanoseconds** (a Go `time.Duration`). */
  handshakeTimeToComplete: number;
  /** A message for the user, often empty. */
  customerMessage: string;
}

const WHAT = 'handshake complete';
const FIELDS = ['HandshakeTimeToComplete', 'CustomerMessage'] as const;
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Decodes a HandshakeComplete; missing fields read as 0 and `''`.
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for wrong JSON types or a
 * duration that is not a safe integer.
 */
export function decodeHandshakeComplete(payload: Uint8Array): HandshakeComplete {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  return {
    handshakeTimeToComplete: integerField(f.HandshakeTimeToComplete, -SAFE, SAFE, WHAT),
    customerMessage: stringField(f.CustomerMessage, WHAT),
  };
}

/**
 * Encodes a HandshakeComplete (what the agent, or an emulator of it, sends).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for a non-integer duration or a non-string message.
 */
export function encodeHandshakeComplete(content: HandshakeComplete): Uint8Array {
  requireShape(
    Number.isSafeInteger(content.handshakeTimeToComplete) && typeof content.customerMessage === 'string',
    WHAT,
    'expected an integer duration and a string message',
  );
  return utf8Bytes(
    `{"HandshakeTimeToComplete":${content.handshakeTimeToComplete},"CustomerMessage":${goJson(content.customerMessage, WHAT)}}`,
  );
}

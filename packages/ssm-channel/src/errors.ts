/**
 * Errors of the `ssm-channel` package. Every error carries a stable string `code`; match on it, not on
 * the message. The package README lists every code.
 */

/** Codes of {@link SsmProtocolError}: the peer (or the caller) broke the wire format or the protocol. */
export type SsmProtocolErrorCode =
  // codec: frame layout
  | 'FRAME_TOO_SHORT'
  | 'HEADER_LENGTH_OUT_OF_RANGE'
  | 'PAYLOAD_LENGTH_MISMATCH'
  | 'DIGEST_MISMATCH'
  | 'MESSAGE_TYPE_MISSING'
  | 'MESSAGE_TYPE_INVALID'
  | 'SEQUENCE_NUMBER_OUT_OF_RANGE'
  | 'CREATED_DATE_OUT_OF_RANGE'
  | 'FLAGS_OUT_OF_RANGE'
  | 'FIELD_OUT_OF_RANGE'
  | 'MESSAGE_ID_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'OFFSET_OUT_OF_RANGE'
  // codec: payloads
  | 'PAYLOAD_JSON_INVALID'
  | 'PAYLOAD_SHAPE_INVALID'
  // protocol engine
  | 'HANDSHAKE_FAILED'
  | 'KMS_ENCRYPTION_UNSUPPORTED'
  | 'RETRANSMIT_GIVE_UP';

/** Codes of {@link SsmChannelError} raised outside the wire format (transport, limits, lifecycle). */
export type SsmChannelErrorCode =
  | SsmProtocolErrorCode
  | 'INVALID_ARGUMENT'
  | 'INSECURE_URL'
  | 'CONNECT_TIMEOUT'
  | 'CONNECT_FAILED'
  | 'AUTH_FAILED'
  | 'CONNECTION_LOST'
  | 'PEER_UNRESPONSIVE'
  | 'HANDSHAKE_TIMEOUT'
  | 'RECONNECT_FAILED'
  | 'FRAME_TOO_LARGE'
  | 'BUFFER_LIMIT_EXCEEDED'
  | 'ABORTED'
  | 'CHANNEL_CLOSED';

/**
 * Brands that `instanceof` checks instead of the prototype chain: an error made by another copy of this
 * package (two versions in one `node_modules` tree) is still an `SsmChannelError`. Registered symbols, so
 * every copy uses the same ones.
 */
const CHANNEL_ERROR = Symbol.for('ssm-channel.SsmChannelError');
const PROTOCOL_ERROR = Symbol.for('ssm-channel.SsmProtocolError');

/** Marks `error` with `brand` (not enumerable: `inspect` and JSON do not show it). */
export function brand(error: Error, mark: symbol): void {
  Object.defineProperty(error, mark, { value: true });
}

/** Whether `value` carries `brand`. */
export function branded(value: unknown, mark: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true;
}

/**
 * Base class of every error thrown or emitted by `ssm-channel`.
 * `cause` keeps the underlying error where there is one. `instanceof` works across copies of the package.
 */
export class SsmChannelError extends Error {
  /** True for an error of this class (or a subclass), from any copy of the package: checked by brand. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, CHANNEL_ERROR);
  }

  override name = 'SsmChannelError';
  /** A stable identifier of the failure; see the package README for the list. */
  readonly code: SsmChannelErrorCode;

  constructor(code: SsmChannelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    brand(this, CHANNEL_ERROR);
  }
}

/**
 * A violation of the SSM data channel wire format or protocol, by the peer or by the caller's input.
 * The codec throws nothing else for any input.
 */
export class SsmProtocolError extends SsmChannelError {
  /** True for an `SsmProtocolError` from any copy of the package: checked by brand. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, PROTOCOL_ERROR);
  }

  override name = 'SsmProtocolError';
  declare readonly code: SsmProtocolErrorCode;

  constructor(code: SsmProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    brand(this, PROTOCOL_ERROR);
  }
}

/** Longest text of the peer (the agent or the service) that a message quotes. */
export const MAX_QUOTED_TEXT = 200;

/**
 * Text of the peer as an error message may quote it: control characters (terminal escapes, line breaks) and
 * bidirectional overrides removed, cut to {@link MAX_QUOTED_TEXT} characters.
 */
export function peerText(text: string): string {
  const clean = text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '');
  return clean.length > MAX_QUOTED_TEXT ? `${clean.slice(0, MAX_QUOTED_TEXT)}…` : clean;
}

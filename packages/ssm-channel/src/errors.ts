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
 * Base class of every error thrown or emitted by `ssm-channel`.
 * `cause` keeps the underlying error where there is one.
 */
export class SsmChannelError extends Error {
  override name = 'SsmChannelError';
  /** A stable identifier of the failure; see the package README for the list. */
  readonly code: SsmChannelErrorCode;

  constructor(code: SsmChannelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A violation of the SSM data channel wire format or protocol, by the peer or by the caller's input.
 * The codec throws nothing else for any input.
 */
export class SsmProtocolError extends SsmChannelError {
  override name = 'SsmProtocolError';
  declare readonly code: SsmProtocolErrorCode;

  constructor(code: SsmProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * The agent message model shared by the encoder and the decoder.
 */

/**
 * A decoded binary agent message (one WebSocket binary frame).
 *
 * `payload` and `payloadDigest` returned by {@link decodeAgentMessage} are zero-copy views of the decoded
 * frame: copy them (`slice()`) before reusing the frame's memory.
 */
export interface AgentMessage {
  /** HeaderLength as read (112..116); every header byte before PayloadLength. */
  readonly headerLength: number;
  /** MessageType text, padding trimmed (any non-empty string on decode). */
  readonly messageType: string;
  /** SchemaVersion (uint32; 1 on every official message; informational). */
  readonly schemaVersion: number;
  /** CreatedDate in milliseconds since the Unix epoch (1..2^53-1). */
  readonly createdDate: number;
  /** SequenceNumber (0..2^53-1); 0 on acks and other unsequenced messages. */
  readonly sequenceNumber: number;
  /** Header Flags (0..2^53-1): bit 0 SYN, bit 1 FIN; informational. */
  readonly flags: number;
  /** MessageId as a canonical lower-case UUID. */
  readonly messageId: string;
  /** The 32-byte PayloadDigest field as carried. */
  readonly payloadDigest: Uint8Array;
  /** PayloadType (uint32); 0 when the header is shorter than 116 bytes. */
  readonly payloadType: number;
  /** PayloadLength; always equal to `payload.length` after decoding. */
  readonly payloadLength: number;
  /** The payload bytes. */
  readonly payload: Uint8Array;
}

/** What {@link encodeAgentMessage} needs; everything else is defaulted or computed. */
export interface AgentMessageInit {
  /** MessageType: printable ASCII without spaces, 1..32 characters. */
  messageType: string;
  /** SequenceNumber, an integer in 0..2^53-1. */
  sequenceNumber: number;
  /** PayloadType, an integer in 0..2^32-1. */
  payloadType: number;
  /** The payload; may be empty (unlike the official serializers, which fail on an empty payload). */
  payload: Uint8Array;
  /** SchemaVersion, an integer in 0..2^32-1. @default 1 */
  schemaVersion?: number;
  /** CreatedDate in ms since the epoch, an integer in 1..2^53-1. @default Date.now() */
  createdDate?: number;
  /** Header Flags, an integer in 0..2^53-1. @default 0 */
  flags?: number;
  /** MessageId, a canonical non-nil UUID (either case). @default a fresh random v4 UUID */
  messageId?: string;
}

/** Options of {@link decodeAgentMessage}. */
export interface DecodeAgentMessageOptions {
  /**
   * Check that the PayloadDigest is SHA-256 of the payload when the payload is not empty (as the official
   * client does).
   * @default true
   */
  verifyDigest?: boolean;
}

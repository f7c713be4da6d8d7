/**
 * Byte offsets of the agent message header (section 4.1 of the protocol reference). All integers are
 * big-endian.
 *
 * ```
 *   0  4 HeaderLength    uint32 (116 written; 112..116 accepted)
 *   4 32 MessageType     ASCII, space-padded
 *  36  4 SchemaVersion   uint32
 *  40  8 CreatedDate     uint64, ms since the epoch
 *  48  8 SequenceNumber  int64
 *  56  8 Flags           uint64
 *  64 16 MessageId       UUID, half-swapped
 *  80 32 PayloadDigest   SHA-256 of the payload
 * 112  4 PayloadType     uint32 (only when HeaderLength >= 116)
 * 116  4 PayloadLength   uint32 (at offset HeaderLength)
 * 120  n Payload         (at offset HeaderLength + 4)
 * ```
 */
export const Offset = {
  HeaderLength: 0,
  MessageType: 4,
  SchemaVersion: 36,
  CreatedDate: 40,
  SequenceNumber: 48,
  Flags: 56,
  MessageId: 64,
  PayloadDigest: 80,
  PayloadType: 112,
  PayloadLength: 116,
  Payload: 120,
} as const;

/** Largest value of a 32-bit unsigned field. */
export const MAX_UINT32 = 0xffff_ffff;

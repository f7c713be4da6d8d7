/**
 * Agent message decoder. A hostile peer controls every byte: any input yields a message or an
 * {@link SsmProtocolError}; the work is one pass over the header plus one SHA-256 of the payload, and the
 * only allocations are the result object, two views of the frame and three short strings (MessageId,
 * the digest, an unknown MessageType).
 */
import { SsmProtocolError } from '../errors.js';
import type { AgentMessage, DecodeAgentMessageOptions } from './agent-message.js';
import { HEADER_LENGTH, MessageType, MIN_HEADER_LENGTH } from './constants.js';
import { DIGEST_SIZE, sha256Matches } from './digest.js';
import { Offset } from './layout.js';
import { readMessageType } from './message-type.js';
import { readInt64, readUint32, readUint64 } from './primitives.js';
import { readMessageId } from './uuid.js';

/**
 * Decodes one binary agent message (section 4). Reads HeaderLength at 0 and accepts 112..116; PayloadLength
 * is read at offset HeaderLength and the payload starts at HeaderLength + 4; PayloadType is read at 112 only
 * when HeaderLength >= 116 (else 0). PayloadLength must equal the bytes that follow (the official readers do
 * not check this). The MessageType is trimmed of NULs, then whitespace, at both ends. Like the official
 * client, `start_publication` and `pause_publication` are not validated: CreatedDate may be 0 and the digest
 * is not checked.
 *
 * `payload` and `payloadDigest` are zero-copy views of `frame`.
 *
 * @param options.verifyDigest check SHA-256 when the payload is not empty. @default true
 * @throws {SsmProtocolError} `FRAME_TOO_SHORT` (shorter than 116 bytes or than HeaderLength + 4);
 * `HEADER_LENGTH_OUT_OF_RANGE` (not 112..116); `PAYLOAD_LENGTH_MISMATCH`; `MESSAGE_TYPE_MISSING` (empty
 * after trimming); `CREATED_DATE_OUT_OF_RANGE` (0, or beyond 2^53-1); `SEQUENCE_NUMBER_OUT_OF_RANGE`
 * (negative or beyond 2^53-1); `FLAGS_OUT_OF_RANGE` (beyond 2^53-1); `DIGEST_MISMATCH`.
 */
export function decodeAgentMessage(frame: Uint8Array, options?: DecodeAgentMessageOptions): AgentMessage {
  const size = frame.length;
  if (size < MIN_HEADER_LENGTH + 4) {
    throw new SsmProtocolError('FRAME_TOO_SHORT', `A ${size}-byte frame is shorter than the smallest header`);
  }
  // 0: HeaderLength uint32, the offset of PayloadLength.
  const headerLength = readUint32(frame, Offset.HeaderLength);
  if (headerLength < MIN_HEADER_LENGTH || headerLength > HEADER_LENGTH) {
    throw new SsmProtocolError(
      'HEADER_LENGTH_OUT_OF_RANGE',
      `HeaderLength ${headerLength} is not in 112..116`,
    );
  }
  const payloadStart = headerLength + 4;
  if (size < payloadStart) {
    throw new SsmProtocolError(
      'FRAME_TOO_SHORT',
      `A ${size}-byte frame ends inside its ${payloadStart}-byte header`,
    );
  }
  // HeaderLength: PayloadLength uint32, then the payload up to the end of the frame.
  const payloadLength = readUint32(frame, headerLength);
  if (payloadLength !== size - payloadStart) {
    throw new SsmProtocolError(
      'PAYLOAD_LENGTH_MISMATCH',
      `PayloadLength ${payloadLength} differs from the ${size - payloadStart} payload bytes carried`,
    );
  }
  // 4: MessageType, 32 bytes.
  const messageType = readMessageType(frame);
  // The official client skips validation for the service's publication messages (§4.8), whose CreatedDate
  // and digest nothing documents; so do we, so that a start_publication is never lost.
  const unvalidated =
    messageType === MessageType.StartPublication || messageType === MessageType.PausePublication;
  // 40: CreatedDate uint64 (ms).
  const createdDate = readUint64(frame, Offset.CreatedDate);
  if (createdDate === undefined || (createdDate === 0 && !unvalidated)) {
    throw new SsmProtocolError('CREATED_DATE_OUT_OF_RANGE', 'CreatedDate is 0 or beyond 2^53-1');
  }
  // 48: SequenceNumber int64.
  const sequenceNumber = readInt64(frame, Offset.SequenceNumber);
  if (sequenceNumber === undefined || sequenceNumber < 0) {
    throw new SsmProtocolError('SEQUENCE_NUMBER_OUT_OF_RANGE', 'SequenceNumber is negative or beyond 2^53-1');
  }
  // 56: Flags uint64.
  const flags = readUint64(frame, Offset.Flags);
  if (flags === undefined) throw new SsmProtocolError('FLAGS_OUT_OF_RANGE', 'Flags is beyond 2^53-1');
  // Plain Uint8Array views: Buffer#subarray would go through the slower species constructor.
  const payload = new Uint8Array(frame.buffer, frame.byteOffset + payloadStart, payloadLength);
  // 80: PayloadDigest, 32 bytes; checked only for a non-empty payload, as the official client does.
  if (
    payloadLength !== 0 &&
    !unvalidated &&
    options?.verifyDigest !== false &&
    !sha256Matches(payload, frame, Offset.PayloadDigest)
  ) {
    throw new SsmProtocolError('DIGEST_MISMATCH', 'PayloadDigest is not the SHA-256 of the payload');
  }
  return {
    headerLength,
    messageType,
    // 36: SchemaVersion uint32.
    schemaVersion: readUint32(frame, Offset.SchemaVersion),
    createdDate,
    sequenceNumber,
    flags,
    // 64: MessageId, 16 bytes half-swapped.
    messageId: readMessageId(frame, Offset.MessageId),
    payloadDigest: new Uint8Array(frame.buffer, frame.byteOffset + Offset.PayloadDigest, DIGEST_SIZE),
    // 112: PayloadType uint32, present only in a 116-byte header.
    payloadType: headerLength >= HEADER_LENGTH ? readUint32(frame, Offset.PayloadType) : 0,
    payloadLength,
    payload,
  };
}

/**
 * The decoder's result as a class: the validated fields, with the MessageId string, the PayloadDigest
 * view and SchemaVersion read only when asked for. The client's receive path acknowledges from the raw
 * MessageId bytes ({@link AgentFrame.frame} at {@link Offset.MessageId}) and never needs the string.
 * A hostile peer controls every byte: any input yields a frame or an {@link SsmProtocolError}; the work is
 * one pass over the header plus one SHA-256 of the payload.
 */
import { SsmProtocolError } from '../errors.js';
import type { AgentMessage, DecodeAgentMessageOptions } from './agent-message.js';
import { HEADER_LENGTH, MessageType, MIN_HEADER_LENGTH } from './constants.js';
import { DIGEST_SIZE, sha256Matches } from './digest.js';
import { Offset } from './layout.js';
import { readMessageType } from './message-type.js';
import { readInt64, readUint32, readUint64 } from './primitives.js';
import { readMessageId } from './uuid.js';

/** A decoded agent message that keeps its frame; the rarely used fields are read lazily. */
export class AgentFrame implements AgentMessage {
  /** The whole decoded frame (the payload and the lazy fields are read from it). */
  readonly frame: Uint8Array;
  readonly headerLength: number;
  readonly messageType: string;
  readonly createdDate: number;
  readonly sequenceNumber: number;
  readonly flags: number;
  readonly payloadType: number;
  readonly payload: Uint8Array;

  /** Made by {@link decodeAgentFrame} once the frame is validated. */
  constructor(
    frame: Uint8Array,
    headerLength: number,
    messageType: string,
    createdDate: number,
    sequenceNumber: number,
    flags: number,
    payloadType: number,
    payload: Uint8Array,
  ) {
    this.frame = frame;
    this.headerLength = headerLength;
    this.messageType = messageType;
    this.createdDate = createdDate;
    this.sequenceNumber = sequenceNumber;
    this.flags = flags;
    this.payloadType = payloadType;
    this.payload = payload;
  }

  /** PayloadLength; always equal to `payload.length`. */
  get payloadLength(): number {
    return this.payload.length;
  }

  /** 36: SchemaVersion uint32. */
  get schemaVersion(): number {
    return readUint32(this.frame, Offset.SchemaVersion);
  }

  /** 64: MessageId, 16 bytes half-swapped, as a canonical lower-case UUID. */
  get messageId(): string {
    return readMessageId(this.frame, Offset.MessageId);
  }

  /** 80: the 32-byte PayloadDigest field, a view of the frame. */
  get payloadDigest(): Uint8Array {
    const f = this.frame;
    return new Uint8Array(f.buffer, f.byteOffset + Offset.PayloadDigest, DIGEST_SIZE);
  }
}

/**
 * Decodes one binary agent message (section 4) into an {@link AgentFrame}, with the checks and errors of
 * `decodeAgentMessage` (which returns this frame's fields as a plain object); MessageId, PayloadDigest and
 * SchemaVersion are read only when asked for. `payload` is a zero-copy view of `frame`, which the result keeps.
 *
 * @param options.verifyDigest check SHA-256 when the payload is not empty. @default true
 * @throws {SsmProtocolError} as `decodeAgentMessage`.
 */
export function decodeAgentFrame(frame: Uint8Array, options?: DecodeAgentMessageOptions): AgentFrame {
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
  return new AgentFrame(
    frame,
    headerLength,
    messageType,
    createdDate,
    sequenceNumber,
    flags,
    // 112: PayloadType uint32, present only in a 116-byte header.
    headerLength >= HEADER_LENGTH ? readUint32(frame, Offset.PayloadType) : 0,
    payload,
  );
}

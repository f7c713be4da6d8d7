/**
 * Agent message encoder: writes the 120-byte header (HeaderLength 116) followed by the payload.
 */
import { SsmProtocolError } from '../errors.js';
import type { AgentMessageInit } from './agent-message.js';
import { FRAME_HEADER_SIZE, HEADER_LENGTH } from './constants.js';
import { writeSha256 } from './digest.js';
import { allocateFrame } from './frame-allocator.js';
import { MAX_UINT32, Offset } from './layout.js';
import { messageTypeField } from './message-type.js';
import { writeInt64, writeUint32 } from './primitives.js';
import { writeMessageId, writeRandomMessageId } from './uuid.js';

function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

function isSafeUint(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** Bytes 0..39 of a frame for one MessageType field: HeaderLength 116, the padded type, SchemaVersion 1. */
const HEAD_TEMPLATES = new WeakMap<Uint8Array, Uint8Array>();

function headTemplate(typeField: Uint8Array): Uint8Array {
  let head = HEAD_TEMPLATES.get(typeField);
  if (head === undefined) {
    head = new Uint8Array(Offset.CreatedDate);
    writeUint32(head, Offset.HeaderLength, HEADER_LENGTH);
    head.set(typeField, Offset.MessageType);
    writeUint32(head, Offset.SchemaVersion, 1);
    HEAD_TEMPLATES.set(typeField, head);
  }
  return head;
}

/**
 * Encodes one agent message into a new frame of `120 + payload.length` bytes, the layout of section 4.1:
 * HeaderLength 116, MessageType space-padded to 32 bytes, SchemaVersion, CreatedDate, SequenceNumber, Flags,
 * the half-swapped MessageId, SHA-256 of the payload, PayloadType, PayloadLength, payload.
 *
 * An empty payload is encoded (PayloadLength 0, digest SHA-256 of nothing); the official serializers fail
 * on it instead.
 *
 * The frame is a `Uint8Array` that, up to 4 KiB, shares a 32 KiB `ArrayBuffer` slab with other frames (as
 * `Buffer.allocUnsafe` does with its 8 KiB pool): use `byteOffset`/`byteLength` when reaching for `.buffer`.
 *
 * @throws {SsmProtocolError} `MESSAGE_TYPE_MISSING` / `MESSAGE_TYPE_INVALID` (empty, over 32 bytes, not
 * printable ASCII without spaces); `SEQUENCE_NUMBER_OUT_OF_RANGE` (not an integer in 0..2^53-1);
 * `CREATED_DATE_OUT_OF_RANGE` (not in 1..2^53-1: the official receivers drop CreatedDate 0);
 * `FLAGS_OUT_OF_RANGE` (not in 0..2^53-1); `FIELD_OUT_OF_RANGE` (schemaVersion or payloadType not a uint32);
 * `MESSAGE_ID_INVALID` (not a canonical non-nil UUID); `PAYLOAD_TOO_LARGE` (over 2^32-1 bytes).
 */
export function encodeAgentMessage(init: AgentMessageInit): Uint8Array {
  const { payload } = init;
  const length = payload.length;
  if (length > MAX_UINT32) {
    throw new SsmProtocolError(
      'PAYLOAD_TOO_LARGE',
      `A payload of ${length} bytes exceeds PayloadLength's 2^32-1`,
    );
  }
  return encodeFrame(init, length, (frame, at) => frame.set(payload, at));
}

/** The header fields of {@link AgentMessageInit}: everything but the payload. */
export type AgentMessageHeader = Omit<AgentMessageInit, 'payload'>;

/**
 * Encodes one agent message whose payload of `payloadLength` bytes `writePayload` writes into the frame at
 * offset 120 (so that a payload codec can write straight into the frame). The header as
 * {@link encodeAgentMessage} writes it; the same checks and errors.
 */
export function encodeFrame(
  header: AgentMessageHeader,
  payloadLength: number,
  writePayload: (frame: Uint8Array, at: number) => void,
): Uint8Array {
  const { sequenceNumber, payloadType } = header;
  const schemaVersion = header.schemaVersion ?? 1;
  const createdDate = header.createdDate ?? Date.now();
  const flags = header.flags ?? 0;
  const typeField = messageTypeField(header.messageType);
  if (!isSafeUint(sequenceNumber)) {
    throw new SsmProtocolError(
      'SEQUENCE_NUMBER_OUT_OF_RANGE',
      `SequenceNumber ${sequenceNumber} is not in 0..2^53-1`,
    );
  }
  if (!isSafeUint(createdDate) || createdDate === 0) {
    throw new SsmProtocolError('CREATED_DATE_OUT_OF_RANGE', `CreatedDate ${createdDate} is not in 1..2^53-1`);
  }
  if (!isSafeUint(flags))
    throw new SsmProtocolError('FLAGS_OUT_OF_RANGE', `Flags ${flags} is not in 0..2^53-1`);
  if (!isUint32(schemaVersion) || !isUint32(payloadType)) {
    throw new SsmProtocolError('FIELD_OUT_OF_RANGE', 'SchemaVersion and PayloadType must be uint32 integers');
  }

  // Uninitialised memory: every one of its bytes is written below.
  const frame = allocateFrame(FRAME_HEADER_SIZE + payloadLength);
  if (header.messageId === undefined) writeRandomMessageId(frame, Offset.MessageId);
  else writeMessageId(frame, Offset.MessageId, header.messageId);
  writePayload(frame, Offset.Payload);
  // 0..39: HeaderLength, MessageType and SchemaVersion 1 in one copy of a per-type template.
  frame.set(headTemplate(typeField), Offset.HeaderLength);
  if (schemaVersion !== 1) writeUint32(frame, Offset.SchemaVersion, schemaVersion);
  writeInt64(frame, Offset.CreatedDate, createdDate);
  writeInt64(frame, Offset.SequenceNumber, sequenceNumber);
  writeInt64(frame, Offset.Flags, flags);
  const payload = new Uint8Array(frame.buffer, frame.byteOffset + Offset.Payload, payloadLength);
  writeSha256(payload, frame, Offset.PayloadDigest);
  writeUint32(frame, Offset.PayloadType, payloadType);
  writeUint32(frame, Offset.PayloadLength, payloadLength);
  return frame;
}

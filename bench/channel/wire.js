// Just enough of the agent side of the wire for the benchmark's sender process: an independent, minimal
// writer of agent messages (so the sender does not depend on the package under test, and the client's
// decoder checks a second implementation), the readers the agent needs to acknowledge input, and the
// pre-encoded ring of WebSocket frames that the blast sender cycles through.
//
// Agent message (big-endian), protocol reference section 4:
//   0 HeaderLength u32 = 116 | 4 MessageType 32 bytes, space-padded | 36 SchemaVersion u32 = 1
//   40 CreatedDate u64 ms | 48 SequenceNumber i64 | 56 Flags u64 | 64 MessageId 16 bytes (UUID bytes 8..15,
//   then 0..7) | 80 SHA-256 of the payload | 112 PayloadType u32 | 116 PayloadLength u32 | 120 payload
import { createHash, randomUUID } from 'node:crypto';

export const HEADER = 120;
export const SEQ_OFFSET = 48;
const TYPE_OFFSET = 4;
const TYPE_SIZE = 32;
const ID_OFFSET = 64;
const DIGEST_OFFSET = 80;
const PAYLOAD_TYPE_OFFSET = 112;
const TWO_32 = 0x1_0000_0000;

/** Writes a non-negative safe integer as a big-endian 64-bit field. */
function writeU64(frame, value, offset) {
  frame.writeUInt32BE(Math.floor(value / TWO_32), offset);
  frame.writeUInt32BE(value % TWO_32, offset + 4);
}

/** Encodes one agent message (any MessageType) as a Buffer. */
export function encodeFrame({ messageType, seq, flags = 0, payloadType, payload, messageId = randomUUID() }) {
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32BE(116, 0);
  frame.fill(0x20, TYPE_OFFSET, TYPE_OFFSET + TYPE_SIZE);
  frame.write(messageType, TYPE_OFFSET, 'latin1');
  frame.writeUInt32BE(1, 36);
  writeU64(frame, Date.now(), 40);
  writeU64(frame, seq, SEQ_OFFSET);
  writeU64(frame, flags, 56);
  const hex = messageId.replaceAll('-', '');
  frame.write(hex.slice(16), ID_OFFSET, 'hex');
  frame.write(hex.slice(0, 16), ID_OFFSET + 8, 'hex');
  createHash('sha256').update(payload).digest().copy(frame, DIGEST_OFFSET);
  frame.writeUInt32BE(payloadType, PAYLOAD_TYPE_OFFSET);
  frame.writeUInt32BE(payload.length, 116);
  frame.set(payload, HEADER);
  return frame;
}

/** The trimmed MessageType of a received frame. */
export function readType(frame) {
  return frame.toString('latin1', TYPE_OFFSET, TYPE_OFFSET + TYPE_SIZE).replace(/[\0 ]+$/, '');
}

export function readSeq(frame) {
  return frame.readUInt32BE(SEQ_OFFSET) * TWO_32 + frame.readUInt32BE(SEQ_OFFSET + 4);
}

export function readPayloadType(frame) {
  return frame.readUInt32BE(PAYLOAD_TYPE_OFFSET);
}

/** The canonical MessageId of a received frame (undoing the half swap). */
export function readMessageId(frame) {
  const hex =
    frame.toString('hex', ID_OFFSET + 8, ID_OFFSET + 16) + frame.toString('hex', ID_OFFSET, ID_OFFSET + 8);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The acknowledge frame (seq 0, Flags 3, PayloadType 0) for a received stream message. */
export function ackFrame(received) {
  const json =
    `{"AcknowledgedMessageType":"${readType(received)}","AcknowledgedMessageId":"${readMessageId(received)}",` +
    `"AcknowledgedMessageSequenceNumber":${readSeq(received)},"IsSequentialMessage":true}`;
  return encodeFrame({
    messageType: 'acknowledge',
    seq: 0,
    flags: 3,
    payloadType: 0,
    payload: Buffer.from(json, 'utf8'),
  });
}

/** An `output_stream_data` frame (PayloadType 1 by default). */
export function outputFrame(seq, payload, payloadType = 1) {
  return encodeFrame({ messageType: 'output_stream_data', seq, payloadType, payload });
}

/** `channel_closed` as the service sends it. */
export function channelClosedFrame(output) {
  const json = JSON.stringify({
    MessageId: randomUUID(),
    CreatedDate: String(Date.now()),
    DestinationId: 'bench',
    SessionId: 'bench-session',
    MessageType: 'channel_closed',
    SchemaVersion: 1,
    Output: output,
  });
  return encodeFrame({ messageType: 'channel_closed', seq: 0, payloadType: 0, payload: Buffer.from(json) });
}

/**
 * Payload bytes of ring frame `index`: a cheap deterministic pattern, so a receiver can recompute the
 * whole stream (frame i of the stream carries ring frame i mod ringFrames).
 */
export function ringPayload(index, size) {
  const payload = Buffer.allocUnsafe(size);
  for (let j = 0; j < size; j += 1) payload[j] = (index * 131 + j * 7 + (j >> 8) * 13) & 0xff;
  return payload;
}

/** The unmasked server-to-client WebSocket header of a binary message of `length` bytes (< 64 KiB). */
export function wsBinaryHeader(length) {
  if (length < 126) return Buffer.from([0x82, length]);
  if (length < 0x1_0000) return Buffer.from([0x82, 126, length >> 8, length & 0xff]);
  throw new RangeError('the bench sends messages under 64 KiB');
}

/**
 * Pre-encodes `chunks` chunks of `framesPerChunk` complete WebSocket messages, each one
 * `output_stream_data` agent message with a `payloadSize`-byte payload. Only the 8 SequenceNumber bytes
 * of a frame change when it is sent again (the digest covers the payload only), so sending costs a
 * patch of 8 bytes per frame and one socket write per chunk.
 */
export function buildRing({ payloadSize, framesPerChunk, chunks }) {
  const frameCount = framesPerChunk * chunks;
  const header = wsBinaryHeader(HEADER + payloadSize);
  const stride = header.length + HEADER + payloadSize;
  const buffer = Buffer.allocUnsafe(stride * frameCount);
  for (let i = 0; i < frameCount; i += 1) {
    const at = i * stride;
    header.copy(buffer, at);
    outputFrame(0, ringPayload(i, payloadSize)).copy(buffer, at + header.length);
  }
  return { buffer, stride, seqAt: header.length + SEQ_OFFSET, framesPerChunk, chunks, frameCount };
}

/** Sets the SequenceNumber of ring frame `index` (mod the ring) to `seq`. */
export function patchSeq(ring, index, seq) {
  const at = index * ring.stride + ring.seqAt;
  ring.buffer.writeUInt32BE(Math.floor(seq / TWO_32), at);
  ring.buffer.writeUInt32BE(seq % TWO_32, at + 4);
}

/** The stream a client receives from `messages` frames of a ring of `ringFrames` frames. */
export function expectedStreamHash(messages, payloadSize, ringFrames) {
  const hash = createHash('sha256');
  const payloads = [];
  for (let i = 0; i < Math.min(messages, ringFrames); i += 1) payloads.push(ringPayload(i, payloadSize));
  for (let i = 0; i < messages; i += 1) hash.update(payloads[i % ringFrames]);
  return hash.digest('hex');
}

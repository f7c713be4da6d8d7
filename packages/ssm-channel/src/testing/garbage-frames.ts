import { encodeAgentMessage } from '../codec/agent-message-encode.js';
import { FRAME_HEADER_SIZE, MessageType, PayloadType } from '../codec/constants.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Kinds of garbage the emulator can send. A correct client drops every one of them without acking:
 * - `random`: 1..256 random bytes;
 * - `truncated`: a valid output frame cut inside its header;
 * - `bad-digest`: an output frame, numbered as the next one expected, whose payload does not match its digest;
 * - `length-mismatch`: an output frame whose PayloadLength says more than it carries;
 * - `unknown-type`: a well-formed frame of an unknown MessageType (ignored);
 * - `text`: a text frame that is not an agent message.
 */
export type GarbageKind = 'random' | 'truncated' | 'bad-digest' | 'length-mismatch' | 'unknown-type' | 'text';

/** Every {@link GarbageKind}. */
export const GARBAGE_KINDS: readonly GarbageKind[] = [
  'random',
  'truncated',
  'bad-digest',
  'length-mismatch',
  'unknown-type',
  'text',
];

/** One garbage WebSocket message. */
export interface GarbageFrame {
  data: Uint8Array | string;
}

/**
 * Builds a garbage message. `nextSequenceNumber` is the agent's next output sequence number, so that a client
 * that wrongly accepts a `bad-digest` frame visibly corrupts its output.
 */
export function makeGarbageFrame(
  kind: GarbageKind,
  random: SeededRandom,
  nextSequenceNumber: number,
): GarbageFrame {
  const payload = random.fill(new Uint8Array(16 + Math.floor(random.next() * 48)));
  const output = (): Uint8Array =>
    encodeAgentMessage({
      messageType: MessageType.OutputStreamData,
      sequenceNumber: nextSequenceNumber,
      payloadType: PayloadType.Output,
      payload,
    });
  switch (kind) {
    case 'random':
      return { data: random.fill(new Uint8Array(1 + Math.floor(random.next() * 256))) };
    case 'truncated':
      return { data: output().subarray(0, 1 + Math.floor(random.next() * (FRAME_HEADER_SIZE - 1))) };
    case 'bad-digest': {
      const frame = output();
      // Payload starts at byte 120; flip one bit of its first byte, leaving the digest (80..111) as it was.
      frame[FRAME_HEADER_SIZE] = (frame[FRAME_HEADER_SIZE] ?? 0) ^ 0x01;
      return { data: frame };
    }
    case 'length-mismatch': {
      const frame = output();
      // PayloadLength: uint32 big-endian at 116..119.
      new DataView(frame.buffer, frame.byteOffset, frame.byteLength).setUint32(116, payload.length + 7);
      return { data: frame };
    }
    case 'unknown-type':
      return {
        data: encodeAgentMessage({
          messageType: 'emulator_garbage',
          sequenceNumber: 0,
          payloadType: PayloadType.Undefined,
          payload,
        }),
      };
    case 'text':
      return { data: 'this is not an agent message {' };
  }
}

/**
 * Frame memory for the encoder. Frames up to {@link MAX_SLAB_FRAME} bytes are carved out of shared,
 * uninitialised slabs of {@link SLAB_SIZE} bytes (the scheme of `Buffer.allocUnsafe`, with a larger slab and
 * plain `Uint8Array` views); larger frames get their own memory. The encoder writes every byte of a frame,
 * so nothing stale is ever exposed.
 *
 * Under Node the memory is not zeroed (`Buffer.allocUnsafeSlow`, through the platform seam); elsewhere it is.
 *
 * A frame keeps its whole slab alive while it is referenced: code that keeps a few frames for a long time
 * among many short-lived ones may `slice()` them.
 */

import { uninitializedMemory } from '#platform';

/** Bytes per slab. */
export const SLAB_SIZE = 32 * 1024;
/** Largest frame served from a slab. */
export const MAX_SLAB_FRAME = 4 * 1024;

let slab = new ArrayBuffer(0);
let used = 0;

/** Returns `size` bytes of uninitialised memory as a `Uint8Array` (every byte must be written). */
export function allocateFrame(size: number): Uint8Array {
  if (size > MAX_SLAB_FRAME) return new Uint8Array(uninitializedMemory(size), 0, size);
  if (used + size > slab.byteLength) {
    slab = uninitializedMemory(SLAB_SIZE);
    used = 0;
  }
  const frame = new Uint8Array(slab, used, size);
  // Keep the next frame 8-byte aligned.
  used = (used + size + 7) & ~7;
  return frame;
}

/**
 * The platform seam outside Node (browsers, workers, any runtime without the `node` export condition):
 * SHA-256 from `@noble/hashes` (synchronous, as the codec needs), random bytes and UUIDs from the Web
 * Crypto `crypto.getRandomValues`, which every such runtime has, in secure and insecure contexts alike.
 * Same exports as `node.ts`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** Writes SHA-256(`data`) into `target` at `offset` (32 bytes, unchecked). */
export function writeSha256(data: Uint8Array, target: Uint8Array, offset: number): void {
  target.set(sha256(data), offset);
}

/** Whether the 32 bytes of `target` at `offset` are SHA-256(`data`) (unchecked offset). */
export function sha256Matches(data: Uint8Array, target: Uint8Array, offset: number): boolean {
  const digest = sha256(data);
  for (let i = 0; i < 32; i++) {
    if (target[offset + i] !== digest[i]) return false;
  }
  return true;
}

/** Largest request `getRandomValues` serves in one call. */
const RANDOM_CHUNK = 65_536;

/** Fills `bytes` with cryptographically strong random bytes. */
export function fillRandom(bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += RANDOM_CHUNK) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + RANDOM_CHUNK)));
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A fresh random UUID v4, canonical lower-case. Built from `getRandomValues` rather than
 * `crypto.randomUUID`, which browsers offer in secure contexts only.
 */
export function randomUUID(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX[b[i]!];
  }
  return text;
}

/** `size` bytes of memory that need not be zeroed (here always zeroed: there is nothing cheaper). */
export function uninitializedMemory(size: number): ArrayBuffer {
  return new ArrayBuffer(size);
}

/** Nothing to do: a page or worker does not exit for want of pending timers. */
export function unrefTimer(_timer: ReturnType<typeof setTimeout>): void {}

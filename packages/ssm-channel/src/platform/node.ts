/**
 * The platform seam under Node: SHA-256, random bytes, UUIDs and frame memory from `node:crypto` and
 * `Buffer`. The package's `imports` map gives `#platform` this file under the `node` condition and
 * `web.ts` elsewhere; both export the same functions (checked by `platform-agreement.test.ts`).
 *
 * SHA-256 uses the one-shot `crypto.hash` (Node >= 20.12) with a `latin1` string result: one char per
 * digest byte. Asking `crypto.hash` for a Buffer instead costs about 0.45 µs more per call on Node 20, more
 * than hashing 1 KiB takes. Older Node versions fall back to `createHash`.
 */
import * as crypto from 'node:crypto';

type HashFn = (algorithm: string, data: Uint8Array, encoding: 'latin1') => string;
const oneShot = (crypto as unknown as { hash?: HashFn }).hash;

/** The digest as a 32-character string whose char codes are the digest bytes. */
const digestText: (data: Uint8Array) => string =
  typeof oneShot === 'function'
    ? (data) => oneShot('sha256', data, 'latin1')
    : (data) => crypto.createHash('sha256').update(data).digest().toString('latin1');

/** Writes SHA-256(`data`) into `target` at `offset` (32 bytes, unchecked). */
export function writeSha256(data: Uint8Array, target: Uint8Array, offset: number): void {
  const text = digestText(data);
  for (let i = 0; i < 32; i++) target[offset + i] = text.charCodeAt(i);
}

/** Whether the 32 bytes of `target` at `offset` are SHA-256(`data`) (unchecked offset). */
export function sha256Matches(data: Uint8Array, target: Uint8Array, offset: number): boolean {
  const text = digestText(data);
  for (let i = 0; i < 32; i++) {
    if (target[offset + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Fills `bytes` with cryptographically strong random bytes. */
export function fillRandom(bytes: Uint8Array): void {
  crypto.randomFillSync(bytes);
}

/** A fresh random UUID v4, canonical lower-case. */
export const randomUUID: () => string = crypto.randomUUID;

/** `size` bytes of memory that need not be zeroed (every byte is written before it is read). */
export function uninitializedMemory(size: number): ArrayBuffer {
  return Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
}

/** Lets the process exit while only `timer` is pending (the socket is what keeps a channel's process alive). */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  timer.unref();
}

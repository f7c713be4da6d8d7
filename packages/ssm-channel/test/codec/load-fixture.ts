/** Reads a golden-vector file from `test/fixtures/` (copied verbatim from the shared vectors). */
import { readFileSync } from 'node:fs';

/** Parses `test/fixtures/<name>` as JSON. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Bytes of a lower-case hex string. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** UTF-8 bytes of a string (a JSON payload written by hand). */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A payload's bytes as UTF-8 text. */
export function text(payload: Uint8Array): string {
  return new TextDecoder().decode(payload);
}

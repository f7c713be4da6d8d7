import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
// The seam as the codec imports it (node.ts in the `node` project, web.ts in `web-platform`), and both
// implementations directly.
import * as seam from '#platform';
import * as nodePlatform from '../../src/platform/node.js';
import * as webPlatform from '../../src/platform/web.js';
import { fromHex, loadFixture, toHex } from '../codec/load-fixture.js';

const implementations = [
  ['node', nodePlatform],
  ['web', webPlatform],
] as const;
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface MessageVector {
  id: string;
  fields: { payloadHex: string; payloadDigestHex: string; payloadDigestIsSha256OfPayload: boolean };
}
const { vectors } = loadFixture<{ vectors: MessageVector[] }>('messages.json');

test('each project runs the codec on the implementation its name says', ({ task }) => {
  const expected = task.file.projectName === 'web-platform' ? webPlatform : nodePlatform;
  expect(task.file.projectName).toMatch(/^(node|web-platform)$/);
  expect(seam.writeSha256).toBe(expected.writeSha256);
  expect(seam.fillRandom).toBe(expected.fillRandom);
});

describe.each(implementations)('%s implementation', (_name, p) => {
  test('SHA-256 of every golden vector payload is its digest field', () => {
    let checked = 0;
    for (const v of vectors) {
      if (!v.fields.payloadDigestIsSha256OfPayload) continue;
      const out = new Uint8Array(40);
      p.writeSha256(fromHex(v.fields.payloadHex), out, 4);
      expect(toHex(out.subarray(4, 36)), v.id).toBe(v.fields.payloadDigestHex);
      expect(p.sha256Matches(fromHex(v.fields.payloadHex), fromHex(v.fields.payloadDigestHex), 0)).toBe(true);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  test('SHA-256 agrees with node:crypto on arbitrary bytes, and a changed digest byte does not match', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4200 }), fc.integer({ min: 0, max: 31 }), (data, flip) => {
        const out = new Uint8Array(32);
        p.writeSha256(data, out, 0);
        expect(toHex(out)).toBe(sha256Hex(data));
        expect(p.sha256Matches(data, out, 0)).toBe(true);
        out[flip]! ^= 1;
        expect(p.sha256Matches(data, out, 0)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('SHA-256 agrees with node:crypto at every padding boundary and on a large input', () => {
    const bytes = new Uint8Array(1_048_583);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 9)) & 0xff;
    // Every length 0..200 (rest 55/56/63/64 of a block, one or two padding blocks), then 1 MiB + 7 bytes.
    const lengths = [...Array.from({ length: 201 }, (_, n) => n), bytes.length];
    for (const n of lengths) {
      const data = bytes.subarray(0, n);
      const out = new Uint8Array(34);
      p.writeSha256(data, out, 1);
      expect(toHex(out.subarray(1, 33)), `${n} bytes`).toBe(sha256Hex(data));
      expect(p.sha256Matches(data, out, 1), `${n} bytes`).toBe(true);
    }
  });

  test('fillRandom fills every byte, also past 64 KiB (one getRandomValues call)', () => {
    const bytes = new Uint8Array(200_000);
    p.fillRandom(bytes);
    // Each 4 KiB block of real randomness has some non-zero byte.
    for (let at = 0; at < bytes.length; at += 4096) {
      expect(bytes.subarray(at, at + 4096).some((b) => b !== 0)).toBe(true);
    }
  });

  test('randomUUID gives distinct canonical v4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => p.randomUUID()));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  test('uninitializedMemory gives an ArrayBuffer of the size asked', () => {
    expect(p.uninitializedMemory(4096)).toBeInstanceOf(ArrayBuffer);
    expect(p.uninitializedMemory(4096).byteLength).toBe(4096);
  });
});

/**
 * The transport's own client framing (transport/masked-frame-batch.ts): every frame parses back, per
 * RFC 6455 §5.2, to the payload given, masked with a fresh key; one write per event-loop turn; nothing
 * after a close.
 */
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MaskedFrameBatch } from '../../src/transport/masked-frame-batch.js';

interface FakeSocket {
  readonly writes: Buffer[];
  destroyed: boolean;
  write(chunk: Buffer, callback: () => void): boolean;
}

function fakeSocket(): FakeSocket {
  const writes: Buffer[] = [];
  return {
    writes,
    destroyed: false,
    write(chunk, callback) {
      // Copy: the batch must not rely on the bytes being consumed at once, nor change them later.
      writes.push(Buffer.from(chunk));
      queueMicrotask(callback);
      return true;
    },
  };
}

interface Parsed {
  payload: Buffer;
  key: number;
}

/** Parses client frames (FIN, binary, masked) back to their payloads; throws on anything else. */
function parseFrames(bytes: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let at = 0;
  while (at < bytes.length) {
    expect(bytes[at]).toBe(0x82);
    const second = bytes[at + 1]!;
    expect(second & 0x80).toBe(0x80);
    let length = second & 0x7f;
    at += 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at);
      expect(length).toBeGreaterThanOrEqual(126);
      at += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at));
      expect(length).toBeGreaterThanOrEqual(65_536);
      at += 8;
    }
    const key = bytes.subarray(at, at + 4);
    at += 4;
    const payload = Buffer.alloc(length);
    for (let i = 0; i < length; i++) payload[i] = bytes[at + i]! ^ key[i & 3]!;
    out.push({ payload, key: key.readUInt32BE(0) });
    at += length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

function batchOn(socket: FakeSocket, isOpen = () => true): MaskedFrameBatch {
  return new MaskedFrameBatch(socket as unknown as Socket, isOpen, () => undefined);
}

/** Lets the batch's `setImmediate` run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MaskedFrameBatch', () => {
  /** Adds the payloads, lets the loop turn end, and returns what the socket got, parsed. */
  async function roundTrip(payloads: Uint8Array[]): Promise<{ frames: Parsed[]; writes: number }> {
    const socket = fakeSocket();
    const batch = batchOn(socket);
    let expectedBytes = 0;
    for (const payload of payloads) {
      batch.add(payload);
      const n = payload.length;
      expectedBytes += 6 + (n < 126 ? 0 : n < 65_536 ? 2 : 8) + n;
    }
    // A frame that does not fit the slab's rest writes the frames before it at once.
    const written = (): number => socket.writes.reduce((sum, w) => sum + w.length, 0);
    expect(batch.pendingBytes + written()).toBe(expectedBytes);
    await tick();
    expect(batch.pendingBytes).toBe(0);
    expect(written()).toBe(expectedBytes);
    return { frames: parseFrames(Buffer.concat(socket.writes)), writes: socket.writes.length };
  }

  test('frames any small payloads, at every alignment, into one write per loop turn', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }),
        async (payloads) => {
          const { frames, writes } = await roundTrip(payloads);
          expect(frames.map((f) => f.payload)).toEqual(payloads.map((p) => Buffer.from(p)));
          // One write; two when the shared slab filled up on the way.
          expect(writes).toBeLessThanOrEqual(2);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('uses the 7-bit, 16-bit and 64-bit length forms at their boundaries', async () => {
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 70_001, 3];
    const payloads = lengths.map((n, i) => Uint8Array.from({ length: n }, (_, j) => (j * 7 + i) & 0xff));
    const { frames } = await roundTrip(payloads);
    expect(frames.map((f) => f.payload)).toEqual(payloads.map((p) => Buffer.from(p)));
  });

  test('draws a fresh masking key for every frame', async () => {
    const socket = fakeSocket();
    const batch = batchOn(socket);
    for (let i = 0; i < 3_000; i++) batch.add(new Uint8Array([1, 2, 3, 4, 5]));
    await tick();
    const keys = new Set(parseFrames(Buffer.concat(socket.writes)).map((f) => f.key));
    // 3,000 random 32-bit keys: a repeat is possible, many are not.
    expect(keys.size).toBeGreaterThan(2_990);
  });

  test('keeps the frames of two sockets apart while they share the slab', async () => {
    const a = fakeSocket();
    const b = fakeSocket();
    const batchA = batchOn(a);
    const batchB = batchOn(b);
    for (let i = 0; i < 50; i++) {
      batchA.add(new Uint8Array(200 + i).fill(0xa));
      batchB.add(new Uint8Array(100 + i).fill(0xb));
    }
    await tick();
    const fromA = parseFrames(Buffer.concat(a.writes)).map((f) => f.payload);
    const fromB = parseFrames(Buffer.concat(b.writes)).map((f) => f.payload);
    expect(fromA).toEqual(Array.from({ length: 50 }, (_, i) => Buffer.alloc(200 + i, 0xa)));
    expect(fromB).toEqual(Array.from({ length: 50 }, (_, i) => Buffer.alloc(100 + i, 0xb)));
  });

  test('flush() writes at once; nothing is written once the WebSocket is not open; discard() drops', async () => {
    const socket = fakeSocket();
    let open = true;
    const batch = batchOn(socket, () => open);
    batch.add(new Uint8Array([1]));
    batch.flush();
    expect(socket.writes).toHaveLength(1);
    open = false;
    batch.add(new Uint8Array([2]));
    await tick();
    expect(socket.writes).toHaveLength(1);
    expect(batch.pendingBytes).toBe(0);
    open = true;
    batch.add(new Uint8Array([3]));
    batch.discard();
    await tick();
    expect(socket.writes).toHaveLength(1);
    socket.destroyed = true;
    batch.add(new Uint8Array([4]));
    batch.flush();
    expect(socket.writes).toHaveLength(1);
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  type AgentMessageInit,
  decodeAgentMessage,
  encodeAgentMessage,
  MessageType,
  SsmProtocolError,
} from 'ssm-channel';
import { describe, expect, test } from 'vitest';

/** 10,000 runs per property in CI, fewer locally. */
const RUNS = Number(process.env.PROP_RUNS ?? (process.env.CI ? 10_000 : 1_000));
const BIG_RUNS = process.env.CI ? 60 : 15;

const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 32,
});
const messageType = fc.oneof(fc.constantFrom(...Object.values(MessageType)), printable);
const uuid = fc.uuid().filter((id) => id !== '00000000-0000-0000-0000-000000000000');
const safeUint = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

function initWith(payload: fc.Arbitrary<Uint8Array>): fc.Arbitrary<AgentMessageInit> {
  return fc.record(
    {
      messageType,
      sequenceNumber: fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), safeUint),
      payloadType: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 0xffffffff })),
      payload,
      schemaVersion: fc.integer({ min: 0, max: 0xffffffff }),
      createdDate: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      flags: fc.oneof(fc.constantFrom(0, 1, 2, 3), safeUint),
      messageId: uuid,
    },
    { requiredKeys: ['messageType', 'sequenceNumber', 'payloadType', 'payload'] },
  );
}

/** Fills `size` bytes from a xorshift generator: big payloads without generating them byte by byte. */
function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

function checkRoundTrip(init: AgentMessageInit): void {
  const frame = encodeAgentMessage(init);
  expect(frame.length).toBe(120 + init.payload.length);
  const m = decodeAgentMessage(frame);
  expect(m.headerLength).toBe(116);
  expect(m.messageType).toBe(init.messageType);
  expect(m.sequenceNumber).toBe(init.sequenceNumber);
  expect(m.payloadType).toBe(init.payloadType);
  expect(m.schemaVersion).toBe(init.schemaVersion ?? 1);
  expect(m.flags).toBe(init.flags ?? 0);
  if (init.createdDate !== undefined) expect(m.createdDate).toBe(init.createdDate);
  if (init.messageId !== undefined) expect(m.messageId).toBe(init.messageId.toLowerCase());
  expect(m.payloadLength).toBe(init.payload.length);
  expect(Buffer.from(m.payload).equals(Buffer.from(init.payload))).toBe(true);
  expect(Buffer.from(m.payloadDigest).equals(createHash('sha256').update(init.payload).digest())).toBe(true);
  // Re-encoding the decoded message gives the same bytes.
  expect(Buffer.from(encodeAgentMessage(m)).equals(Buffer.from(frame))).toBe(true);
}

/** Decoding must return a message or throw an SsmProtocolError, nothing else. */
function decodesOrProtocolError(frame: Uint8Array): void {
  try {
    const m = decodeAgentMessage(frame);
    expect(m.payload.buffer).toBe(frame.buffer);
    expect(m.payload.length).toBe(m.payloadLength);
    expect(m.headerLength + 4 + m.payloadLength).toBe(frame.length);
  } catch (error) {
    if (!(error instanceof SsmProtocolError)) throw error;
  }
}

describe('agent message properties', () => {
  test('round trip: small payloads (0..256 bytes)', () => {
    fc.assert(fc.property(initWith(fc.uint8Array({ maxLength: 256 })), checkRoundTrip), { numRuns: RUNS });
  });

  test('round trip: payloads up to 256 KiB', () => {
    const big = fc
      .tuple(fc.integer({ min: 0, max: 256 * 1024 }), fc.integer())
      .map(([size, seed]) => pseudoRandomBytes(size, seed));
    fc.assert(fc.property(initWith(big), checkRoundTrip), { numRuns: BIG_RUNS });
  });

  test('the decoder on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), decodesOrProtocolError), { numRuns: RUNS });
  });

  test('the decoder on arbitrary bytes behind a plausible header start', () => {
    const frame = fc
      .tuple(fc.integer({ min: 108, max: 120 }), fc.uint8Array({ minLength: 112, maxLength: 300 }))
      .map(([headerLength, rest]) => {
        const out = Uint8Array.from(rest);
        new DataView(out.buffer).setUint32(0, headerLength);
        return out;
      });
    fc.assert(fc.property(frame, decodesOrProtocolError), { numRuns: RUNS });
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('extend' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    fc.record({ kind: fc.constant('headerLength' as const), value: fc.integer({ min: 110, max: 118 }) }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function mutate(frame: Uint8Array, mutations: Mutation[], fixLengths: boolean): Uint8Array {
    let out = Uint8Array.from(frame);
    for (const m of mutations) {
      if (m.kind === 'set' && out.length > 0) out[m.at % out.length] = m.value;
      else if (m.kind === 'truncate') out = out.subarray(0, m.at % (out.length + 1));
      else if (m.kind === 'extend') out = Uint8Array.from([...out, ...m.bytes]);
      else if (m.kind === 'headerLength' && out.length >= 4)
        new DataView(out.buffer, out.byteOffset).setUint32(0, m.value);
    }
    if (fixLengths && out.length >= 120) {
      // Make PayloadLength and the digest consistent again so that the deeper checks are reached.
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const headerLength = Math.min(Math.max(view.getUint32(0), 112), 116);
      view.setUint32(0, headerLength);
      view.setUint32(headerLength, out.length - headerLength - 4);
      out.set(
        createHash('sha256')
          .update(out.subarray(headerLength + 4))
          .digest(),
        80,
      );
    }
    return out;
  }

  test('the decoder on mutated, truncated and extended valid frames', () => {
    fc.assert(
      fc.property(
        initWith(fc.uint8Array({ maxLength: 64 })),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (init, mutations, fixLengths) =>
          decodesOrProtocolError(mutate(encodeAgentMessage(init), mutations, fixLengths)),
      ),
      { numRuns: RUNS },
    );
  });
});

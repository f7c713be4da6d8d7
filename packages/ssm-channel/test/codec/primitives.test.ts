import type { SsmProtocolErrorCode } from 'ssm-channel';
import { SsmProtocolError } from 'ssm-channel';
import { describe, expect, test } from 'vitest';
import {
  getBytes,
  getInt64,
  getTrimmedString,
  getUint32,
  putBytes,
  putInt64,
  putPaddedString,
  putUint32,
} from '../../src/codec/primitives.js';
import { formatUuid, getUuid, parseUuid, putUuid } from '../../src/codec/uuid.js';
import { fromHex, loadFixture, toHex } from './load-fixture.js';

interface PrimitiveVector {
  id: string;
  op: string;
  input: Record<string, unknown>;
  expect: Record<string, unknown>;
}
const { vectors } = loadFixture<{ vectors: PrimitiveVector[] }>('primitives.json');

/** Go error texts of the official helpers and the codes this codec uses for the same failures. */
const ERROR_CODES: Record<string, SsmProtocolErrorCode> = {
  'Offset is outside': 'OFFSET_OUT_OF_RANGE',
  'Not enough space': 'FIELD_OUT_OF_RANGE',
  null: 'MESSAGE_ID_INVALID',
};

/** Runs one vector's operation; returns what the expectation compares. */
function run(v: PrimitiveVector): Record<string, unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: vector inputs are untyped JSON.
  const i = v.input as Record<string, any>;
  const buffer = i.bufferHex === undefined ? new Uint8Array(16) : fromHex(i.bufferHex);
  const width = (start: number, end: number): number => end - start + 1;
  switch (v.op) {
    case 'putString':
      putPaddedString(buffer, i.start, width(i.start, i.end), i.value);
      return { bufferHex: toHex(buffer) };
    case 'putBytes':
      putBytes(buffer, i.start, fromHex(i.valueHex), width(i.start, i.end));
      return { bufferHex: toHex(buffer) };
    case 'int64ToBigEndian': {
      const out = new Uint8Array(8);
      putInt64(out, 0, i.value);
      return { hex: toHex(out) };
    }
    case 'int32ToBigEndian': {
      const out = new Uint8Array(4);
      putUint32(out, 0, i.value);
      return { hex: toHex(out) };
    }
    case 'putLong':
      putInt64(buffer, i.offset, i.value);
      return { bufferHex: toHex(buffer) };
    case 'putInt32':
      putUint32(buffer, i.offset, i.value);
      return { bufferHex: toHex(buffer) };
    case 'getString':
      return { value: getTrimmedString(buffer, i.offset, i.length) };
    case 'getBytes':
      return { hex: toHex(getBytes(buffer, i.offset, i.length)) };
    case 'getInt64':
      return { value: getInt64(buffer, i.offset) };
    case 'putUuid':
      putUuid(buffer, i.offset ?? 0, i.uuid);
      return { bufferHex: toHex(buffer) };
    case 'putString+getString':
      putPaddedString(buffer, i.start, width(i.start, i.end), i.value);
      return { bufferHex: toHex(buffer), value: getTrimmedString(buffer, i.start, width(i.start, i.end)) };
    case 'putInt32+getInt32':
    case 'putLong+getLong': {
      const int32 = v.op === 'putInt32+getInt32';
      (int32 ? putUint32 : putInt64)(buffer, i.offset, i.value);
      const out: Record<string, unknown> = { bufferHex: toHex(buffer) };
      for (const key of Object.keys(v.expect).filter((k) => k.startsWith('getAt'))) {
        const at = Number(key.slice(5));
        try {
          out[key] = int32 ? getUint32(buffer, at) : getInt64(buffer, at);
        } catch (error) {
          out[key] = (error as SsmProtocolError).code;
        }
      }
      return out;
    }
    default:
      throw new Error(`unknown op ${v.op}`);
  }
}

describe('primitives.json vectors', () => {
  const plain = vectors.filter((v) => v.op !== 'getInt32');
  test.each(plain.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const errorText = v.expect.errorContains as string | undefined;
    if (errorText !== undefined) {
      expect(() => run(v)).toThrow(SsmProtocolError);
      expect(() => run(v)).toThrow(expect.objectContaining({ code: ERROR_CODES[errorText] }));
      return;
    }
    const expected = { ...v.expect };
    for (const [key, value] of Object.entries(expected)) {
      // The Go helpers' bound error maps to OFFSET_OUT_OF_RANGE.
      if (typeof value === 'string' && value.startsWith('error')) expected[key] = 'OFFSET_OUT_OF_RANGE';
    }
    expect(run(v)).toEqual(expected);
  });

  test('agent-getInteger: reads ending exactly at the buffer end are allowed (plugin rule, not the agent one)', () => {
    const v = vectors.find((x) => x.id === 'agent-getInteger')!;
    const cases = v.input.cases as { bufferHex: string; offset: number; value?: number; error?: boolean }[];
    for (const c of cases) {
      const buffer = fromHex(c.bufferHex);
      if (c.error) {
        // The agent refuses offset+4 == len; this codec, like the plugin, reads it.
        expect(c.offset + 4).toBe(buffer.length);
        expect(getUint32(buffer, c.offset)).toBe(0x0000ff00);
        expect(() => getUint32(buffer, c.offset + 1)).toThrow(
          expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
        );
      } else {
        expect(getUint32(buffer, c.offset)).toBe(c.value);
      }
    }
  });
});

describe('helpers beyond the vectors', () => {
  test('int64 two-complement and safe-integer limits', () => {
    const b = new Uint8Array(8);
    putInt64(b, 0, -1);
    expect(toHex(b)).toBe('ffffffffffffffff');
    expect(getInt64(b, 0)).toBe(-1);
    putInt64(b, 0, Number.MIN_SAFE_INTEGER);
    expect(getInt64(b, 0)).toBe(Number.MIN_SAFE_INTEGER);
    putInt64(b, 0, Number.MAX_SAFE_INTEGER);
    expect(toHex(b)).toBe('001fffffffffffff');
    expect(() => putInt64(b, 0, 2 ** 53)).toThrow(expect.objectContaining({ code: 'FIELD_OUT_OF_RANGE' }));
    b.set([0x00, 0x20, 0, 0, 0, 0, 0, 0]);
    expect(() => getInt64(b, 0)).toThrow(expect.objectContaining({ code: 'FIELD_OUT_OF_RANGE' }));
    b.set([0xff, 0xe0, 0, 0, 0, 0, 0, 0]);
    expect(() => getInt64(b, 0)).toThrow(expect.objectContaining({ code: 'FIELD_OUT_OF_RANGE' }));
  });

  test('uint32 range and fractional offsets', () => {
    const b = new Uint8Array(4);
    putUint32(b, 0, 0xffffffff);
    expect(getUint32(b, 0)).toBe(0xffffffff);
    expect(() => putUint32(b, 0, -1)).toThrow(expect.objectContaining({ code: 'FIELD_OUT_OF_RANGE' }));
    expect(() => getUint32(b, 0.5)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
  });

  test('padded strings: non-ASCII refused; trimming is NULs first, then whitespace', () => {
    const b = new Uint8Array(8);
    expect(() => putPaddedString(b, 0, 8, 'é')).toThrow(
      expect.objectContaining({ code: 'FIELD_OUT_OF_RANGE' }),
    );
    expect(getTrimmedString(Uint8Array.from([0, 0x20, 0x61, 0x20, 0, 0x62, 0x20, 0]), 0, 8)).toBe(
      'a \u0000b',
    );
    expect(getTrimmedString(Uint8Array.from([0x20, 0, 0x61, 0, 0x20]), 0, 5)).toBe('\u0000a\u0000');
    expect(getTrimmedString(Uint8Array.from([0xc2, 0xa0, 0x61, 0xff]), 0, 4)).toBe('a\ufffd');
  });

  test('uuid parse/format and the half swap', () => {
    const id = 'dd01e56b-ff48-483e-a508-b5f073f31b16';
    expect(formatUuid(parseUuid(id))).toBe(id);
    expect(formatUuid(parseUuid(id.toUpperCase()))).toBe(id);
    const wire = new Uint8Array(16);
    putUuid(wire, 0, id);
    expect(toHex(wire)).toBe('a508b5f073f31b16dd01e56bff48483e');
    expect(getUuid(wire, 0)).toBe(id);
    expect(getUuid(new Uint8Array(16), 0)).toBe('00000000-0000-0000-0000-000000000000');
    expect(() => formatUuid(new Uint8Array(15))).toThrow(
      expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
    );
    expect(() => parseUuid('x')).toThrow(expect.objectContaining({ code: 'MESSAGE_ID_INVALID' }));
  });
});

import { type AgentMessageInit, decodeAgentMessage, encodeAgentMessage, SsmProtocolError } from 'ssm-channel';
import { describe, expect, test } from 'vitest';

const base: AgentMessageInit = {
  messageType: 'output_stream_data',
  sequenceNumber: 7,
  payloadType: 1,
  payload: new TextEncoder().encode('hello'),
  createdDate: 1_700_000_000_000,
};
const good = (): Uint8Array => encodeAgentMessage(base);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SsmProtocolError);
    return (error as SsmProtocolError).code;
  }
  throw new Error('expected a throw');
}

function patched(edit: (frame: Uint8Array, view: DataView) => void): Uint8Array {
  const frame = good();
  edit(frame, new DataView(frame.buffer, frame.byteOffset, frame.byteLength));
  return frame;
}

describe('decode errors', () => {
  test.each([
    ['empty frame', new Uint8Array(0), 'FRAME_TOO_SHORT'],
    ['115 bytes', good().subarray(0, 115), 'FRAME_TOO_SHORT'],
    ['HeaderLength 0', patched((_f, v) => v.setUint32(0, 0)), 'HEADER_LENGTH_OUT_OF_RANGE'],
    ['HeaderLength 111', patched((_f, v) => v.setUint32(0, 111)), 'HEADER_LENGTH_OUT_OF_RANGE'],
    ['HeaderLength 117', patched((_f, v) => v.setUint32(0, 117)), 'HEADER_LENGTH_OUT_OF_RANGE'],
    ['HeaderLength 2^32-1', patched((_f, v) => v.setUint32(0, 0xffffffff)), 'HEADER_LENGTH_OUT_OF_RANGE'],
    ['116 header bytes only', good().subarray(0, 119), 'FRAME_TOO_SHORT'],
    ['PayloadLength too big', patched((_f, v) => v.setUint32(116, 6)), 'PAYLOAD_LENGTH_MISMATCH'],
    ['PayloadLength too small', patched((_f, v) => v.setUint32(116, 4)), 'PAYLOAD_LENGTH_MISMATCH'],
    ['PayloadLength 2^32-1', patched((_f, v) => v.setUint32(116, 0xffffffff)), 'PAYLOAD_LENGTH_MISMATCH'],
    ['blank MessageType', patched((f) => f.fill(0x20, 4, 36)), 'MESSAGE_TYPE_MISSING'],
    ['CreatedDate 0', patched((_f, v) => v.setBigUint64(40, 0n)), 'CREATED_DATE_OUT_OF_RANGE'],
    ['CreatedDate 2^53', patched((_f, v) => v.setBigUint64(40, 2n ** 53n)), 'CREATED_DATE_OUT_OF_RANGE'],
    [
      'CreatedDate 2^64-1',
      patched((_f, v) => v.setBigUint64(40, 2n ** 64n - 1n)),
      'CREATED_DATE_OUT_OF_RANGE',
    ],
    ['SequenceNumber -1', patched((_f, v) => v.setBigInt64(48, -1n)), 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    [
      'SequenceNumber -2^63',
      patched((_f, v) => v.setBigInt64(48, -(2n ** 63n))),
      'SEQUENCE_NUMBER_OUT_OF_RANGE',
    ],
    ['SequenceNumber 2^53', patched((_f, v) => v.setBigInt64(48, 2n ** 53n)), 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    ['Flags 2^53', patched((_f, v) => v.setBigUint64(56, 2n ** 53n)), 'FLAGS_OUT_OF_RANGE'],
    [
      'digest flipped',
      patched((f) => {
        f[100]! ^= 0x80;
      }),
      'DIGEST_MISMATCH',
    ],
    [
      'payload flipped',
      patched((f) => {
        f[124]! ^= 1;
      }),
      'DIGEST_MISMATCH',
    ],
  ])('%s: %s', (_name, frame, code) => {
    expect(codeOf(() => decodeAgentMessage(frame))).toBe(code);
  });

  test('limits that still decode: 2^53-1 everywhere, HeaderLength 116 frame of exactly 120 bytes', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const frame = patched((_f, v) => {
      v.setBigUint64(40, max);
      v.setBigInt64(48, max);
      v.setBigUint64(56, max);
    });
    const m = decodeAgentMessage(frame);
    expect([m.createdDate, m.sequenceNumber, m.flags]).toEqual([max, max, max].map(Number));
  });

  test('start_publication and pause_publication are not validated, like the official client', () => {
    for (const messageType of ['start_publication', 'pause_publication']) {
      const frame = encodeAgentMessage({ ...base, messageType });
      const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
      view.setBigUint64(40, 0n); // CreatedDate 0
      frame[100]! ^= 0x80; // digest wrong
      const m = decodeAgentMessage(frame);
      expect([m.messageType, m.createdDate]).toEqual([messageType, 0]);
    }
  });

  test('verifyDigest: false skips the digest check', () => {
    const frame = patched((f) => {
      f[100]! ^= 0x80;
    });
    expect(decodeAgentMessage(frame, { verifyDigest: false }).payloadLength).toBe(5);
  });

  test('payload and payloadDigest are views of the frame (zero copy)', () => {
    const frame = good();
    const m = decodeAgentMessage(frame);
    expect(m.payload.buffer).toBe(frame.buffer);
    expect(m.payload.byteOffset).toBe(frame.byteOffset + 120);
    expect(m.payloadDigest.buffer).toBe(frame.buffer);
    expect(m.payloadDigest.byteOffset).toBe(frame.byteOffset + 80);
  });

  test('a frame that is a view into a larger buffer decodes', () => {
    const frame = good();
    const big = new Uint8Array(frame.length + 20);
    big.set(frame, 10);
    const m = decodeAgentMessage(big.subarray(10, 10 + frame.length));
    expect(Buffer.from(m.payload).toString()).toBe('hello');
  });
});

describe('encode errors', () => {
  test.each<[string, Partial<AgentMessageInit>, string]>([
    ['empty type', { messageType: '' }, 'MESSAGE_TYPE_MISSING'],
    ['33-byte type', { messageType: 'a'.repeat(33) }, 'MESSAGE_TYPE_INVALID'],
    ['non-ASCII type', { messageType: 'acknowledgé' }, 'MESSAGE_TYPE_INVALID'],
    ['type with a space', { messageType: 'a b' }, 'MESSAGE_TYPE_INVALID'],
    ['type with a NUL', { messageType: 'a\0' }, 'MESSAGE_TYPE_INVALID'],
    ['negative sequence', { sequenceNumber: -1 }, 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    ['sequence 2^53', { sequenceNumber: 2 ** 53 }, 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    ['fractional sequence', { sequenceNumber: 1.5 }, 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    ['NaN sequence', { sequenceNumber: Number.NaN }, 'SEQUENCE_NUMBER_OUT_OF_RANGE'],
    ['CreatedDate 0', { createdDate: 0 }, 'CREATED_DATE_OUT_OF_RANGE'],
    ['CreatedDate -1', { createdDate: -1 }, 'CREATED_DATE_OUT_OF_RANGE'],
    ['CreatedDate 2^53', { createdDate: 2 ** 53 }, 'CREATED_DATE_OUT_OF_RANGE'],
    ['Flags -1', { flags: -1 }, 'FLAGS_OUT_OF_RANGE'],
    ['Flags 2^53', { flags: 2 ** 53 }, 'FLAGS_OUT_OF_RANGE'],
    ['PayloadType 2^32', { payloadType: 2 ** 32 }, 'FIELD_OUT_OF_RANGE'],
    ['PayloadType -1', { payloadType: -1 }, 'FIELD_OUT_OF_RANGE'],
    ['SchemaVersion 1.5', { schemaVersion: 1.5 }, 'FIELD_OUT_OF_RANGE'],
    ['nil MessageId', { messageId: '00000000-0000-0000-0000-000000000000' }, 'MESSAGE_ID_INVALID'],
    ['short MessageId', { messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b1' }, 'MESSAGE_ID_INVALID'],
    ['no hyphens', { messageId: 'dd01e56bff48483ea508b5f073f31b16xxxx' }, 'MESSAGE_ID_INVALID'],
    ['non-hex MessageId', { messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b1g' }, 'MESSAGE_ID_INVALID'],
    ['wide char MessageId', { messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b1\u0161' }, 'MESSAGE_ID_INVALID'],
  ])('%s', (_name, patch, code) => {
    expect(codeOf(() => encodeAgentMessage({ ...base, ...patch }))).toBe(code);
  });

  test('defaults: schemaVersion 1, flags 0, createdDate now, random v4 ids', () => {
    const before = Date.now();
    const a = decodeAgentMessage(
      encodeAgentMessage({ ...base, createdDate: undefined as unknown as number }),
    );
    const b = decodeAgentMessage(encodeAgentMessage(base));
    expect(a.schemaVersion).toBe(1);
    expect(a.flags).toBe(0);
    expect(a.createdDate).toBeGreaterThanOrEqual(before);
    expect(a.createdDate).toBeLessThanOrEqual(Date.now());
    expect(a.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.messageId).not.toBe(b.messageId);
  });

  test('random message ids stay unique and v4 across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = decodeAgentMessage(encodeAgentMessage(base)).messageId;
      expect(id[14]).toBe('4');
      expect('89ab').toContain(id[19]);
      seen.add(id);
    }
    expect(seen.size).toBe(1000);
  });

  test('the encoder does not keep or alter the payload', () => {
    const payload = new TextEncoder().encode('hello');
    const frame = encodeAgentMessage({ ...base, payload });
    payload[0] = 0x48;
    expect(Buffer.from(decodeAgentMessage(frame).payload).toString()).toBe('hello');
  });

  test('frames kept together do not overlap (slab allocation), across sizes and slabs', () => {
    const kept = Array.from({ length: 300 }, (_, i) => {
      const payload = new Uint8Array((i * 977) % 6000).fill(i & 0xff);
      return { payload, frame: encodeAgentMessage({ ...base, sequenceNumber: i, payload }) };
    });
    kept.forEach(({ payload, frame }, i) => {
      const m = decodeAgentMessage(frame);
      expect(m.sequenceNumber).toBe(i);
      expect(Buffer.from(m.payload).equals(Buffer.from(payload))).toBe(true);
    });
  });
});

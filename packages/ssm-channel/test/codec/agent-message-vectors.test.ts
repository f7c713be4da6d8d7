import { createHash } from 'node:crypto';
import { decodeAgentMessage, encodeAgentMessage, MessageType, SsmProtocolError } from 'ssm-channel';
import { describe, expect, test } from 'vitest';
import { fromHex, loadFixture, toHex } from './load-fixture.js';

interface MessageVector {
  id: string;
  hex: string;
  fields: {
    totalLength: number;
    headerLength: number;
    messageType: string;
    messageTypeFieldHex: string;
    schemaVersion: number;
    createdDate: number;
    sequenceNumber: number;
    flags: number;
    messageId: string;
    messageIdWireHex: string;
    payloadDigestHex: string;
    payloadDigestIsSha256OfPayload: boolean;
    payloadType: number;
    payloadLength: number;
    payloadHex: string;
    payloadUtf8: string;
  };
  expect: { officialClientValidate: string };
}
interface ErrorVector {
  id: string;
  input: { messageType: string; payloadHex: string };
  expect: { error: string; returnedHex: string };
}
const { vectors, errorVectors } = loadFixture<{ vectors: MessageVector[]; errorVectors: ErrorVector[] }>(
  'messages.json',
);
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('messages.json vectors', () => {
  test('the fixture holds vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(14);
    expect(vectors.every((v) => v.expect.officialClientValidate === 'ok')).toBe(true);
  });

  test.each(vectors.map((v) => [v.id, v] as const))('%s: decode compares every field', (_id, v) => {
    const frame = fromHex(v.hex);
    const f = v.fields;
    expect(frame.length).toBe(f.totalLength);
    expect(toHex(frame.subarray(4, 36))).toBe(f.messageTypeFieldHex);
    expect(toHex(frame.subarray(64, 80))).toBe(f.messageIdWireHex);
    const m = decodeAgentMessage(frame);
    expect(m.headerLength).toBe(f.headerLength);
    expect(m.messageType).toBe(f.messageType);
    expect(m.schemaVersion).toBe(f.schemaVersion);
    expect(m.createdDate).toBe(f.createdDate);
    expect(m.sequenceNumber).toBe(f.sequenceNumber);
    expect(m.flags).toBe(f.flags);
    expect(m.messageId).toBe(f.messageId);
    expect(toHex(m.payloadDigest)).toBe(f.payloadDigestHex);
    expect(sha256Hex(m.payload) === f.payloadDigestHex).toBe(f.payloadDigestIsSha256OfPayload);
    expect(m.payloadType).toBe(f.payloadType);
    expect(m.payloadLength).toBe(f.payloadLength);
    expect(toHex(m.payload)).toBe(f.payloadHex);
    expect(Buffer.from(m.payload).toString('utf8')).toBe(f.payloadUtf8);
  });

  test.each(vectors.map((v) => [v.id, v] as const))('%s: encode gives the same bytes', (_id, v) => {
    const f = v.fields;
    const frame = encodeAgentMessage({
      messageType: f.messageType,
      schemaVersion: f.schemaVersion,
      createdDate: f.createdDate,
      sequenceNumber: f.sequenceNumber,
      flags: f.flags,
      messageId: f.messageId,
      payloadType: f.payloadType,
      payload: fromHex(f.payloadHex),
    });
    expect(toHex(frame)).toBe(v.hex);
  });

  test.each(vectors.map((v) => [v.id, v] as const))('%s: decode then encode round-trips', (_id, v) => {
    const decoded = decodeAgentMessage(fromHex(v.hex));
    const again = decodeAgentMessage(encodeAgentMessage(decoded));
    expect(toHex(encodeAgentMessage(again))).toBe(v.hex);
    expect({ ...again, payload: toHex(again.payload), payloadDigest: toHex(again.payloadDigest) }).toEqual({
      ...decoded,
      payload: toHex(decoded.payload),
      payloadDigest: toHex(decoded.payloadDigest),
    });
  });
});

describe('errorVectors: empty payloads', () => {
  test.each(errorVectors.map((v) => [v.id, v] as const))(
    '%s: the official serializer fails, this codec encodes and decodes it (documented difference)',
    (_id, v) => {
      expect(v.input.payloadHex).toBe('');
      expect(v.expect.returnedHex).toBe('00');
      const frame = encodeAgentMessage({
        messageType: v.input.messageType,
        sequenceNumber: 0,
        payloadType: 0,
        payload: new Uint8Array(0),
        createdDate: 1_700_000_000_000,
      });
      expect(frame.length).toBe(120);
      expect(toHex(frame.subarray(116, 120))).toBe('00000000');
      expect(toHex(frame.subarray(80, 112))).toBe(sha256Hex(new Uint8Array(0)));
      const m = decodeAgentMessage(frame);
      expect(m.messageType).toBe(v.input.messageType);
      expect(m.payloadLength).toBe(0);
      expect(m.payload.length).toBe(0);
    },
  );

  test('an empty payload is not digest-checked on decode, as in the official client', () => {
    const frame = encodeAgentMessage({
      messageType: MessageType.PausePublication,
      sequenceNumber: 0,
      payloadType: 0,
      payload: new Uint8Array(0),
    });
    frame.fill(0xee, 80, 112);
    expect(decodeAgentMessage(frame).payloadLength).toBe(0);
  });
});

describe('section 4.7 worked example', () => {
  const hex =
    '00000074' +
    '696e7075745f73747265616d5f64617461' +
    '202020202020202020202020202020' +
    '00000001' +
    '0000018bcfe56800' +
    '0000000000000002' +
    '0000000000000000' +
    '9a0c0305e82c3301' +
    '3f2504e04f8941d3' +
    'd53ca1ea7dce87c11432052a8550ed26' +
    '15cf715ca843c89710ed83325b691cba' +
    '00000003' +
    '00000015' +
    '7b22636f6c73223a38302c22726f7773223a32347d';
  const init = {
    messageType: MessageType.InputStreamData,
    sequenceNumber: 2,
    flags: 0,
    payloadType: 3,
    createdDate: 1_700_000_000_000,
    messageId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    payload: new TextEncoder().encode('{"cols":80,"rows":24}'),
  };

  test('encodes to the 141 bytes of the reference', () => {
    const frame = encodeAgentMessage(init);
    expect(frame.length).toBe(141);
    expect(toHex(frame)).toBe(hex);
  });

  test('decodes to the inputs', () => {
    const m = decodeAgentMessage(fromHex(hex));
    expect(m).toMatchObject({
      headerLength: 116,
      messageType: 'input_stream_data',
      schemaVersion: 1,
      createdDate: 1_700_000_000_000,
      sequenceNumber: 2,
      flags: 0,
      messageId: init.messageId,
      payloadType: 3,
      payloadLength: 21,
    });
    expect(Buffer.from(m.payload).toString()).toBe('{"cols":80,"rows":24}');
  });

  test('an upper-case MessageId encodes the same bytes', () => {
    expect(toHex(encodeAgentMessage({ ...init, messageId: init.messageId.toUpperCase() }))).toBe(hex);
  });
});

/** Builds a HeaderLength-112 frame by hand (section 4.2): no PayloadType, PayloadLength at 112. */
function headerLength112Frame(type: Uint8Array, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(116 + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 112);
  frame.set(type, 4);
  view.setUint32(36, 1);
  view.setBigUint64(40, 1_700_000_000_000n);
  view.setBigInt64(48, 0n);
  view.setBigUint64(56, 0n);
  frame.set(fromHex('a508b5f073f31b16dd01e56bff48483e'), 64);
  frame.set(createHash('sha256').update(payload).digest(), 80);
  view.setUint32(112, payload.length);
  frame.set(payload, 116);
  return frame;
}

describe('HeaderLength 112 and padding variants', () => {
  const payload = new TextEncoder().encode(
    '{"MessageId":"dd01e56b-ff48-483e-a508-b5f073f31b16","CreatedDate":"2018-01-01","DestinationId":"d","SessionId":"s","MessageType":"channel_closed","SchemaVersion":1,"Output":"bye"}',
  );
  const nulPadded = new Uint8Array(32);
  nulPadded.set(new TextEncoder().encode('channel_closed'));

  test('a HeaderLength-112 channel_closed with a NUL-padded type decodes', () => {
    const m = decodeAgentMessage(headerLength112Frame(nulPadded, payload));
    expect(m.headerLength).toBe(112);
    expect(m.messageType).toBe(MessageType.ChannelClosed);
    expect(m.payloadType).toBe(0);
    expect(m.payloadLength).toBe(payload.length);
    expect(toHex(m.payload)).toBe(toHex(payload));
    expect(m.messageId).toBe('dd01e56b-ff48-483e-a508-b5f073f31b16');
  });

  test('a HeaderLength-112 frame with a bad digest is refused', () => {
    const frame = headerLength112Frame(nulPadded, payload);
    frame[80]! ^= 1;
    expect(() => decodeAgentMessage(frame)).toThrow(expect.objectContaining({ code: 'DIGEST_MISMATCH' }));
  });

  test('HeaderLength 114: PayloadLength at 114, payload at 118, PayloadType 0', () => {
    const frame = new Uint8Array(118 + 3);
    frame.set(
      encodeAgentMessage({ messageType: 'x', sequenceNumber: 0, payloadType: 9, payload }).subarray(0, 112),
    );
    new DataView(frame.buffer).setUint32(0, 114);
    new DataView(frame.buffer).setUint32(114, 3);
    frame.set([1, 2, 3], 118);
    frame.set(createHash('sha256').update(frame.subarray(118)).digest(), 80);
    const m = decodeAgentMessage(frame);
    expect([m.headerLength, m.payloadType, m.payloadLength, toHex(m.payload)]).toEqual([114, 0, 3, '010203']);
  });

  test.each([
    [
      'left NUL padding (aws-ssm-session)',
      (t: Uint8Array) => Uint8Array.from([...new Uint8Array(32 - t.length), ...t]),
    ],
    ['right NUL padding', (t: Uint8Array) => Uint8Array.from([...t, ...new Uint8Array(32 - t.length)])],
    [
      'NULs then spaces',
      (t: Uint8Array) => Uint8Array.from([0, 0, ...t, ...new Uint8Array(30 - t.length).fill(32)]),
    ],
    [
      'spaces inside NULs',
      (t: Uint8Array) => Uint8Array.from([0, 32, ...t, 32, ...new Uint8Array(30 - t.length)]),
    ],
  ])('%s decodes to the bare type', (_name, pad) => {
    const frame = encodeAgentMessage({
      messageType: 'acknowledge',
      sequenceNumber: 0,
      payloadType: 0,
      payload,
    });
    frame.set(pad(new TextEncoder().encode('acknowledge')), 4);
    expect(decodeAgentMessage(frame).messageType).toBe('acknowledge');
  });

  test('an unknown type is decoded as text', () => {
    const frame = encodeAgentMessage({
      messageType: 'interactive_shell',
      sequenceNumber: 0,
      payloadType: 0,
      payload,
    });
    expect(decodeAgentMessage(frame).messageType).toBe('interactive_shell');
  });

  test('a type of only padding is MESSAGE_TYPE_MISSING', () => {
    const frame = encodeAgentMessage({ messageType: 'x', sequenceNumber: 0, payloadType: 0, payload });
    frame.fill(0, 4, 36);
    frame.set([32, 9, 10], 10);
    expect(() => decodeAgentMessage(frame)).toThrow(SsmProtocolError);
    expect(() => decodeAgentMessage(frame)).toThrow(
      expect.objectContaining({ code: 'MESSAGE_TYPE_MISSING' }),
    );
  });
});

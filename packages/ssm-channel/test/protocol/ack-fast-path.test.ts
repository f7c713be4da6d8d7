/**
 * The hot-path ack writer and reader (protocol/ack-frame.ts, protocol/ack-read.ts) against the codec's
 * `encodeAcknowledge`/`decodeAcknowledge`: same bytes out, same fields in, same refusals.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { MessageType } from '../../src/codec/constants.js';
import { decodeAcknowledge, encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';
import { encodeAckFrame } from '../../src/protocol/ack-frame.js';
import { readAcknowledge } from '../../src/protocol/ack-read.js';

const utf8 = new TextEncoder();
const io = { randomId: () => '3f2504e0-4f89-41d3-9a0c-0305e82c3301', wallClock: () => 1_700_000_000_000 };
const seqs = fc.oneof(fc.nat(1000), fc.maxSafeNat());
const ackedTypes = fc.constantFrom(
  MessageType.OutputStreamData,
  MessageType.InputStreamData,
  'x',
  'type with space',
  'quote"type',
  '<&>',
);
const ids = fc.oneof(
  fc.uuid().map((u) => u.toLowerCase()),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 36, maxLength: 36 }),
);

describe('encodeAckFrame', () => {
  test('writes exactly the payload of encodeAcknowledge, for any type, id and sequence number', () => {
    fc.assert(
      fc.property(ackedTypes, ids, seqs, fc.boolean(), (type, id, seq, injectedIds) => {
        const frame = encodeAckFrame({ ...io, defaultIds: !injectedIds }, type, seq, id);
        const message = decodeAgentMessage(frame);
        const expected = encodeAcknowledge({
          acknowledgedMessageType: type,
          acknowledgedMessageId: id,
          acknowledgedMessageSequenceNumber: seq,
        });
        expect(Buffer.from(message.payload).equals(Buffer.from(expected))).toBe(true);
        expect([message.messageType, message.sequenceNumber, message.flags, message.payloadType]).toEqual([
          MessageType.Acknowledge,
          0,
          3,
          0,
        ]);
        // An injected id source is used (reproducible runs); the default draws a random v4 id.
        if (injectedIds) expect(message.messageId).toBe(io.randomId());
        else
          expect(message.messageId).toMatch(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          );
      }),
    );
  });

  test('successive acks do not share payload memory', () => {
    const a = decodeAgentMessage(encodeAckFrame(io, MessageType.OutputStreamData, 7, io.randomId()));
    const b = decodeAgentMessage(encodeAckFrame(io, MessageType.OutputStreamData, 123456, io.randomId()));
    expect(decodeAcknowledge(a.payload).acknowledgedMessageSequenceNumber).toBe(7);
    expect(decodeAcknowledge(b.payload).acknowledgedMessageSequenceNumber).toBe(123456);
  });
});

/** What the codec reads, or the code of its refusal. */
function viaCodec(payload: Uint8Array): { sequenceNumber: number; messageId: string } | string {
  try {
    const ack = decodeAcknowledge(payload);
    return { sequenceNumber: ack.acknowledgedMessageSequenceNumber, messageId: ack.acknowledgedMessageId };
  } catch (error) {
    return (error as { code: string }).code;
  }
}

function viaFastPath(payload: Uint8Array): { sequenceNumber: number; messageId: string } | string {
  try {
    const ack = readAcknowledge(payload);
    return { sequenceNumber: ack.sequenceNumber, messageId: ack.messageId };
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('readAcknowledge', () => {
  test('reads what decodeAcknowledge reads from encoded acks', () => {
    fc.assert(
      fc.property(ackedTypes, ids, seqs, fc.boolean(), (type, id, seq, sequential) => {
        const payload = encodeAcknowledge({
          acknowledgedMessageType: type,
          acknowledgedMessageId: id,
          acknowledgedMessageSequenceNumber: seq,
          isSequentialMessage: sequential,
        });
        expect(viaFastPath(payload)).toEqual(viaCodec(payload));
      }),
    );
  });

  test('agrees with decodeAcknowledge on edge cases and mutations of the canonical shape', () => {
    const canonical =
      '{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"dd01e56b-ff48-483e-a508-b5f073f31b16","AcknowledgedMessageSequenceNumber":12,"IsSequentialMessage":true}';
    const cases = [
      canonical,
      canonical.replace(':12,', ':012,'),
      canonical.replace(':12,', ':-12,'),
      canonical.replace(':12,', ':1.5,'),
      canonical.replace(':12,', ':1e3,'),
      canonical.replace(':12,', ':9007199254740992,'),
      canonical.replace(':12,', ':9007199254740991,'),
      canonical.replace(':12,', ':,'),
      canonical.replace('true}', 'false}'),
      canonical.replace('true}', 'null}'),
      `${canonical} `,
      canonical.replace('{', '{ '),
      canonical.replace('dd01e56b', 'dd01\\u0065'),
      canonical.replace('"AcknowledgedMessageId"', '"acknowledgedmessageid"'),
      canonical.slice(0, -1),
      `${canonical}}`,
      '{"AcknowledgedMessageSequenceNumber":3}',
      '{}',
      'null',
      '[]',
      '',
    ];
    for (const text of cases) {
      const payload = utf8.encode(text);
      expect([text, viaFastPath(payload)]).toEqual([text, viaCodec(payload)]);
    }
  });

  test('agrees with decodeAcknowledge on arbitrary byte flips of a canonical ack', () => {
    const base = encodeAcknowledge({
      acknowledgedMessageType: MessageType.InputStreamData,
      acknowledgedMessageId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      acknowledgedMessageSequenceNumber: 4096,
    });
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const payload = base.slice();
        payload[at] = byte;
        expect(viaFastPath(payload)).toEqual(viaCodec(payload));
      }),
      { numRuns: 2000 },
    );
  });
});

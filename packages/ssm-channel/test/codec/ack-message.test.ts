/**
 * The acknowledge message encoder writes the id straight from the acknowledged frame's bytes and the JSON
 * straight into the frame: byte for byte what the general encoders make from the same fields. And the
 * acknowledge payload codec agrees with a plain JSON writer for any strings.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeAcknowledgeMessage } from '../../src/codec/ack-message.js';
import { decodeAgentFrame } from '../../src/codec/agent-frame.js';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { decodeAcknowledge, encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';

const ACK_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CREATED = 1_700_000_000_123;
const seqs = fc.oneof(fc.nat(1000), fc.maxSafeNat());

/** A received frame of `type` whose 16 MessageId wire bytes are `idBytes` (any bytes, nil included). */
function receivedFrame(type: string, idBytes: Uint8Array, seq: number): Uint8Array {
  const frame = encodeAgentMessage({
    messageType: type,
    sequenceNumber: seq,
    payloadType: PayloadType.Output,
    payload: new Uint8Array([1, 2, 3]),
  });
  frame.set(idBytes, 64);
  return frame;
}

describe('encodeAcknowledgeMessage', () => {
  test('equals encodeAgentMessage of encodeAcknowledge, for any id bytes, type and sequence number', () => {
    const types = fc.constantFrom(
      MessageType.OutputStreamData,
      MessageType.InputStreamData,
      'x',
      'quo"te',
      '<&>',
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), types, seqs, (idBytes, type, seq) => {
        const received = decodeAgentFrame(receivedFrame(type, idBytes, seq));
        const ack = encodeAcknowledgeMessage(received, CREATED, ACK_ID);
        const expected = encodeAgentMessage({
          messageType: MessageType.Acknowledge,
          sequenceNumber: 0,
          payloadType: PayloadType.Undefined,
          flags: HeaderFlag.Ack,
          createdDate: CREATED,
          messageId: ACK_ID,
          payload: encodeAcknowledge({
            acknowledgedMessageType: type,
            acknowledgedMessageId: received.messageId,
            acknowledgedMessageSequenceNumber: seq,
          }),
        });
        expect(Buffer.from(ack).equals(Buffer.from(expected))).toBe(true);
      }),
    );
  });

  test('without an id a fresh random v4 one is drawn, and successive acks do not share memory', () => {
    const received = decodeAgentFrame(
      receivedFrame(MessageType.OutputStreamData, new Uint8Array(16).fill(7), 5),
    );
    const a = decodeAgentFrame(encodeAcknowledgeMessage(received, CREATED));
    const b = decodeAgentFrame(
      encodeAcknowledgeMessage({ ...received, sequenceNumber: 123_456, frame: received.frame }, CREATED),
    );
    expect(a.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.messageId).not.toBe(b.messageId);
    expect(decodeAcknowledge(a.payload).acknowledgedMessageSequenceNumber).toBe(5);
    expect(decodeAcknowledge(b.payload).acknowledgedMessageSequenceNumber).toBe(123_456);
  });
});

describe('encodeAcknowledge', () => {
  test('writes what a plain JSON writer with Go escaping writes, for any strings', () => {
    const goEscape = (text: string): string =>
      JSON.stringify(text).replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        seqs,
        fc.boolean(),
        (type, id, seq, seqFlag) => {
          const bytes = encodeAcknowledge({
            acknowledgedMessageType: type,
            acknowledgedMessageId: id,
            acknowledgedMessageSequenceNumber: seq,
            isSequentialMessage: seqFlag,
          });
          const expected =
            `{"AcknowledgedMessageType":${goEscape(type)},"AcknowledgedMessageId":${goEscape(id)},` +
            `"AcknowledgedMessageSequenceNumber":${seq},"IsSequentialMessage":${seqFlag}}`;
          expect(Buffer.from(bytes).toString('utf8')).toBe(expected);
          expect(decodeAcknowledge(bytes)).toEqual({
            acknowledgedMessageType: type,
            acknowledgedMessageId: id,
            acknowledgedMessageSequenceNumber: seq,
            isSequentialMessage: seqFlag,
          });
        },
      ),
    );
  });
});

/**
 * The client's ack path writes the acknowledged MessageId straight from the received frame's bytes
 * (`encodeAckFrameFor`): the whole frame must be byte for byte what the codec builds from the id string.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeAgentFrame } from '../../src/codec/agent-frame.js';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';
import { readMessageId, writeMessageIdText } from '../../src/codec/uuid.js';
import { encodeAckFrame, encodeAckFrameFor } from '../../src/protocol/ack-frame.js';

const ACK_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const io = { randomId: () => ACK_ID, wallClock: () => 1_700_000_000_123, defaultIds: false };

/** An output frame whose 16 MessageId wire bytes are `idBytes` (any bytes, nil included). */
function outputFrame(idBytes: Uint8Array, seq: number): Uint8Array {
  const frame = encodeAgentMessage({
    messageType: MessageType.OutputStreamData,
    sequenceNumber: seq,
    payloadType: PayloadType.Output,
    payload: new Uint8Array([1, 2, 3]),
  });
  frame.set(idBytes, 64);
  return frame;
}

describe('encodeAckFrameFor', () => {
  test('equals the codec frame for the id string, for any id bytes and sequence number', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.oneof(fc.nat(1000), fc.maxSafeNat()),
        (idBytes, seq) => {
          const received = decodeAgentFrame(outputFrame(idBytes, seq));
          const fromWire = encodeAckFrameFor(io, received);
          const expected = encodeAgentMessage({
            messageType: MessageType.Acknowledge,
            sequenceNumber: 0,
            payloadType: PayloadType.Undefined,
            flags: HeaderFlag.Ack,
            createdDate: io.wallClock(),
            messageId: ACK_ID,
            payload: encodeAcknowledge({
              acknowledgedMessageType: MessageType.OutputStreamData,
              acknowledgedMessageId: received.messageId,
              acknowledgedMessageSequenceNumber: seq,
            }),
          });
          expect(Buffer.from(fromWire).equals(Buffer.from(expected))).toBe(true);
          const fromString = encodeAckFrame(io, MessageType.OutputStreamData, seq, received.messageId);
          expect(Buffer.from(fromString).equals(Buffer.from(expected))).toBe(true);
        },
      ),
    );
  });

  test('writeMessageIdText writes the characters of readMessageId', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(8), (idBytes, at) => {
        const target = new Uint8Array(at + 36);
        writeMessageIdText(idBytes, 0, target, at);
        expect(Buffer.from(target.subarray(at)).toString('latin1')).toBe(readMessageId(idBytes, 0));
      }),
    );
  });
});

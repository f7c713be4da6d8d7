import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { MessageType, PayloadType } from '../../src/codec/constants.js';
import {
  ackFrame,
  bytes,
  clientHarness,
  controlFrame,
  outputFrame,
  startShell,
} from '../sim/client-harness.js';

const LIMITS = {
  maxReorderMessages: 16,
  maxReorderBytes: 4096,
  receiveBudgetBytes: 2048,
  maxUnackedMessages: 8,
  maxUnackedBytes: 8192,
};

function checkBounds(h: ReturnType<typeof clientHarness>, maxPayload: number): void {
  const s = h.engine.stats();
  expect(s.reorderMessages).toBeLessThanOrEqual(LIMITS.maxReorderMessages);
  expect(s.reorderBytes).toBeLessThanOrEqual(LIMITS.maxReorderBytes);
  if (s.phase !== 'closed')
    expect(s.unconsumedBytes).toBeLessThanOrEqual(LIMITS.receiveBudgetBytes + maxPayload);
  expect(s.unackedMessages).toBeLessThanOrEqual(LIMITS.maxUnackedMessages);
}

describe('hostile input never throws out of receive() and never passes the bounds', () => {
  test('a deeply nested SessionType is refused with a short description, not a stack overflow', () => {
    const h = clientHarness(LIMITS);
    const depth = 50_000;
    const text =
      '{"AgentVersion":"3.3.0.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":' +
      `{"SessionType":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
    expect(() => h.engine.receive(outputFrame(0, bytes(text), PayloadType.HandshakeRequest))).not.toThrow();
    expect(h.errors.map((e) => e.code)).toEqual(['HANDSHAKE_FAILED']);
    expect(h.errors[0]!.message.length).toBeLessThan(300);
  });

  test('arbitrary bytes are dropped and counted', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 30 }), (frames) => {
        const h = clientHarness(LIMITS);
        for (const frame of frames) expect(() => h.engine.receive(frame)).not.toThrow();
        expect(h.engine.stats().droppedFrames + h.engine.stats().framesIn).toBe(frames.length);
        checkBounds(h, 0);
      }),
      { numRuns: 300 },
    );
  });

  test('lying lengths and damaged frames are dropped without an ack', () => {
    const h = clientHarness();
    const good = outputFrame(0, 'hello');
    const variants: Uint8Array[] = [];
    const withUint32 = (offset: number, value: number): Uint8Array => {
      const copy = good.slice();
      new DataView(copy.buffer).setUint32(offset, value);
      return copy;
    };
    variants.push(withUint32(116, 4), withUint32(116, 6), withUint32(116, 0xffffffff));
    variants.push(withUint32(0, 0), withUint32(0, 200), withUint32(0, 0xffffffff), withUint32(0, 111));
    variants.push(good.subarray(0, 119), good.subarray(0, 60), new Uint8Array(0));
    const badDigest = good.slice();
    badDigest[good.length - 1]! ^= 1;
    variants.push(badDigest);
    const zeroDate = good.slice();
    zeroDate.fill(0, 40, 48);
    variants.push(zeroDate);
    const negativeSeq = good.slice();
    negativeSeq[48] = 0x80;
    variants.push(negativeSeq);
    for (const v of variants) h.engine.receive(v);
    expect(h.take()).toEqual([]);
    expect(h.engine.stats().droppedFrames).toBe(variants.length);
    h.engine.receive(good);
    expect(h.text()).toBe('hello');
  });

  test('any mix of plausible frames keeps every bound', () => {
    const messageTypes = [
      MessageType.OutputStreamData,
      MessageType.OutputStreamData,
      MessageType.Acknowledge,
      MessageType.PausePublication,
      MessageType.StartPublication,
      MessageType.InputStreamData,
      'agent_session_state',
      'x',
    ];
    const frameArb = fc.record({
      type: fc.constantFrom(...messageTypes),
      seq: fc.oneof(fc.nat(40), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
      payloadType: fc.oneof(fc.constantFrom(1, 1, 1, 3, 5, 7, 8, 10, 11, 12), fc.nat()),
      payload: fc.uint8Array({ minLength: 1, maxLength: 1500 }),
      ackSeq: fc.nat(20),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 80 }), fc.boolean(), (frames, slowReader) => {
        const h = clientHarness(LIMITS);
        startShell(h);
        h.engine.write(new Uint8Array(5000));
        for (const f of frames) {
          const payload =
            f.type === MessageType.Acknowledge && f.payload[0]! % 2 === 0
              ? bytes(`{"AcknowledgedMessageSequenceNumber":${f.ackSeq}}`)
              : f.payload;
          const frame = encodeAgentMessage({
            messageType: f.type,
            sequenceNumber: f.seq,
            payloadType: f.payloadType,
            payload,
            createdDate: 1,
            messageId: '00000000-0000-4000-8000-000000000001',
          });
          expect(() => h.engine.receive(frame)).not.toThrow();
          if (!slowReader) h.engine.consumed(1500);
          h.advance(50);
          checkBounds(h, 1500);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a flood of far-ahead sequence numbers allocates at most the bounds', () => {
    const h = clientHarness(LIMITS);
    const started = performance.now();
    for (let i = 0; i < 20_000; i++)
      h.engine.receive(outputFrame(1 + ((i * 7919) % 1_000_000), 'x'.repeat(300)));
    const s = h.engine.stats();
    expect(s.reorderMessages).toBeLessThanOrEqual(LIMITS.maxReorderMessages);
    expect(s.reorderBytes).toBeLessThanOrEqual(LIMITS.maxReorderBytes);
    expect(s.droppedMessages + s.outOfOrder + s.duplicates).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test('a flood of duplicates is re-acked one for one and stores nothing', () => {
    const h = clientHarness(LIMITS);
    h.engine.receive(outputFrame(0, 'a'));
    h.take();
    for (let i = 0; i < 1000; i++) h.engine.receive(outputFrame(0, 'a'));
    expect(h.take()).toHaveLength(1000);
    expect(h.engine.stats()).toMatchObject({ duplicates: 1000, reorderMessages: 0 });
    expect(h.text()).toBe('a');
  });

  test('acks for messages never sent change nothing', () => {
    const h = clientHarness(LIMITS);
    startShell(h);
    h.engine.write(bytes('x'));
    for (let seq = 1; seq < 100; seq++)
      h.engine.receive(ackFrame(seq, '00000000-0000-4000-8000-00000000ffff'));
    h.engine.receive(ackFrame(Number.MAX_SAFE_INTEGER, '00000000-0000-4000-8000-00000000ffff'));
    expect(h.engine.stats()).toMatchObject({ unackedMessages: 1, acksIgnored: 100, rttMs: 100 });
  });

  test('frames after the end are ignored, whatever they are', () => {
    const h = clientHarness(LIMITS);
    h.engine.receive(controlFrame(MessageType.ChannelClosed, '{}'));
    h.take();
    for (let i = 0; i < 100; i++) h.engine.receive(outputFrame(i, 'x'));
    h.engine.receive(controlFrame(MessageType.ChannelClosed, '{}'));
    h.engine.receive(new Uint8Array(3));
    expect(h.take()).toEqual([]);
    expect(h.closes).toHaveLength(1);
    expect(h.engine.stats()).toMatchObject({ ignored: 102, reorderMessages: 0, messagesIn: 0 });
  });

  test('an EncChallengeRequest (KMS was refused) is acked and ignored', () => {
    const h = clientHarness(LIMITS);
    startShell(h);
    h.take();
    h.engine.receive(outputFrame(1, '{"Challenge":"AAAA"}', PayloadType.EncChallengeRequest));
    expect(h.take()).toHaveLength(1);
    expect(h.engine.stats().ignored).toBe(1);
  });
});

import { describe, expect, test } from 'vitest';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { MessageType } from '../../src/codec/constants.js';
import {
  ackFrame,
  bytes,
  type ClientHarness,
  clientHarness,
  controlFrame,
  json,
  outputFrame,
  startShell,
} from '../sim/client-harness.js';

function openShell(options: Parameters<typeof clientHarness>[0] = {}): ClientHarness {
  const h = clientHarness(options);
  startShell(h);
  h.take();
  return h;
}

describe('sending input', () => {
  test('input is cut into payloads of at most 1024 bytes, numbered from 0, Flags 0', () => {
    const h = openShell();
    const data = new Uint8Array(2500).map((_, i) => i % 251);
    expect(h.engine.write(data)).toBe(true);
    const sent = h.takeData();
    expect(sent.map((m) => [m.sequenceNumber, m.payloadType, m.payloadLength, m.flags])).toEqual([
      [0, 1, 1024, 0],
      [1, 1, 1024, 0],
      [2, 1, 452, 0],
    ]);
    expect(Buffer.concat(sent.map((m) => m.payload))).toEqual(Buffer.from(data));
    expect(h.engine.stats()).toMatchObject({ messagesOut: 3, bytesOut: 2500, unackedMessages: 3 });
  });

  test('small writes that wait for room are merged into one payload', () => {
    const h = openShell({ maxUnackedMessages: 1 });
    expect(h.engine.write(bytes('a'))).toBe(false);
    expect(h.engine.write(bytes('b'))).toBe(false);
    expect(h.engine.write(bytes('c'))).toBe(false);
    const [first] = h.takeData();
    h.engine.receive(ackFrame(0, first!.messageId));
    const [merged] = h.takeData();
    expect(Buffer.from(merged!.payload).toString()).toBe('bc');
    expect(h.writable).toBe(0);
    h.engine.receive(ackFrame(1, merged!.messageId));
    expect(h.writable).toBe(1);
  });

  test('the window bounds messages and bytes; onWritable fires when an ack frees room', () => {
    const h = openShell({ maxUnackedMessages: 2, maxUnackedBytes: 100_000 });
    expect(h.engine.write(bytes('1'))).toBe(true);
    expect(h.engine.write(bytes('2'))).toBe(false);
    expect(h.engine.writable).toBe(false);
    expect(h.engine.write(bytes('3'))).toBe(false);
    const sent = h.takeData();
    expect(sent).toHaveLength(2);
    expect(h.engine.stats().pendingInputBytes).toBe(1);
    h.engine.receive(ackFrame(1, sent[1]!.messageId));
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([2]);
    expect(h.writable).toBe(0);
    h.engine.receive(ackFrame(0, sent[0]!.messageId));
    expect(h.writable).toBe(1);
    expect(h.engine.writable).toBe(true);

    const bytesBound = openShell({ maxUnackedBytes: 1200 });
    expect(bytesBound.engine.write(new Uint8Array(1100))).toBe(false);
  });

  test('a caller that ignores write() returning false hits BUFFER_LIMIT_EXCEEDED', () => {
    const h = openShell({ maxUnackedMessages: 1, maxPendingInputBytes: 10 });
    h.engine.write(new Uint8Array(1));
    h.engine.write(new Uint8Array(100));
    expect(() => h.engine.write(new Uint8Array(1))).toThrow(
      expect.objectContaining({ code: 'BUFFER_LIMIT_EXCEEDED' }),
    );
  });

  test('acks match by sequence number and MessageId; others are ignored', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    const [m] = h.takeData();
    h.engine.receive(ackFrame(5, m!.messageId));
    h.engine.receive(ackFrame(0, '99999999-9999-4999-8999-999999999999'));
    h.engine.receive(controlFrame(MessageType.Acknowledge, 'not json'));
    expect(h.engine.stats()).toMatchObject({ unackedMessages: 1, acksIgnored: 2, badPayloads: 1 });
    h.engine.receive(ackFrame(0, m!.messageId.toUpperCase()));
    h.engine.receive(ackFrame(0, m!.messageId));
    expect(h.engine.stats()).toMatchObject({ unackedMessages: 0, acksIn: 1, acksIgnored: 3 });
  });

  test('an ack without a MessageId matches by sequence number alone', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    h.engine.receive(
      controlFrame(
        MessageType.Acknowledge,
        '{"AcknowledgedMessageType":"input_stream_data","AcknowledgedMessageSequenceNumber":0}',
      ),
    );
    expect(h.engine.stats().unackedMessages).toBe(0);
  });

  test('resize sends a Size message only when the size changed', () => {
    const h = openShell();
    h.engine.resize(80, 24);
    h.engine.resize(80, 24);
    h.engine.resize(81, 24);
    h.engine.resize(81, 24);
    const sizes = h.takeData().map((m) => json(m));
    expect(sizes).toEqual([
      { cols: 80, rows: 24 },
      { cols: 81, rows: 24 },
    ]);
    expect(() => h.engine.resize(0, 10)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => h.engine.resize(70000, 10)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  test('a resize while the window is full is sent (only the latest size) when room frees', () => {
    const h = openShell({ maxUnackedMessages: 1 });
    h.engine.write(bytes('x'));
    h.engine.resize(100, 50);
    h.engine.resize(101, 50);
    const [m] = h.takeData();
    h.engine.receive(ackFrame(0, m!.messageId));
    expect(h.takeData().map((d) => json(d))).toEqual([{ cols: 101, rows: 50 }]);
  });
});

describe('retransmission', () => {
  test('an RTT sample from a message sent once updates rtt, rttVar and rto (vector rto-first-sample)', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    const [m] = h.takeData();
    h.advance(140);
    h.engine.receive(ackFrame(0, m!.messageId));
    expect(h.engine.stats()).toMatchObject({ rttMs: 105, rttVarMs: 10, rtoMs: 145 });
  });

  test('the same bytes are resent at the RTO, the resend time is recorded, and Karn skips the sample', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    const original = h.raw.at(-1)!;
    h.take();
    expect(h.engine.nextDeadline()).toBe(200);
    h.advance(199);
    expect(h.take()).toEqual([]);
    h.advance(1);
    expect(h.raw.at(-1)).toEqual(original);
    expect(h.take()).toHaveLength(1);
    // Back-off doubled the RTO and the resend time was stored: no resend on the next 100 ms ticks.
    expect(h.engine.stats().rtoMs).toBe(400);
    for (let i = 0; i < 3; i++) {
      h.advance(100);
      expect(h.take()).toEqual([]);
    }
    h.advance(100);
    expect(h.take()).toHaveLength(1);
    expect(h.engine.stats().retransmissions).toBe(2);
    h.advance(50);
    h.engine.receive(ackFrame(0, decodeAgentMessage(original).messageId));
    expect(h.engine.stats()).toMatchObject({ unackedMessages: 0, rttMs: 100, rttVarMs: 0, rtoMs: 800 });
  });

  test('resends stay within the capped RTO: about one per second, never one per tick', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    h.take();
    h.advance(10_000);
    // 200 + 400 + 800 ms, then every 1000 ms: 3 + 8 resends in 10 s (the plugin bug would make ~98).
    expect(h.engine.stats().retransmissions).toBe(11);
  });

  test('timed-out messages are resent oldest first, in a bounded burst', () => {
    const h = openShell({ maxRetransmitBurst: 2 });
    for (let i = 0; i < 5; i++) h.engine.write(bytes(String(i)));
    h.take();
    h.tick(200);
    expect(h.engine.nextDeadline()).toBe(200);
    h.engine.onTimer();
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([0, 1]);
    // The rest of the timed-out messages go at once, under the timeout they expired with.
    expect(h.engine.nextDeadline()).toBe(200);
    h.engine.onTimer();
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([2, 3]);
    h.engine.onTimer();
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([4]);
    expect(h.engine.stats().rtoMs).toBe(400);
    expect(h.engine.nextDeadline()).toBe(600);
  });

  test('no acknowledgement for giveUpAfterMs fails with RETRANSMIT_GIVE_UP and stops sending', () => {
    const h = openShell({ giveUpAfterMs: 30_000 });
    h.engine.write(bytes('x'));
    h.advance(29_999);
    expect(h.errors).toEqual([]);
    h.take();
    h.advance(1);
    expect(h.errors.map((e) => e.code)).toEqual(['RETRANSMIT_GIVE_UP']);
    expect(h.engine.phase).toBe('failed');
    h.advance(10_000);
    expect(h.take()).toEqual([]);
    expect(h.engine.nextDeadline()).toBeUndefined();
    expect(() => h.engine.write(bytes('y'))).toThrow(expect.objectContaining({ code: 'CHANNEL_CLOSED' }));
  });

  test('a pause of publication longer than giveUpAfterMs fails with RETRANSMIT_GIVE_UP', () => {
    const h = openShell({ giveUpAfterMs: 10_000 });
    h.engine.receive(controlFrame(MessageType.PausePublication));
    h.advance(9999);
    expect(h.errors).toEqual([]);
    h.advance(1);
    expect(h.errors.map((e) => [e.code, e.message])).toEqual([
      ['RETRANSMIT_GIVE_UP', 'the service paused publication for more than 10000 ms; giving up'],
    ]);
  });

  test('while the reader holds the budget, input still goes out, but nothing is resent and the give-up clock waits', () => {
    const h = openShell({ giveUpAfterMs: 10_000, receiveBudgetBytes: 2 });
    h.engine.write(bytes('a'));
    const [a] = h.takeData();
    // The shell's prompt ('$ ', 2 bytes) is still unread: reading is held.
    expect(h.engine.receiving).toBe(false);
    h.engine.write(bytes('b'));
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([1]);
    h.advance(60_000);
    expect(h.errors).toEqual([]);
    expect(h.takeData()).toEqual([]);
    h.engine.consumed(2);
    expect(h.engine.receiving).toBe(true);
    // The acks that waited in the socket get one RTO before anything is resent.
    h.engine.receive(ackFrame(0, a!.messageId));
    expect(h.engine.stats().unackedMessages).toBe(1);
    h.advance(h.engine.stats().rtoMs - 1);
    expect(h.takeData()).toEqual([]);
    h.advance(1);
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([1]);
  });

  test('while the uplink is full, nothing new is sent or resent, and the give-up clock waits; drained() sends what waited', () => {
    const h = openShell({ giveUpAfterMs: 10_000 });
    h.engine.write(bytes('a'));
    h.uplinkFull = true;
    h.engine.write(bytes('b'));
    // 'b' was taken, and the queue answered full.
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([0, 1]);
    h.engine.write(bytes('c'));
    h.engine.resize(100, 30);
    h.advance(60_000);
    expect(h.errors).toEqual([]);
    expect(h.take()).toEqual([]);
    h.uplinkFull = false;
    h.engine.drained();
    expect(h.take().map((m) => [m.sequenceNumber, m.payloadType])).toEqual([
      [2, 1],
      [3, 3],
    ]);
  });

  test('a reconnection while the uplink was full resends everything unacknowledged on the new connection', () => {
    const h = openShell();
    h.engine.write(bytes('a'));
    h.uplinkFull = true;
    h.engine.write(bytes('b'));
    h.engine.write(bytes('c'));
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([0, 1]);
    h.engine.transportDown();
    h.uplinkFull = false;
    h.engine.transportUp();
    expect(h.takeData().map((m) => m.sequenceNumber)).toEqual([0, 1, 2]);
  });

  test('a kept input frame owns its memory (no shared slab is pinned by the window)', () => {
    const h = openShell();
    h.engine.write(bytes('k'));
    const frame = h.raw.at(-1)!;
    expect(frame.byteLength).toBe(121);
    expect(frame.buffer.byteLength).toBe(121);
  });

  test('ack progress restarts the give-up clock; time offline does not count', () => {
    const h = openShell({ giveUpAfterMs: 10_000 });
    h.engine.write(bytes('a'));
    h.engine.write(bytes('b'));
    const [a] = h.takeData();
    h.advance(9000);
    h.engine.receive(ackFrame(0, a!.messageId));
    h.advance(9000);
    h.engine.transportDown();
    h.advance(60_000);
    h.engine.transportUp();
    h.advance(9000);
    expect(h.errors).toEqual([]);
    h.advance(1000);
    expect(h.errors.map((e) => e.code)).toEqual(['RETRANSMIT_GIVE_UP']);
  });
});

describe('reconnect and publication control', () => {
  test('while down nothing is sent; on reconnect every unacked message goes out at once, in order, unchanged', () => {
    const h = openShell();
    h.engine.write(bytes('a'));
    h.engine.write(bytes('b'));
    const before = h.raw.slice(-2);
    const [a] = h.takeData();
    h.engine.transportDown();
    h.engine.write(bytes('c'));
    h.engine.receive(outputFrame(1, 'late'));
    h.advance(5000);
    expect(h.take()).toEqual([]);
    expect(h.engine.nextDeadline()).toBeUndefined();
    h.engine.receive(ackFrame(0, a!.messageId));
    h.engine.transportUp();
    const resent = h.takeData();
    expect(resent.map((m) => [m.sequenceNumber, Buffer.from(m.payload).toString()])).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(h.raw.slice(-2)[0]).toEqual(before[1]);
  });

  test('pause_publication holds input; start_publication, an ack or output releases it', () => {
    const h = openShell();
    h.engine.receive(controlFrame(MessageType.PausePublication));
    h.engine.write(bytes('a'));
    h.advance(5000);
    expect(h.takeData()).toEqual([]);
    h.engine.receive(controlFrame(MessageType.StartPublication));
    const [a] = h.takeData();
    expect(Buffer.from(a!.payload).toString()).toBe('a');

    h.engine.receive(controlFrame(MessageType.PausePublication));
    h.engine.write(bytes('b'));
    expect(h.takeData()).toEqual([]);
    h.engine.receive(ackFrame(0, a!.messageId));
    expect(h.takeData().map((m) => Buffer.from(m.payload).toString())).toEqual(['b']);

    h.engine.receive(controlFrame(MessageType.PausePublication));
    h.engine.write(bytes('c'));
    h.engine.receive(outputFrame(1, 'out'));
    expect(h.takeData().map((m) => Buffer.from(m.payload).toString())).toEqual(['c']);
  });
});

describe('close and timers', () => {
  test('close() reports once, clears state, and refuses input', () => {
    const h = openShell();
    h.engine.write(bytes('x'));
    h.take();
    h.engine.close();
    h.engine.close();
    expect(h.closes).toEqual([{ reason: 'local' }]);
    expect(h.engine.stats()).toMatchObject({ phase: 'closed', unackedMessages: 0 });
    expect(h.engine.nextDeadline()).toBeUndefined();
    expect(() => h.engine.openFrame('t')).toThrow(expect.objectContaining({ code: 'CHANNEL_CLOSED' }));
    h.engine.resize(10, 10);
    h.engine.transportUp();
    expect(h.take()).toEqual([]);
  });

  test('no deadline when nothing waits', () => {
    const h = openShell({ startTimeoutMs: Number.POSITIVE_INFINITY });
    expect(h.engine.nextDeadline()).toBeUndefined();
    const idle = clientHarness({
      startTimeoutMs: Number.POSITIVE_INFINITY,
      giveUpAfterMs: Number.POSITIVE_INFINITY,
    });
    expect(idle.engine.nextDeadline()).toBeUndefined();
    startShell(idle);
    idle.engine.write(bytes('x'));
    expect(idle.engine.nextDeadline()).toBe(200);
  });

  test('bad options are refused at once', () => {
    for (const bad of [{ maxUnackedMessages: 0 }, { maxReorderBytes: 1.5 }, { receiveBudgetBytes: -1 }]) {
      expect(() => clientHarness(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => clientHarness({ terminalSize: { cols: 0, rows: 1 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

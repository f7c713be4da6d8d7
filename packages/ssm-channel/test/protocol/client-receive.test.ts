import { describe, expect, test } from 'vitest';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { encodeChannelClosed } from '../../src/codec/payloads/channel-closed.js';
import { encodeExitCode } from '../../src/codec/payloads/exit-code.js';
import { encodeFlag } from '../../src/codec/payloads/flag.js';
import { clientHarness, controlFrame, json, outputFrame, startShell } from '../sim/client-harness.js';

function acksOf(h: ReturnType<typeof clientHarness>): number[] {
  return h
    .take()
    .filter((m) => m.messageType === MessageType.Acknowledge)
    .map((m) => json(m).AcknowledgedMessageSequenceNumber as number);
}

describe('receiving output', () => {
  test('every output message is acked with the official ack shape', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(0, 'a', PayloadType.Output, '11111111-2222-4333-8444-555555555555'));
    const [ack] = h.take();
    expect(ack).toMatchObject({
      messageType: 'acknowledge',
      sequenceNumber: 0,
      flags: HeaderFlag.Ack,
      payloadType: 0,
      schemaVersion: 1,
    });
    expect(json(ack!)).toEqual({
      AcknowledgedMessageType: 'output_stream_data',
      AcknowledgedMessageId: '11111111-2222-4333-8444-555555555555',
      AcknowledgedMessageSequenceNumber: 0,
      IsSequentialMessage: true,
    });
  });

  test('duplicates are re-acked (unlike the plugin) and not delivered twice', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(0, 'a'));
    h.engine.receive(outputFrame(1, 'b'));
    h.engine.receive(outputFrame(0, 'a'));
    h.engine.receive(outputFrame(1, 'b'));
    expect(acksOf(h)).toEqual([0, 1, 0, 1]);
    expect(h.text()).toBe('ab');
    expect(h.engine.stats().duplicates).toBe(2);
  });

  test('out-of-order messages are acked on store and delivered in order, not acked again', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(2, 'c'));
    h.engine.receive(outputFrame(1, 'b'));
    h.engine.receive(outputFrame(2, 'c'));
    expect(h.text()).toBe('');
    expect(acksOf(h)).toEqual([2, 1, 2]);
    h.engine.receive(outputFrame(0, 'a'));
    expect(acksOf(h)).toEqual([0]);
    expect(h.text()).toBe('abc');
    const s = h.engine.stats();
    expect([s.outOfOrder, s.duplicates, s.reorderMessages, s.reorderBytes]).toEqual([2, 1, 0, 0]);
  });

  test('beyond the reorder bounds messages are dropped without an ack and never allocated', () => {
    const h = clientHarness({ maxReorderMessages: 4, maxReorderBytes: 10 });
    h.engine.receive(outputFrame(4, 'x'));
    h.engine.receive(outputFrame(Number.MAX_SAFE_INTEGER, 'x'));
    h.engine.receive(outputFrame(3, 'too long payload'));
    expect(acksOf(h)).toEqual([]);
    h.engine.receive(outputFrame(3, '123456789'));
    h.engine.receive(outputFrame(2, '12'));
    expect(acksOf(h)).toEqual([3]);
    const s = h.engine.stats();
    expect([s.droppedMessages, s.reorderMessages, s.reorderBytes]).toEqual([4, 1, 9]);
  });

  test('stderr is delivered apart from stdout, in stream order', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(0, 'out1'));
    h.engine.receive(outputFrame(1, 'err1', PayloadType.StdErr));
    h.engine.receive(outputFrame(2, 'out2'));
    expect(h.text()).toBe('out1out2');
    expect(Buffer.concat(h.stderr).toString()).toBe('err1');
    expect(h.engine.stats().bytesIn).toBe(12);
  });

  test('stderr goes to onOutput when there is no onStderr', () => {
    const h = clientHarness({ onStderr: undefined as never });
    h.engine.receive(outputFrame(0, 'x'));
    h.engine.receive(outputFrame(1, 'y', PayloadType.StdErr));
    expect(h.text()).toBe('xy');
  });

  test('flags are surfaced; exit code and channel_closed end the session; later frames are ignored', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(0, 'done'));
    h.engine.receive(outputFrame(1, encodeFlag(3), PayloadType.Flag));
    h.engine.receive(outputFrame(2, encodeExitCode(42), PayloadType.ExitCode));
    expect(h.flags).toEqual([3]);
    h.take();
    h.engine.receive(
      controlFrame(
        MessageType.ChannelClosed,
        encodeChannelClosed({
          messageId: 'm',
          createdDate: '2018-01-01',
          destinationId: 'i-1',
          sessionId: 'sess-1',
          messageType: 'channel_closed',
          schemaVersion: 1,
          output: 'Session terminated',
        }),
      ),
    );
    expect(h.closes).toEqual([
      { reason: 'channel_closed', exitCode: 42, output: 'Session terminated', sessionId: 'sess-1' },
    ]);
    expect(h.take()).toEqual([]);
    h.engine.receive(outputFrame(3, 'late'));
    expect(h.take()).toEqual([]);
    expect(h.text()).toBe('done');
    expect(h.engine.phase).toBe('closed');
    expect(h.engine.stats().ignored).toBe(1);
    h.engine.close();
    expect(h.closes).toHaveLength(1);
  });

  test('channel_closed with unparsable JSON still ends the session', () => {
    const h = clientHarness();
    h.engine.receive(controlFrame(MessageType.ChannelClosed, 'garbage'));
    expect(h.closes).toEqual([{ reason: 'channel_closed' }]);
    expect(h.engine.stats().badPayloads).toBe(1);
  });

  test('a bad exit code or flag payload is counted, not fatal', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(0, 'EXIT_CODE: x', PayloadType.ExitCode));
    h.engine.receive(outputFrame(1, 'abc', PayloadType.Flag));
    expect(acksOf(h)).toEqual([0, 1]);
    expect(h.engine.stats().badPayloads).toBe(2);
    expect(h.errors).toEqual([]);
  });

  test('unknown message and payload types are ignored (payloads acked so the stream moves on)', () => {
    const h = clientHarness();
    startShell(h);
    h.engine.receive(controlFrame('agent_session_state', '{"SessionState":"Connected"}'));
    h.engine.receive(controlFrame('something_new'));
    h.engine.receive(outputFrame(1, 'x', 99));
    h.engine.receive(outputFrame(2, 'y'));
    expect(acksOf(h)).toEqual([0, 1, 2]);
    expect(h.text()).toBe('$ y');
    expect(h.engine.stats().ignored).toBe(3);
  });
});

describe('receive budget (backpressure towards the agent)', () => {
  test('past the budget output is kept and acked up to the reorder bound, then refused unacked', () => {
    const h = clientHarness({ receiveBudgetBytes: 4, maxReorderBytes: 6 });
    h.engine.receive(outputFrame(0, 'abcd'));
    h.engine.receive(outputFrame(1, 'efg'));
    h.engine.receive(outputFrame(2, 'hij'));
    h.engine.receive(outputFrame(3, 'k'));
    expect(h.text()).toBe('abcd');
    expect(acksOf(h)).toEqual([0, 1, 2]);
    expect(h.engine.stats()).toMatchObject({ unconsumedBytes: 4, reorderBytes: 6, droppedMessages: 1 });

    // Below the budget a whole payload is taken, so the budget may be passed by one payload.
    h.engine.consumed(4);
    expect(h.text()).toBe('abcdefghij');
    expect(h.engine.stats()).toMatchObject({ unconsumedBytes: 6, reorderBytes: 0 });
    h.engine.consumed(3);
    h.engine.receive(outputFrame(3, 'k'));
    expect(h.text()).toBe('abcdefghijk');
    expect(acksOf(h)).toEqual([3]);
  });

  test('at the reorder bound the in-order message is refused without an ack', () => {
    const h = clientHarness({ receiveBudgetBytes: 1, maxReorderBytes: 2 });
    h.engine.receive(outputFrame(0, 'a'));
    h.engine.receive(outputFrame(1, 'bcd'));
    expect(acksOf(h)).toEqual([0]);
    expect(h.engine.stats().refused).toBe(1);
    h.engine.consumed(1);
    h.engine.receive(outputFrame(1, 'bcd'));
    expect(acksOf(h)).toEqual([1]);
    expect(h.text()).toBe('abcd');
  });

  test('receiving turns false at the budget and true once the reader released enough', () => {
    const h = clientHarness({ receiveBudgetBytes: 4 });
    expect(h.engine.receiving).toBe(true);
    h.engine.receive(outputFrame(0, 'abc'));
    expect(h.engine.receiving).toBe(true);
    h.engine.receive(outputFrame(1, 'de'));
    expect(h.engine.receiving).toBe(false);
    h.engine.consumed(1);
    expect(h.engine.receiving).toBe(false);
    h.engine.consumed(1);
    expect(h.engine.receiving).toBe(true);
  });

  test('receiving is false from a sendFrame that answered false until drained(), and after the end', () => {
    const h = clientHarness();
    startShell(h);
    h.uplinkFull = true;
    h.engine.receive(outputFrame(1, 'a'));
    // The ack went out and found the queue full.
    expect(acksOf(h)).toEqual([0, 1]);
    expect(h.engine.receiving).toBe(false);
    // Frames that still arrive are handled as usual.
    h.engine.receive(outputFrame(2, 'b'));
    expect(h.text()).toBe('$ ab');
    h.uplinkFull = false;
    h.engine.drained();
    expect(h.engine.receiving).toBe(true);
    h.engine.close();
    expect(h.engine.receiving).toBe(false);
  });

  test('channel_closed hands over the output kept for a slow reader', () => {
    const h = clientHarness({ receiveBudgetBytes: 1 });
    h.engine.receive(outputFrame(0, 'a'));
    h.engine.receive(outputFrame(1, 'b'));
    h.engine.receive(outputFrame(2, 'c'));
    h.engine.receive(controlFrame(MessageType.ChannelClosed, '{}'));
    expect(h.text()).toBe('abc');
    expect(h.closes).toHaveLength(1);
  });

  test('a reader that releases bytes from inside onOutput does not recurse', () => {
    let engine: ReturnType<typeof clientHarness>['engine'] | undefined;
    const got: string[] = [];
    const h = clientHarness({
      receiveBudgetBytes: 1,
      onOutput: (b) => {
        got.push(Buffer.from(b).toString());
        engine?.consumed(b.length);
      },
    });
    engine = h.engine;
    for (let i = 200; i >= 1; i--) h.engine.receive(outputFrame(i, String(i % 10)));
    h.engine.receive(outputFrame(0, '0'));
    expect(got.join('')).toBe(Array.from({ length: 201 }, (_, i) => String(i % 10)).join(''));
  });

  test('consumed() rejects bad counts', () => {
    const h = clientHarness();
    expect(() => h.engine.consumed(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => h.engine.consumed(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

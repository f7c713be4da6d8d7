import { describe, expect, it, vi } from 'vitest';
import { AttemptBudget } from '../../src/channel/reconnect-policy.js';
import { Reconnector } from '../../src/channel/reconnector.js';
import { SsmChannelError } from '../../src/errors.js';

const LOST = new SsmChannelError('CONNECTION_LOST', 'the socket dropped');

function reconnector(
  reconnect: () => Promise<{ streamUrl: string; tokenValue: string }>,
  signal: AbortSignal,
  failures: SsmChannelError[],
): Reconnector {
  return new Reconnector(
    {
      credentials: reconnect,
      maxAttempts: 2,
      initialDelayMs: 1,
      maxDelayMs: 1,
      credentialsTimeoutMs: 600_000,
    },
    {
      connect: () => Promise.resolve(),
      fail: (error) => failures.push(error),
      now: () => performance.now(),
      progress: () => 0,
      signal,
    },
  );
}

/** 'done' if `promise` settles within `ms`, else 'pending'. */
function within(promise: Promise<unknown>, ms: number): Promise<'done' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  return Promise.race([promise.then(() => 'done' as const), late]).finally(() => clearTimeout(timer));
}

describe('Reconnector', () => {
  it('stops at once when the channel ends, even if the callback ignores its signal', async () => {
    const lifetime = new AbortController();
    const failures: SsmChannelError[] = [];
    let callSignal: AbortSignal | undefined;
    let called!: () => void;
    const calledOnce = new Promise<void>((resolve) => {
      called = resolve;
    });
    const loop = reconnector(
      (...args: unknown[]) => {
        callSignal = (args[0] as { signal: AbortSignal }).signal;
        called();
        return new Promise(() => undefined);
      },
      lifetime.signal,
      failures,
    ).run(LOST);
    await calledOnce;
    lifetime.abort();
    // Before the fix the loop (and its 10-minute timer) waited for the callback timeout.
    expect(await within(loop, 500)).toBe('done');
    expect(callSignal?.aborted).toBe(true);
    expect(failures).toEqual([]);
  });

  it('a callback that rejects after its timeout changes nothing more', async () => {
    const lifetime = new AbortController();
    const failures: SsmChannelError[] = [];
    let rejectLate!: (error: Error) => void;
    const loop = new Reconnector(
      {
        credentials: () =>
          new Promise((_resolve, reject) => {
            rejectLate = reject;
          }),
        maxAttempts: 2,
        initialDelayMs: 1,
        maxDelayMs: 1,
        credentialsTimeoutMs: 20,
      },
      {
        connect: () => Promise.resolve(),
        fail: (error) => failures.push(error),
        now: () => performance.now(),
        progress: () => 0,
        signal: lifetime.signal,
      },
    ).run(LOST);
    await loop;
    rejectLate(new Error('too late'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.code).toBe('RECONNECT_FAILED');
    expect(String(failures[0]?.cause)).toContain('did not answer within 20 ms');
  });
});

describe('reconnection rate limit', () => {
  it('a flapping agent gets at most 3 attempts at once, then 10 a minute, whatever progress each makes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const lifetime = new AbortController();
      const calls: number[] = [];
      let progress = 0;
      const loop = new Reconnector(
        {
          credentials: () => {
            calls.push(Date.now());
            return Promise.resolve({ streamUrl: 'ws://127.0.0.1:1/x', tokenValue: 't' });
          },
          maxAttempts: 6,
          initialDelayMs: 100,
          maxDelayMs: 5_000,
          credentialsTimeoutMs: 60_000,
        },
        {
          // Each connection delivers a message and then drops at once.
          connect: () => {
            progress += 1;
            return Promise.resolve();
          },
          fail: () => undefined,
          now: () => Date.now(),
          progress: () => progress,
          signal: lifetime.signal,
        },
      );
      const start = Date.now();
      loop.connected();
      for (let loss = 0; loss < 40; loss++) {
        progress += 1;
        const run = loop.run(LOST);
        await vi.runAllTimersAsync();
        await run;
        loop.connected();
      }
      const minutes = (Date.now() - start) / 60_000;
      const inFirstMinute = calls.filter((t) => t - start < 60_000).length;
      expect(calls).toHaveLength(40);
      expect(inFirstMinute).toBeLessThanOrEqual(13);
      // Over the whole run: the burst, then 10 a minute.
      expect(calls.length).toBeLessThanOrEqual(3 + Math.ceil(minutes * 10));
      // And no faster than that in any minute.
      for (const t of calls) {
        expect(calls.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(13);
      }
      expect(minutes).toBeGreaterThan(3);
      lifetime.abort();
    } finally {
      vi.useRealTimers();
    }
  });

  it('AttemptBudget: 3 at once, then one every 6 s', () => {
    const budget = new AttemptBudget();
    expect([0, 0, 0].map((t) => budget.take(t))).toEqual([0, 0, 0]);
    expect(budget.take(0)).toBe(6_000);
    expect(budget.take(6_000)).toBe(6_000);
    // A long quiet spell refills the burst, no more.
    expect([600_000, 600_000, 600_000].map((t) => budget.take(t))).toEqual([0, 0, 0]);
    expect(budget.take(600_000)).toBe(6_000);
  });
});

import { describe, expect, it } from 'vitest';
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

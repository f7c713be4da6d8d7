import { describe, expect, it } from 'vitest';
import { backoffDelay, type RetryProgress, retryWithBackoff } from '../src/backoff.js';
import { AdminShellError } from '../src/errors.js';

describe('backoffDelay', () => {
  it('doubles up to the cap, with equal jitter', () => {
    const opts = { initialDelayMs: 500, maxDelayMs: 5_000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(250);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(500);
    expect(backoffDelay(2, opts, () => 0.999999)).toBe(1_000);
    expect(backoffDelay(4, opts, () => 0.999999)).toBe(4_000);
    expect(backoffDelay(5, opts, () => 0.999999)).toBe(5_000);
    expect(backoffDelay(500, opts, () => 0.5)).toBe(3_750);
  });
});

/** Virtual time: sleep advances the clock. */
function virtualRuntime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    runtime: {
      now: () => now,
      random: () => 0.5,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

describe('retryWithBackoff', () => {
  it('retries the classified errors and returns the first success', async () => {
    const { runtime, sleeps } = virtualRuntime();
    const seen: RetryProgress[] = [];
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 4) throw new Error('busy');
        return 'ok';
      },
      () => 'not_ready',
      { onRetry: (p) => seen.push(p) },
      runtime,
    );
    expect(value).toBe('ok');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([375, 750, 1_500]);
    expect(seen.map((p) => p.attempt)).toEqual([1, 2, 3]);
    expect(seen[2]).toMatchObject({ reason: 'not_ready', elapsedMs: 1_125, maxWaitMs: 60_000 });
  });

  it('uses the whole of maxWaitMs: the last wait ends at it, then the last error is thrown', async () => {
    const { runtime, sleeps } = virtualRuntime();
    let calls = 0;
    const error = await retryWithBackoff(
      async () => {
        calls++;
        throw new Error(`busy ${calls}`);
      },
      () => 'throttled',
      { maxWaitMs: 10_000 },
      runtime,
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`busy ${calls}`);
    // 375 + 750 + 1500 + 3000 = 5625, then 3750 (5000 drawn at 0.5 → 3750), then the 625 ms left.
    expect(sleeps).toEqual([375, 750, 1_500, 3_000, 3_750, 625]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(calls).toBe(sleeps.length + 1);
    expect(calls).toBeGreaterThan(3);
  });

  it('does not retry unclassified errors, and maxWaitMs 0 means one call', async () => {
    const { runtime, sleeps } = virtualRuntime();
    await expect(
      retryWithBackoff(
        async () => Promise.reject(new Error('fatal')),
        () => undefined,
        {},
        runtime,
      ),
    ).rejects.toThrow('fatal');
    await expect(
      retryWithBackoff(
        async () => Promise.reject(new Error('busy')),
        () => 'not_ready',
        { maxWaitMs: 0 },
        runtime,
      ),
    ).rejects.toThrow('busy');
    expect(sleeps).toEqual([]);
  });

  it('a throwing progress callback does not change the outcome', async () => {
    const { runtime } = virtualRuntime();
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        if (++calls < 2) throw new Error('busy');
        return calls;
      },
      () => 'not_ready',
      {
        onRetry: () => {
          throw new Error('callback bug');
        },
      },
      runtime,
    );
    expect(value).toBe(2);
  });

  it('an abort during a real wait rejects with ABORTED at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = retryWithBackoff(
      async () => Promise.reject(new Error('busy')),
      () => 'not_ready',
      { initialDelayMs: 10_000, maxDelayMs: 10_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

/**
 * How long to wait before each reconnection attempt, and an abortable sleep.
 */
import { SsmChannelError } from '../errors.js';

/** Bounds of the reconnection loop. */
export interface ReconnectPolicy {
  /** Attempts after one connection loss before the channel fails with `RECONNECT_FAILED`. */
  maxAttempts: number;
  /** Delay before the first attempt: a random value in [initial, 2·initial). */
  initialDelayMs: number;
  /** Largest delay between two attempts. */
  maxDelayMs: number;
  /** Longest wait for one call of the caller's `reconnect` callback. */
  callbackTimeoutMs: number;
}

/**
 * The official clients' retry shape: 100–200 ms first, doubling, capped at 5 s (§15); and two minutes for
 * the caller's callback (an API call with its own retries).
 */
export const RECONNECT_DEFAULTS: ReconnectPolicy = {
  maxAttempts: 6,
  initialDelayMs: 100,
  maxDelayMs: 5000,
  callbackTimeoutMs: 120_000,
};

/** The delay before attempt `attempt` (1-based), with jitter in [base, 2·base), capped at `maxDelayMs`. */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: () => number): number {
  const base = policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30);
  return Math.min(policy.maxDelayMs, base * (1 + random()));
}

/**
 * Resolves after `ms`, or rejects with `ABORTED` as soon as `signal` aborts.
 * @throws {SsmChannelError} `ABORTED`
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new SsmChannelError('ABORTED', 'the channel closed while waiting to reconnect'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SsmChannelError('ABORTED', 'the channel closed while waiting to reconnect'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

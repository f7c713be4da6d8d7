/**
 * How long to wait before each reconnection attempt, the rate limit on attempts, and an abortable sleep.
 */
import type { ReconnectContext, StreamCredentials } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';

/** The checked `reconnect` option: the caller's callback and the bounds of the reconnection loop. */
export interface ReconnectPolicy {
  /** The caller's callback: fresh credentials for the same session. */
  credentials(context: ReconnectContext): Promise<StreamCredentials>;
  /** Attempts after one connection loss before the channel fails with `RECONNECT_FAILED`. */
  maxAttempts: number;
  /** Delay before the first attempt: a random value in [initial, 2·initial). */
  initialDelayMs: number;
  /** Largest delay between two attempts. */
  maxDelayMs: number;
  /** Longest wait for one call of `credentials`. */
  credentialsTimeoutMs: number;
}

/**
 * The official clients' retry shape: 100–200 ms first, doubling, capped at 5 s (§15); and two minutes for
 * the caller's callback (an API call with its own retries).
 */
export const RECONNECT_DEFAULTS = {
  maxAttempts: 6,
  initialDelayMs: 100,
  maxDelayMs: 5000,
  credentialsTimeoutMs: 120_000,
} as const;

/**
 * The rate limit on reconnection attempts, over the whole life of a channel and whatever progress each
 * connection made: a burst of {@link RECONNECT_RATE.burst}, then at most {@link RECONNECT_RATE.perMinute}
 * a minute. So a service that accepts connections and drops each one after a little progress (a flapping
 * agent) costs at most that many calls of `credentials` (API calls) instead of one every few hundred ms.
 */
export const RECONNECT_RATE = { burst: 3, perMinute: 10 } as const;

/** The delay before attempt `attempt` (1-based), with jitter in [base, 2·base), capped at `maxDelayMs`. */
export function reconnectDelay(
  policy: Pick<ReconnectPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  attempt: number,
  random: () => number,
): number {
  const base = policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30);
  return Math.min(policy.maxDelayMs, base * (1 + random()));
}

/**
 * A token bucket over {@link RECONNECT_RATE}: `take(now)` spends a token and returns how long to wait
 * before the attempt it stands for (0 when one was there).
 */
export class AttemptBudget {
  readonly #intervalMs = 60_000 / RECONNECT_RATE.perMinute;
  #tokens: number = RECONNECT_RATE.burst;
  #updatedAt: number | undefined;

  /** Spends one token; returns the wait until it is there, in ms. */
  take(now: number): number {
    const since = this.#updatedAt === undefined ? 0 : now - this.#updatedAt;
    this.#tokens = Math.min(RECONNECT_RATE.burst, this.#tokens + since / this.#intervalMs);
    this.#updatedAt = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : -this.#tokens * this.#intervalMs;
  }
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

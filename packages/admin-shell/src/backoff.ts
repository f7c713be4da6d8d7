import { abortableSleep } from './abortable-sleep.js';
import { AdminShellError } from './errors.js';
import { checkMilliseconds, MAX_TIMER_MS, shownValue } from './option-checks.js';

/** Why a call is being retried. */
export type RetryReason = 'not_ready' | 'throttled';

/** What the progress callback is told before each wait. */
export interface RetryProgress {
  /** The attempt that just failed: 1 for the first call. */
  readonly attempt: number;
  readonly reason: RetryReason;
  /** How long the next wait lasts. */
  readonly delayMs: number;
  /** Time spent since the first call started. */
  readonly elapsedMs: number;
  /** The bound on the whole wait ({@link RetryOptions.maxWaitMs}). */
  readonly maxWaitMs: number;
}

/**
 * How `StreamSessionAccessNotReady` (409) and throttling (429) answers are retried. Every value is a whole
 * number of milliseconds; a bad one is refused with `INVALID_ARGUMENT` before any call.
 */
export interface RetryOptions {
  /**
   * The longest total time spent retrying, from the first call. A wait that would pass it is cut short, so
   * the last call is made at this bound; an error after it is reported. 0 to 2^31 − 1; 0 means a single call.
   * @default 60_000
   */
  maxWaitMs?: number;
  /**
   * The base of the first wait; each later wait doubles it, up to {@link maxDelayMs}. Each wait is drawn at
   * random in [base / 2, base] ("equal jitter"). At least 10, so that retries cannot hammer the API.
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * The largest base of a single wait. At least {@link initialDelayMs}.
   * @default 5_000, or `initialDelayMs` when that is larger
   */
  maxDelayMs?: number;
  /** Called before each wait. Exceptions it throws are ignored. */
  onRetry?: (progress: RetryProgress) => void;
}

/** Default values of {@link RetryOptions}. */
export const RETRY_DEFAULTS = { maxWaitMs: 60_000, initialDelayMs: 500, maxDelayMs: 5_000 } as const;

/** The smallest `initialDelayMs` (and so `maxDelayMs`) accepted. */
export const MIN_RETRY_DELAY_MS = 10;

/** {@link RetryOptions} checked, with the defaults filled in. */
export interface ResolvedRetryOptions {
  readonly maxWaitMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Checks {@link RetryOptions} and fills in the defaults.
 * @throws {AdminShellError} `INVALID_ARGUMENT` when `retry` is not an object, a value is not a whole number
 *   in its range (`maxWaitMs` 0 to 2^31 − 1, `initialDelayMs` 10 to 2^31 − 1, `maxDelayMs` from
 *   `initialDelayMs` to 2^31 − 1), or `onRetry` is not a function.
 */
export function resolveRetryOptions(retry: RetryOptions | undefined): ResolvedRetryOptions {
  if (retry === undefined) return RETRY_DEFAULTS;
  if (typeof retry !== 'object' || retry === null) {
    throw new AdminShellError('INVALID_ARGUMENT', `retry must be an object, not ${shownValue(retry)}.`);
  }
  if (retry.onRetry !== undefined && typeof retry.onRetry !== 'function') {
    throw new AdminShellError('INVALID_ARGUMENT', 'retry.onRetry must be a function.');
  }
  const maxWaitMs = checkMilliseconds('retry.maxWaitMs', retry.maxWaitMs, RETRY_DEFAULTS.maxWaitMs, 0);
  const initialDelayMs = checkMilliseconds(
    'retry.initialDelayMs',
    retry.initialDelayMs,
    RETRY_DEFAULTS.initialDelayMs,
    MIN_RETRY_DELAY_MS,
  );
  const maxDelayMs = checkMilliseconds(
    'retry.maxDelayMs',
    retry.maxDelayMs,
    Math.min(MAX_TIMER_MS, Math.max(RETRY_DEFAULTS.maxDelayMs, initialDelayMs)),
    initialDelayMs,
  );
  return { maxWaitMs, initialDelayMs, maxDelayMs };
}

/**
 * The wait before attempt `attempt + 1`: base = min(maxDelayMs, initialDelayMs · 2^(attempt−1)), drawn in
 * [base / 2, base] with `random` in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  options: { initialDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** exponent);
  return Math.round(base / 2 + (base / 2) * random());
}

/** The clock, randomness and sleep of {@link retryWithBackoff}, injectable for tests. */
export interface RetryRuntime {
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Calls `attempt` until it succeeds, fails with an error `classify` does not call retryable, or fails once
 * `maxWaitMs` has passed; then the last error is thrown as it is. The wait that would pass `maxWaitMs` is cut
 * to end at it, so the whole budget is used.
 * @throws the last error of `attempt`; `AdminShellError` `ABORTED` when `signal` is aborted during a wait;
 *   `AdminShellError` `INVALID_ARGUMENT` for bad options, before the first call (see
 *   {@link resolveRetryOptions}).
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  classify: (error: unknown) => RetryReason | undefined,
  options: RetryOptions & { signal?: AbortSignal | undefined } = {},
  runtime: RetryRuntime = {},
): Promise<T> {
  const now = runtime.now ?? Date.now;
  const sleep = runtime.sleep ?? abortableSleep;
  const { maxWaitMs, ...delays } = resolveRetryOptions(options);
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const reason = classify(error);
      if (reason === undefined) throw error;
      const elapsedMs = now() - started;
      const leftMs = maxWaitMs - elapsedMs;
      if (leftMs <= 0) throw error;
      const delayMs = Math.min(backoffDelay(n, delays, runtime.random), leftMs);
      try {
        options.onRetry?.({ attempt: n, reason, delayMs, elapsedMs, maxWaitMs });
      } catch {
        // A progress callback must not change the outcome.
      }
      await sleep(delayMs, options.signal);
    }
  }
}

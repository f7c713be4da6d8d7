import { linkSignals } from './linked-signal.js';

/** A bound on one API call: a signal that aborts at the deadline or with the caller's signal. */
export interface CallDeadline {
  /** Aborts when the deadline passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** True once the deadline (not the caller) has aborted {@link signal}. */
  readonly expired: () => boolean;
  /** Cancels the timer and stops following the caller's signal; call it when the call has settled. */
  clear(): void;
}

/** Starts a deadline of `timeoutMs` for one call, combined with the caller's `signal`. */
export function startCallDeadline(timeoutMs: number, signal: AbortSignal | undefined): CallDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`the call took longer than ${timeoutMs} ms`));
  }, timeoutMs);
  const combined = linkSignals(signal, controller.signal);
  return {
    signal: combined.signal,
    expired: () => expired && signal?.aborted !== true,
    clear: () => {
      clearTimeout(timer);
      combined.release();
    },
  };
}

import { AdminShellError } from './errors.js';

/** The error every wait of this package rejects with when its signal is aborted. */
export function abortError(signal: AbortSignal): AdminShellError {
  return new AdminShellError('ABORTED', 'The operation was aborted.', { cause: signal.reason });
}

/**
 * Runs `listener` once when `signal` aborts; returns a function that stops listening. The listener goes on
 * a signal that follows `signal` (`AbortSignal.any`), not on `signal` itself: a caller may share one signal
 * among many sessions at once (`--all-sessions --parallel 25`), and Node warns past 10 listeners on one.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  const follower = AbortSignal.any([signal]);
  follower.addEventListener('abort', listener, { once: true });
  return () => follower.removeEventListener('abort', listener);
}

/**
 * Waits `ms` milliseconds. The timer does not keep the process alive on its own.
 * @throws {AdminShellError} `ABORTED` when `signal` is aborted before or during the wait.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      stopListening?.();
      resolve();
    }, ms);
    const stopListening =
      signal &&
      onAbort(signal, () => {
        clearTimeout(timer);
        reject(abortError(signal));
      });
  });
}

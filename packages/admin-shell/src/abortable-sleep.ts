import { listenForAbort } from 'ssm-channel';
import { AdminShellError } from './errors.js';

/** The error every wait of this package rejects with when its signal is aborted. */
export function abortError(signal: AbortSignal): AdminShellError {
  return new AdminShellError('ABORTED', 'The operation was aborted.', { cause: signal.reason });
}

/**
 * Waits `ms` milliseconds.
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
      listenForAbort(signal, () => {
        clearTimeout(timer);
        reject(abortError(signal));
      });
  });
}

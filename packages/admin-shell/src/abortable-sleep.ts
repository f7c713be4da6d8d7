import { AdminShellError } from './errors.js';

/** The error every wait of this package rejects with when its signal is aborted. */
export function abortError(signal: AbortSignal): AdminShellError {
  return new AdminShellError('ABORTED', 'The operation was aborted.', { cause: signal.reason });
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
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

import { listenForAbort } from 'ssm-channel';

/** A signal that follows others, until released: {@link linkSignals}. */
export interface LinkedSignal {
  /** Aborts, with the same reason, when the first of the linked signals does. */
  readonly signal: AbortSignal;
  /** Stops following the linked signals; call it once the operation that used {@link signal} is over. */
  release(): void;
}

/**
 * `AbortSignal.any` for one operation under a caller's signal that may live much longer (a dashboard's
 * shutdown signal over thousands of calls): once released it leaves nothing on that signal (on Node 20,
 * `AbortSignal.any` leaves an entry per call on its sources for good), and the operations running at once
 * share one listener on it (`listenForAbort`). `undefined` entries are skipped.
 */
export function linkSignals(...signals: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const stops: (() => void)[] = [];
  const release = (): void => {
    for (const stop of stops.splice(0)) stop();
  };
  for (const signal of signals) {
    if (signal === undefined) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    stops.push(
      listenForAbort(signal, () => {
        controller.abort(signal.reason);
        release();
      }),
    );
  }
  if (controller.signal.aborted) release();
  return { signal: controller.signal, release };
}

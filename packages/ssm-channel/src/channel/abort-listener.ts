/**
 * One `abort` listener per signal, however many channels or sessions wait on it: a caller may share one
 * signal among hundreds of them, and Node warns past 10 listeners on one `EventTarget`.
 */

import { runEach } from './run-each.js';

interface Waiting {
  readonly listeners: Set<() => void>;
  readonly onAbort: () => void;
}

/** What waits on each signal. The signal's own listener keeps the entry (and the signal) alive. */
const waiting = new WeakMap<AbortSignal, Waiting>();

/**
 * Runs `listener` once when `signal` aborts, and returns a function that stops waiting. All the listeners
 * given for one signal share a single event listener on it, added with the first and removed with the last.
 * A signal that has already aborted fires nothing: check `signal.aborted` first.
 */
export function listenForAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) return () => {};
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const listeners = new Set<() => void>();
    const onAbort = (): void => {
      waiting.delete(signal);
      runEach(listeners);
    };
    entry = { listeners, onAbort };
    waiting.set(signal, entry);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { listeners, onAbort } = entry;
  // A function of its own, so that one listener given twice is two waits.
  const run = (): void => listener();
  listeners.add(run);
  return () => {
    if (!listeners.delete(run) || listeners.size > 0) return;
    signal.removeEventListener('abort', onAbort);
    if (waiting.get(signal)?.listeners === listeners) waiting.delete(signal);
  };
}

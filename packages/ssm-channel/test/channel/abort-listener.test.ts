import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { listenForAbort } from '../../src/channel/abort-listener.js';
import { nextUncaught } from './next-uncaught.js';

describe('listenForAbort', () => {
  it('many waits on one signal share one event listener; each runs once; the last one out removes it', () => {
    const controller = new AbortController();
    const runs: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => listenForAbort(controller.signal, () => runs.push(i)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops.slice(0, 10)) stop();
    controller.abort();
    controller.abort();
    expect(runs).toEqual(Array.from({ length: 40 }, (_, i) => i + 10));
    // Stopping after the abort is harmless.
    for (const stop of stops) stop();

    const other = new AbortController();
    const stopA = listenForAbort(other.signal, () => runs.push(-1));
    const stopB = listenForAbort(other.signal, () => runs.push(-2));
    stopA();
    stopA();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(1);
    stopB();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    // A new wait after the last one left adds the listener again.
    listenForAbort(other.signal, () => runs.push(-3));
    other.abort();
    expect(runs.slice(40)).toEqual([-3]);
  });

  it('the same function given twice is two waits; a signal already aborted runs nothing', () => {
    const controller = new AbortController();
    let count = 0;
    const listener = (): void => {
      count += 1;
    };
    listenForAbort(controller.signal, listener);
    const stop = listenForAbort(controller.signal, listener);
    controller.abort();
    expect(count).toBe(2);
    stop();
    listenForAbort(controller.signal, listener);
    expect(count).toBe(2);
  });

  it('a waiter that throws does not keep the others from running; its error is reported as uncaught', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    listenForAbort(controller.signal, () => ran.push('first'));
    listenForAbort(controller.signal, () => {
      throw new Error('a callback of the user');
    });
    listenForAbort(controller.signal, () => ran.push('third'));
    const reported = nextUncaught();
    controller.abort();
    expect(ran).toEqual(['first', 'third']);
    expect(await reported).toMatchObject({ message: 'a callback of the user' });
  });

  it('keeps a signal that nothing else holds (AbortSignal.timeout) alive until it fires', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const fired = new Promise<void>((resolve) => listenForAbort(AbortSignal.timeout(100), resolve));
    const collecting = setInterval(gc, 10);
    try {
      const outcome = await Promise.race([
        fired.then(() => 'fired'),
        new Promise((resolve) => setTimeout(() => resolve('never fired'), 2_000)),
      ]);
      expect(outcome).toBe('fired');
    } finally {
      clearInterval(collecting);
    }
  });
});

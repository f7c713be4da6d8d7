/**
 * Deterministic simulation: client engine against agent engine over a faulty link in virtual time.
 * SIM_SEED=<n> replays one seed (SIM_VERBOSE=1 adds parameters and stats to the failure, SIM_TRACE_TIMERS=1
 * the timer trace); SIM_SEEDS=<n> sets how many seeds run (default 1000 in CI, 500 elsewhere; about 3 ms
 * each).
 */
import { describe, expect, test } from 'vitest';
import { runScenario, type ScenarioResult } from '../sim/scenario.js';

const single = process.env.SIM_SEED;
const count = Number(process.env.SIM_SEEDS ?? (process.env.CI ? 1000 : 500));
const BATCH = 50;

describe('client engine vs agent engine simulation', () => {
  if (single !== undefined) {
    test(`seed ${single}`, () => {
      const result = runScenario(Number(single));
      expect(result.virtualMs).toBeGreaterThan(0);
    });
    return;
  }
  const results: ScenarioResult[] = [];
  for (let first = 0; first < count; first += BATCH) {
    const last = Math.min(first + BATCH, count) - 1;
    test(`seeds ${first}..${last}: bytes arrive exactly, buffers stay bounded, sessions end`, () => {
      for (let seed = first; seed <= last; seed++) results.push(runScenario(seed));
    });
  }
  test('the schedules exercised the faults', () => {
    if (results.length < count) return; // an earlier batch failed and reported its seed
    const sum = (f: (r: ScenarioResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => r.clientRetransmissions)).toBeGreaterThan(0);
    expect(sum((r) => r.agentRetransmissions)).toBeGreaterThan(0);
    expect(sum((r) => r.clientDuplicates)).toBeGreaterThan(0);
    expect(sum((r) => r.clientDroppedFrames)).toBeGreaterThan(0);
    // The flow control that connectDataChannel uses was exercised both ways.
    expect(sum((r) => r.uplinkDrains)).toBeGreaterThan(count / 10);
    expect(sum((r) => r.framesLeftUnread)).toBeGreaterThan(count / 10);
    expect(results.filter((r) => r.params.disconnects > 0).length).toBeGreaterThan(count / 4);
    expect(results.filter((r) => r.params.handshake).length).toBeGreaterThan(count / 4);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createRttEstimator, RetransmitConstants } from '../../src/protocol/rtt-estimator.js';

interface RtoVector {
  id: string;
  initial: { rttMs: number; rttVarMs: number; rtoMs: number };
  sampleMs: number;
  expect: { rttMs: number; rttVarMs: number; rtoMs: number };
}

const behaviour = JSON.parse(
  readFileSync(new URL('../fixtures/behaviour.json', import.meta.url), 'utf8'),
) as {
  rto: RtoVector[];
};

describe('RTT estimator (Jacobson/Karels, official constants)', () => {
  test('the fixture holds the two RTO vectors', () => {
    expect(behaviour.rto.map((v) => v.id).sort()).toEqual(['rto-cap', 'rto-first-sample']);
  });

  for (const vector of behaviour.rto) {
    test(`vector ${vector.id}`, () => {
      const estimator = createRttEstimator();
      expect(estimator.state).toEqual(vector.initial);
      estimator.sample(vector.sampleMs);
      expect(estimator.state.rttMs).toBeCloseTo(vector.expect.rttMs, 9);
      expect(estimator.state.rttVarMs).toBeCloseTo(vector.expect.rttVarMs, 9);
      expect(estimator.state.rtoMs).toBeCloseTo(vector.expect.rtoMs, 9);
    });
  }

  test('the numbers of the vectors, should the fixture change', () => {
    const first = createRttEstimator();
    first.sample(140);
    expect(first.state).toEqual({ rttMs: 105, rttVarMs: 10, rtoMs: 145 });
    const capped = createRttEstimator();
    capped.sample(5000);
    expect(capped.state).toEqual({ rttMs: 712.5, rttVarMs: 1225, rtoMs: 1000 });
  });

  test('the clock granularity is the floor of the variance term', () => {
    const estimator = createRttEstimator();
    for (let i = 0; i < 200; i++) estimator.sample(100);
    expect(estimator.state.rttVarMs).toBeLessThan(1e-9);
    expect(estimator.state.rtoMs).toBeCloseTo(100 + RetransmitConstants.clockGranularityMs, 9);
  });

  test('back-off doubles up to the maximum, and the next sample recomputes', () => {
    const estimator = createRttEstimator();
    estimator.backOff();
    expect(estimator.state.rtoMs).toBe(400);
    estimator.backOff();
    estimator.backOff();
    expect(estimator.state.rtoMs).toBe(1000);
    estimator.sample(140);
    expect(estimator.state.rtoMs).toBeCloseTo(145, 9);
  });

  test('negative samples count as zero', () => {
    const estimator = createRttEstimator();
    estimator.sample(-50);
    expect(estimator.state.rttMs).toBeCloseTo(87.5, 9);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { SsmProtocolError } from '../../src/errors.js';
import type { FaultCounters } from '../../src/testing/emulator-options.js';
import { ByteTrigger, FrameFaults } from '../../src/testing/frame-faults.js';
import { GARBAGE_KINDS, makeGarbageFrame } from '../../src/testing/garbage-frames.js';
import { createSeededRandom, deterministicBytes } from '../../src/testing/seeded-random.js';
import { TokenRegistry } from '../../src/testing/token-registry.js';

function counters(): FaultCounters {
  return {
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    garbage: 0,
    cuts: 0,
    stalls: 0,
    stalledFrames: 0,
    uplinkPauses: 0,
  };
}

describe('TokenRegistry', () => {
  it('accepts a token within its window, any number of times, and says expired after it', () => {
    let now = 1_000;
    const tokens = new TokenRegistry({ validityMs: 60_000, now: () => now, maxTokens: 10 });
    const token = tokens.issue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(tokens.check(token)).toBeUndefined();
    now += 59_999;
    expect(tokens.check(token)).toBeUndefined();
    now += 1;
    expect(tokens.check(token)).toBe('expired');
    expect(tokens.check('not-issued')).toBe('unknown');
  });

  it('issues distinct tokens, keeps at most maxTokens, and revokes all', () => {
    const tokens = new TokenRegistry({ validityMs: 60_000, now: () => 0, maxTokens: 3 });
    const issued = [tokens.issue(), tokens.issue(), tokens.issue(), tokens.issue()];
    expect(new Set(issued).size).toBe(4);
    expect(tokens.check(issued[0]!)).toBe('unknown');
    expect(tokens.check(issued[3]!)).toBeUndefined();
    tokens.revokeAll();
    expect(tokens.check(issued[3]!)).toBe('unknown');
  });

  it('with a fixed token, issues it every time, re-armed for a new window, and still revokes it', () => {
    let now = 0;
    const tokens = new TokenRegistry({
      validityMs: 1_000,
      now: () => now,
      maxTokens: 2,
      fixedToken: 'fixed',
    });
    expect(tokens.check('fixed')).toBe('unknown');
    expect(tokens.issue()).toBe('fixed');
    now = 999;
    expect(tokens.issue()).toBe('fixed');
    now = 1_500;
    expect(tokens.check('fixed')).toBeUndefined();
    now = 1_999;
    expect([tokens.issue(), tokens.issue(), tokens.issue()]).toEqual(['fixed', 'fixed', 'fixed']);
    now = 2_998;
    expect(tokens.check('fixed')).toBeUndefined();
    now = 2_999;
    expect(tokens.check('fixed')).toBe('expired');
    tokens.issue();
    tokens.revokeAll();
    expect(tokens.check('fixed')).toBe('unknown');
  });
});

describe('seeded random', () => {
  it('is deterministic, and chunked fills continue the one-shot sequence', () => {
    expect(deterministicBytes(7, 100)).toEqual(deterministicBytes(7, 100));
    expect(deterministicBytes(7, 100)).not.toEqual(deterministicBytes(8, 100));
    const random = createSeededRandom(7);
    const parts = [
      random.fill(new Uint8Array(16)),
      random.fill(new Uint8Array(40)),
      random.fill(new Uint8Array(5)),
    ];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(deterministicBytes(7, 61)));
  });

  it('spreads next() over [0, 1)', () => {
    const random = createSeededRandom(3);
    const values = Array.from({ length: 10_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.47);
    expect(mean).toBeLessThan(0.53);
  });
});

describe('FrameFaults', () => {
  const frames = Array.from({ length: 2_000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));

  function run(options: ConstructorParameters<typeof FrameFaults>[0], seed = 5) {
    const c = counters();
    const faults = new FrameFaults(options, createSeededRandom(seed), c, 1_000);
    const out: number[] = [];
    for (const frame of frames) faults.process('to-client', frame, (f) => out.push(f[0]! | (f[1]! << 8)));
    faults.reset();
    return { c, out };
  }

  it('passes everything through when no probability is set', () => {
    const { c, out } = run({});
    expect(out).toEqual(frames.map((_, i) => i));
    expect(c).toEqual(counters());
  });

  it('drops about the given share of frames, deterministically per seed', () => {
    const first = run({ drop: 0.1 });
    expect(first.c.dropped).toBeGreaterThan(150);
    expect(first.c.dropped).toBeLessThan(250);
    expect(first.out).toHaveLength(2_000 - first.c.dropped);
    expect(run({ drop: 0.1 }).out).toEqual(first.out);
    expect(run({ drop: 0.1 }, 6).out).not.toEqual(first.out);
  });

  it('duplicates and reorders without losing a frame', () => {
    const { c, out } = run({ duplicate: 0.1, reorder: 0.1 });
    expect(c.duplicated).toBeGreaterThan(100);
    expect(c.reordered).toBeGreaterThan(100);
    expect(c.dropped).toBe(0);
    expect(new Set(out).size).toBe(2_000);
    expect(out).toHaveLength(2_000 + c.duplicated);
    expect(out).not.toEqual([...out].sort((a, b) => a - b));
  });

  it('releases a held frame after reorderHoldMs when no successor comes', async () => {
    const faults = new FrameFaults({ reorder: 1 }, createSeededRandom(1), counters(), 10);
    const out: Uint8Array[] = [];
    faults.process('to-agent', Uint8Array.of(1), (f) => out.push(f));
    expect(out).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(out).toEqual([Uint8Array.of(1)]);
  });

  it('applies only to the chosen direction', () => {
    const c = counters();
    const faults = new FrameFaults({ drop: 1, direction: 'to-agent' }, createSeededRandom(1), c, 10);
    const out: Uint8Array[] = [];
    faults.process('to-client', Uint8Array.of(1), (f) => out.push(f));
    faults.process('to-agent', Uint8Array.of(2), (f) => out.push(f));
    expect(out).toEqual([Uint8Array.of(1)]);
    expect(c.dropped).toBe(1);
  });
});

describe('ByteTrigger', () => {
  it('fires once per connection after the threshold, at most `times` times', () => {
    const trigger = new ByteTrigger(100, 2);
    expect(trigger.check(99)).toBe(false);
    expect(trigger.check(100)).toBe(true);
    expect(trigger.check(500)).toBe(false);
    trigger.rearm();
    expect(trigger.check(150)).toBe(true);
    trigger.rearm();
    expect(trigger.check(1_000)).toBe(false);
  });
});

describe('garbage frames', () => {
  it.each(GARBAGE_KINDS.filter((k) => k !== 'text' && k !== 'unknown-type'))(
    '%s does not decode (SsmProtocolError)',
    (kind) => {
      const random = createSeededRandom(9);
      for (let i = 0; i < 50; i += 1) {
        const { data } = makeGarbageFrame(kind, random, 3);
        expect(data).toBeInstanceOf(Uint8Array);
        expect(() => decodeAgentMessage(data as Uint8Array)).toThrow(SsmProtocolError);
      }
    },
  );

  it('unknown-type decodes to an unknown MessageType; text is a string', () => {
    const random = createSeededRandom(9);
    expect(
      decodeAgentMessage(makeGarbageFrame('unknown-type', random, 0).data as Uint8Array).messageType,
    ).toBe('emulator_garbage');
    expect(typeof makeGarbageFrame('text', random, 0).data).toBe('string');
  });
});

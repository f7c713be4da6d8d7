/**
 * The output feed against readers of every kind, in random interleavings: whatever the reader does, it reads
 * exactly the delivered bytes in order, and what the feed holds while the reader lags stays within its budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedReadable, PIECE_CHARGE_BYTES } from '../../src/channel/output-feed.js';

const RUNS = Math.max(
  50,
  Math.floor(Number(process.env.PROP_RUNS ?? (process.env.CI ? 10_000 : 1_000)) / 20),
);
const BUDGET = 4096;

type Step =
  | { kind: 'deliver'; bytes: Uint8Array }
  | { kind: 'read'; size: number | undefined }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'tick' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ kind: 'deliver' as const, bytes })),
  },
  {
    weight: 3,
    arbitrary: fc
      .option(fc.integer({ min: 1, max: 200 }), { nil: undefined })
      .map((size) => ({ kind: 'read' as const, size })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

/**
 * How the reader takes its data: 'data' events (flowing, pausable); read() calls only; or one read() per
 * 'readable' event (Node asks for read() until null, but sockets and most streams tolerate this).
 */
const mode = fc.constantFrom('flowing', 'paused', 'readable-once');

describe('OutputFeed with random readers', () => {
  it('delivers every byte once, in order, and holds no more than the budget while full', async () => {
    await fc.assert(
      fc.asyncProperty(mode, fc.array(step, { maxLength: 120, size: 'max' }), async (how, steps) => {
        let full = false;
        const stream = new FeedReadable(BUDGET, (isFull) => {
          full = isFull;
        });
        const delivered: number[] = [];
        const read: number[] = [];
        const take = (chunk: Buffer | null): void => {
          if (chunk !== null) read.push(...chunk);
        };
        if (how === 'flowing') stream.on('data', take);
        const onReadable = (): void => take(stream.read() as Buffer | null);
        if (how === 'readable-once') stream.on('readable', onReadable);
        let paused = false;
        for (const s of steps) {
          switch (s.kind) {
            case 'deliver':
              // The channel stops taking output while the feed is full (the engine refuses it).
              if (full) break;
              delivered.push(...s.bytes);
              stream.feed.deliver(Buffer.from(s.bytes));
              break;
            case 'read': {
              if (how !== 'paused') break;
              const chunk = stream.read(s.size) as Buffer | null;
              take(chunk);
              // Live: a plain read() gets something whenever something was delivered and not yet read.
              if (s.size === undefined && chunk === null) expect(read.length).toBe(delivered.length);
              break;
            }
            case 'pause':
              stream.pause();
              paused = true;
              break;
            case 'resume':
              if (how === 'flowing') {
                stream.resume();
                paused = false;
              }
              break;
            case 'tick':
              await new Promise((resolve) => setImmediate(resolve));
              // Live: a flowing or 'readable' reader has everything delivered once the loop has turned.
              if (how === 'readable-once' || (how === 'flowing' && !paused)) {
                expect(read.length).toBe(delivered.length);
              }
              break;
          }
          // Bounded: the budget, plus the one piece that crossed it and what the stream itself took.
          expect(stream.readableLength).toBeLessThanOrEqual(BUDGET + 40);
        }
        stream.feed.end();
        // A 'data' listener alone does not restart a stream that was paused explicitly.
        stream.off('readable', onReadable);
        if (how !== 'flowing') stream.on('data', take);
        stream.resume();
        await new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no end: read ${read.length} of ${delivered.length} bytes`)),
            2_000,
          );
          stream.once('end', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        expect(Buffer.from(read).equals(Buffer.from(delivered))).toBe(true);
        expect(full).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('charges each held piece: tiny payloads fill the budget long before their bytes do', () => {
    let full = false;
    const stream = new FeedReadable(BUDGET, (isFull) => {
      full = isFull;
    });
    let taken = 0;
    while (!full) {
      stream.feed.deliver(Buffer.from('x'));
      taken += 1;
    }
    expect(taken).toBe(Math.ceil(BUDGET / (1 + PIECE_CHARGE_BYTES)));
    stream.destroy();
  });
});

/**
 * The output feed against readers of every kind, in random interleavings: whatever the reader does, it reads
 * exactly the delivered bytes in order, and what waits for a reader that lags stays within the budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTPUT_HIGH_WATER_MARK } from '../../src/channel/output-feed.js';
import { outputPath } from './output-path.js';

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
  it('delivers every byte once, in order, and keeps no more than the budget', async () => {
    await fc.assert(
      fc.asyncProperty(mode, fc.array(step, { maxLength: 120, size: 'max' }), async (how, steps) => {
        const path = outputPath();
        const stream = path.stream;
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
              // The engine takes no output while the reader holds the whole budget.
              if (path.unreleased() >= BUDGET) break;
              delivered.push(...s.bytes);
              path.deliver(s.bytes);
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
          // Bounded: what is kept, the budget plus the one payload that crossed it; what the stream itself
          // took, its high-water mark plus one chunk.
          expect(path.feed.keptBytes).toBeLessThanOrEqual(BUDGET + 40);
          expect(stream.readableLength).toBeLessThanOrEqual(OUTPUT_HIGH_WATER_MARK + BUDGET + 40);
        }
        path.feed.end();
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
      }),
      { numRuns: RUNS },
    );
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatBytes, formatDuration, progressLine } from '../../src/cli/progress-bar.js';

function terminal(isTTY: boolean) {
  let written = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    }),
    { isTTY, columns: 100 },
  );
  return { stream, written: () => written };
}

describe('the progress bar', () => {
  it('formats bytes, durations and the line', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.5 kB');
    expect(formatBytes(200_000_000)).toBe('200 MB');
    expect(formatDuration(62)).toBe('1:02');
    expect(formatDuration(3_723)).toBe('1:02:03');
    expect(progressLine('→ x', { bytes: 50_000_000, totalBytes: 200_000_000 }, 10_000_000)).toBe(
      '→ x  [#####...............]  25%  50 MB / 200 MB  10 MB/s  ETA 0:15',
    );
    expect(progressLine('← y', { bytes: 1_234 }, undefined)).toBe('← y  1.2 kB');
  });

  it('on a terminal: redrawn at most every 100 ms, with the rate over the last seconds, then cleared', () => {
    let now = 0;
    const term = terminal(true);
    const bar = createProgressBar(term.stream, 'copy', () => now);
    for (let i = 1; i <= 20; i++) {
      now += 50;
      bar.update({ bytes: i * 1_000_000, totalBytes: 40_000_000 });
    }
    bar.done();
    const frames = term
      .written()
      .split('\r')
      .filter((f) => f !== '');
    expect(frames.length).toBeGreaterThanOrEqual(9);
    expect(frames.length).toBeLessThanOrEqual(11);
    // Drawn at 50, 150, … 950 ms; the last one at 19 MB: 1 MB every 50 ms is 20 MB/s, 21 MB left is 1 s.
    expect(frames.at(-2)).toBe('copy  [##########..........]  47%  19 MB / 40 MB  20 MB/s  ETA 0:01\u001b[K');
    expect(term.written().endsWith('\r\u001b[K')).toBe(true);
  });

  it('nothing at all when stderr is not a terminal', () => {
    const term = terminal(false);
    const bar = createProgressBar(term.stream, 'copy');
    bar.update({ bytes: 1, totalBytes: 2 });
    bar.done();
    expect(term.written()).toBe('');
  });
});

/** A short slice of `bench/web/throughput.js`, so that the script cannot rot: one round of 1 MB each way. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { CHROMIUM_PATH, describeInChromium } from './chromium.js';

describeInChromium('bench/web/throughput.js', () => {
  it('measures Chromium beside Node against both agents and prints the table', async () => {
    const script = fileURLToPath(new URL('../../bench/web/throughput.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: {
        ...process.env,
        CHROMIUM_PATH,
        BENCH_ROUNDS: '1',
        BENCH_WEB_MB: '1',
        BENCH_EMULATOR_MB: '1',
        BENCH_WRITE: '0',
      },
      timeout: 90_000,
    });
    const rows = stdout
      .split('\n')
      .filter((line) => /^\| the (benchmark's fast agent|agent emulator)/.test(line));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const [node, web] = row
        .split('|')
        .slice(2, 4)
        .map((cell) => Number(cell.replace(/,/g, '')));
      expect(node).toBeGreaterThan(0);
      expect(web).toBeGreaterThan(0);
    }
  }, 120_000);
});

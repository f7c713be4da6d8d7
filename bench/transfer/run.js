// cp throughput through the emulators (the API emulator, the agent emulator with a real shell in a
// pseudo-terminal), as a ratio to the raw data channel's throughput through the same agent emulator,
// measured in the same run: the channel alone (an agent session in `source` or `sink` mode, no shell),
// next to `gamelift-admin-shell cp` of a file of BENCH_MB (default 50) MB of random bytes, launch to exit
// (checked byte for byte). Each case runs BENCH_ROUNDS (default 3) times, interleaved; medians.
// BENCH_WRITE=0 leaves bench/README.md alone. Run after a build (`pnpm run bench:transfer`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { CREDENTIALS } from '../admin-shell-env.js';
import { fmt, machine, quantile, writeReadmeBlock } from '../readme-block.js';
import { copyRun, makeFile, rawChannel } from './cases.js';

const MB = Number(process.env.BENCH_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const work = mkdtempSync(join(tmpdir(), 'glas-bench-transfer-'));
const em = await startGameLiftStreamsEmulator({ credentials: CREDENTIALS, agent: { maxSessions: 1_000 } });
try {
  const bytes = MB * 1_000_000;
  const file = join(work, 'payload.bin');
  makeFile(file, bytes);
  const remote = join(work, 'on the host');
  const local = join(work, 'back here');
  const results = { rawDown: [], cpDown: [], rawUp: [], cpUp: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.rawDown.push((await rawChannel(em, 'download', bytes)).mbPerS);
    results.cpUp.push((await copyRun(em, 'upload', file, remote)).mbPerS);
    results.rawUp.push((await rawChannel(em, 'upload', bytes)).mbPerS);
    results.cpDown.push((await copyRun(em, 'download', file, local)).mbPerS);
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const median = (list) => quantile(list, 0.5);
  const row = (direction, raw, cp) =>
    `| ${direction} | ${fmt(median(raw))} | ${fmt(median(cp))} | ${fmt(median(cp) / median(raw), 2)}× |`;
  const table = [
    '| direction | raw data channel (MB/s) | `cp`, launch to exit (MB/s) | `cp` ÷ raw |',
    '|---|---:|---:|---:|',
    row('download (host → here)', results.rawDown, results.cpDown),
    row('upload (here → host)', results.rawUp, results.cpUp),
  ].join('\n');
  const where = `${machine()}; ${MB} MB of random bytes, ${ROUNDS} rounds, medians`;
  process.stdout.write(`\n${table}\n\n${where}\n`);
  const path = writeReadmeBlock(
    'transfer-bench',
    'File transfer (`bench/transfer/run.js`)',
    `${table}\n\n${where}`,
  );
  if (path !== undefined) process.stdout.write(`\nwrote the table to ${path}\n`);
} finally {
  await em.close();
  rmSync(work, { recursive: true, force: true });
}

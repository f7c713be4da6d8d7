// How fast `gamelift-admin-shell` starts: `--help`, `--version`, and `--command true` against the emulators,
// launch to exit, next to `node -e 0` (the floor: starting Node itself) in the same run. The cases run
// interleaved, RUNS times each (BENCH_RUNS, default 10); the table gives medians and p90s and goes into
// bench/README.md (BENCH_WRITE=0: not written). Run after a build (`pnpm run bench:cli`).
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { CREDENTIALS, emulatorFlags, MAIN, timeRun } from '../admin-shell-env.js';
import { fmt, machine, quantile, writeReadmeBlock } from '../readme-block.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** Targets of the issue: medians, launch to exit. */
const TARGETS = { help: 150, version: 150, command: 600 };

/** Measures every case RUNS times, interleaved so that a busy machine slows them alike. */
export async function measureStart(em, runs = RUNS) {
  const cases = [
    { key: 'floor', name: '`node -e 0` (the floor)', file: process.execPath, args: ['-e', '0'] },
    { key: 'help', name: '`--help`', file: process.execPath, args: [MAIN, '--help'] },
    { key: 'version', name: '`--version`', file: process.execPath, args: [MAIN, '--version'] },
    {
      key: 'command',
      name: '`--command true` (API call, data channel, remote run)',
      file: process.execPath,
      args: [MAIN, ...emulatorFlags(em), '--command', 'true'],
    },
  ];
  const times = Object.fromEntries(cases.map((c) => [c.key, []]));
  // One run of each first, not counted: disk caches warm.
  for (const c of cases) await timeRun(c.file, c.args);
  for (let round = 0; round < runs; round++) {
    for (const c of cases) {
      const run = await timeRun(c.file, c.args);
      if (run.code !== 0) throw new Error(`${c.name} exited ${run.code}: ${run.stderr}`);
      times[c.key].push(run.ms);
    }
  }
  return cases.map((c) => ({
    key: c.key,
    name: c.name,
    median: quantile(times[c.key], 0.5),
    p90: quantile(times[c.key], 0.9),
  }));
}

async function main() {
  const em = await startGameLiftStreamsEmulator({ credentials: CREDENTIALS, agent: { maxSessions: 1_000 } });
  try {
    const results = await measureStart(em);
    const floor = results.find((r) => r.key === 'floor').median;
    const rows = [
      '| case | median (ms) | p90 (ms) | median − floor (ms) | target (median) | met |',
      '|---|---:|---:|---:|---|:-:|',
      ...results.map((r) => {
        const target = TARGETS[r.key];
        return `| ${r.name} | ${fmt(r.median, 0)} | ${fmt(r.p90, 0)} | ${r.key === 'floor' ? '' : fmt(r.median - floor, 0)} | ${target === undefined ? '' : `≤ ${target} ms`} | ${target === undefined ? '' : r.median <= target ? 'yes' : '**no**'} |`;
      }),
    ];
    const table = rows.join('\n');
    const where = `${machine()}; ${RUNS} runs of each case, interleaved, launch to exit`;
    process.stdout.write(`${table}\n\n${where}\n`);
    const path = writeReadmeBlock('cli-bench', 'Command start (`bench/cli/run.js`)', `${table}\n\n${where}`);
    if (path !== undefined) process.stdout.write(`\nwrote the table to ${path}\n`);
  } finally {
    await em.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

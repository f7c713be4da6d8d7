// How long `--all-sessions` takes over a stream group of BENCH_SESSIONS (default 100) sessions, for each
// --parallel in BENCH_PARALLEL (default 1,2,4,8,16,32), to choose the default: every session is a real
// CreateStreamSessionAdminShell call to the API emulator and a real shell behind the agent emulator, all on
// this machine. BENCH_WRITE=0 leaves bench/README.md alone. Run after a build (`pnpm run bench:sessions`).
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { CREDENTIALS } from '../admin-shell-env.js';
import { fmt, machine, writeReadmeBlock } from '../readme-block.js';
import { allSessionsRun } from './cases.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100);
const PARALLEL = (process.env.BENCH_PARALLEL ?? '1,2,4,8,16,32').split(',').map(Number);

// Every run starts a new terminal session per stream session; the agent emulator keeps the ended ones.
const em = await startGameLiftStreamsEmulator({
  credentials: CREDENTIALS,
  moreSessions: SESSIONS - 1,
  agent: { maxSessions: SESSIONS * (PARALLEL.length + 2) },
});
try {
  const rows = [];
  let first;
  for (const parallel of PARALLEL) {
    const { ms } = await allSessionsRun(em, parallel);
    first ??= ms;
    rows.push(
      `| ${parallel} | ${fmt(ms / 1000)} | ${fmt((SESSIONS * 1000) / ms)} | ${fmt(first / ms, 2)}× |`,
    );
    process.stdout.write(`--parallel ${parallel}: ${fmt(ms / 1000)} s\n`);
  }
  const table = [
    `| --parallel | ${SESSIONS} sessions (s) | sessions/s | speed-up vs --parallel ${PARALLEL[0]} |`,
    '|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  const where = `${machine()}; \`--command 'echo ok'\` on every session, launch to exit; the emulators run on the same machine`;
  process.stdout.write(`\n${table}\n\n${where}\n`);
  const path = writeReadmeBlock(
    'sessions-bench',
    'Whole stream groups (`bench/sessions/run.js`)',
    `${table}\n\n${where}`,
  );
  if (path !== undefined) process.stdout.write(`\nwrote the table to ${path}\n`);
} finally {
  await em.close();
}

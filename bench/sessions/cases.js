// The case of the sessions benchmark, shared with its slice test.
import { emulatorFlags, MAIN, timeRun } from '../admin-shell-env.js';

/**
 * `gamelift-admin-shell --all-sessions --parallel N --command true` on every session of `em`'s group,
 * launch to exit; checks that every session printed its line.
 */
export async function allSessionsRun(em, parallel) {
  const run = await timeRun(
    process.execPath,
    [
      MAIN,
      ...emulatorFlags(em, { session: false }),
      '--all-sessions',
      '--parallel',
      String(parallel),
      '--command',
      'echo ok',
    ],
    { collect: true },
  );
  if (run.code !== 0) throw new Error(`--all-sessions exited ${run.code}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter((line) => line.endsWith(': ok'));
  if (lines.length !== em.streamSessionIds.length) {
    throw new Error(`${lines.length} of ${em.streamSessionIds.length} sessions answered`);
  }
  return { ms: run.ms };
}

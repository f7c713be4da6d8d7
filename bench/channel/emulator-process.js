// Starts emulator-child.js: agent emulators in another process. Used by many-cases.js and by tests that
// measure the client's memory alone.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./emulator-child.js', import.meta.url));

/**
 * @param {number} sessions how many sessions
 * @param {object} options the agent emulator options of each session
 */
export async function startEmulatorProcess(sessions, options) {
  const child = fork(CHILD, [JSON.stringify({ sessions, options })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // A profile or a flag of the measuring process is not the emulators'.
    execArgv: [],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const [first] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the emulator process exited with ${code} (is ssm-channel built?)`);
    }),
  ]);
  return {
    sessions: first.sessions,
    async stats() {
      child.send('stats');
      const [reply] = await once(child, 'message');
      return reply.stats;
    },
    async close() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

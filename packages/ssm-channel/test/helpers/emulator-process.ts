/** Starts `emulator-process.mjs`: an agent emulator in another process. */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AgentEmulatorOptions, EmulatorStats } from '../../src/testing/index.js';

export interface EmulatorProcess {
  url: string;
  tokenValue: string;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(options: AgentEmulatorOptions): Promise<EmulatorProcess> {
  const script = fileURLToPath(new URL('./emulator-process.mjs', import.meta.url));
  const child = fork(script, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [first] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the emulator process exited with ${code} (is ssm-channel built?)`);
    }),
  ])) as [{ url: string; tokenValue: string }];
  return {
    url: first.url,
    tokenValue: first.tokenValue,
    async stats() {
      child.send('stats');
      const [reply] = (await once(child, 'message')) as [{ stats: EmulatorStats }];
      return reply.stats;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

#!/usr/bin/env node
/**
 * The web demo (`pnpm demo:web`): the GameLift Streams API emulator and the SSM agent emulator (a real shell
 * on this machine), with `gamelift-admin-shell web` serving the terminal page. Open the address it prints in
 * a browser on this machine; the page gets its stream URL through the real AWS SDK call to the emulator and
 * connects to the agent emulator's WebSocket itself.
 */
import { emulatorArgs, shellQuoted, startDemoEmulator } from '../cli/demo-setup.js';
import { ExitCode } from '../cli/exit-codes.js';
import { runCli } from '../cli/run-cli.js';

const extra = process.argv.slice(2);
const emulator = await startDemoEmulator();
const argv = ['web', ...emulatorArgs(emulator), ...extra];
process.stderr.write(
  [
    'gamelift-admin-shell web demo',
    `  GameLift Streams API emulator: ${emulator.endpoint} (stream group ${emulator.streamGroupId}, stream session ${emulator.streamSessionId})`,
    '  SSM agent emulator: a real shell on this machine, in a pseudo-terminal',
    `  command: gamelift-admin-shell ${argv.map(shellQuoted).join(' ')}`,
    '',
  ].join('\n'),
);

const controller = new AbortController();
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => controller.abort());
let code: number = ExitCode.INTERNAL;
try {
  code = await runCli(
    argv,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    { signal: controller.signal },
  );
} finally {
  await emulator.close();
}
process.exit(code);

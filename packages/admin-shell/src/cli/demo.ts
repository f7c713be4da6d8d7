#!/usr/bin/env node
/**
 * The local demo: the GameLift Streams API emulator and the SSM agent emulator (a real shell on this machine,
 * in a pseudo-terminal), with the gamelift-admin-shell command connected to your terminal. Every layer is
 * the real one: the AWS SDK signs and sends CreateStreamSessionAdminShell over HTTP, the data channel speaks
 * the Session Manager protocol over a WebSocket, and your keys reach a shell.
 */
import { emulatorArgs, shellQuoted, startDemoEmulator } from './demo-setup.js';
import { ExitCode } from './exit-codes.js';
import { restoreAllTerminals } from './raw-mode.js';
import { runCli } from './run-cli.js';

const extra = process.argv.slice(2);
const emulator = await startDemoEmulator();
const argv = [...emulatorArgs(emulator), ...extra];
const interactive = process.stdin.isTTY === true && !extra.includes('--command');
process.stderr.write(
  [
    'gamelift-admin-shell demo',
    `  GameLift Streams API emulator: ${emulator.endpoint} (stream group ${emulator.streamGroupId}, stream session ${emulator.streamSessionId})`,
    '  SSM agent emulator: a real shell on this machine, in a pseudo-terminal',
    `  command: gamelift-admin-shell ${argv.map(shellQuoted).join(' ')}`,
    interactive ? "  Type `ls` to see this machine's files; `exit` or Enter ~ . ends the session.\n" : '',
  ].join('\n'),
);

const controller = new AbortController();
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => controller.abort());
let code: number = ExitCode.INTERNAL;
try {
  code = await runCli(
    argv,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    {
      signal: controller.signal,
    },
  );
} finally {
  restoreAllTerminals();
  await emulator.close();
}
if (interactive) process.stderr.write(`demo: the session ended (exit status ${code}).\n`);
process.exit(code);

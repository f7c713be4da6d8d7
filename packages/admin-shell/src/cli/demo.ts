#!/usr/bin/env node
/**
 * The local demo: the GameLift Streams API emulator and the SSM agent emulator (a real shell on this machine,
 * in a pseudo-terminal), with the gamelift-admin-shell command connected to your terminal. Every layer is
 * the real one: the AWS SDK signs and sends CreateStreamSessionAdminShell over HTTP, the data channel speaks
 * the Session Manager protocol over a WebSocket, and your keys reach a shell.
 */
import { demoBanner, emulatorArgs, runDemoCommand, startDemoEmulator } from './demo-setup.js';
import { ExitCode } from './exit-codes.js';
import { restoreAllTerminals } from './raw-mode.js';

const extra = process.argv.slice(2);
const emulator = await startDemoEmulator();
const argv = [...emulatorArgs(emulator), ...extra];
const interactive = process.stdin.isTTY === true && !extra.includes('--command');
const hint = interactive
  ? "  Type `ls` to see this machine's files; `exit` or Enter ~ . ends the session.\n"
  : '';
process.stderr.write(demoBanner('gamelift-admin-shell demo', emulator, argv, hint));
let code: number = ExitCode.INTERNAL;
try {
  code = await runDemoCommand(argv);
} finally {
  restoreAllTerminals();
  await emulator.close();
}
if (interactive) process.stderr.write(`demo: the session ended (exit status ${code}).\n`);
process.exit(code);

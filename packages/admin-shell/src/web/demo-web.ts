#!/usr/bin/env node
/**
 * The web demo (`pnpm demo:web`): the GameLift Streams API emulator and the SSM agent emulator (a real shell
 * on this machine), with `gamelift-admin-shell web` serving the terminal page. Open the address it prints in
 * a browser on this machine; the page gets its stream URL through the real AWS SDK call to the emulator and
 * connects to the agent emulator's WebSocket itself.
 */
import { demoBanner, emulatorArgs, runDemoCommand, startDemoEmulator } from '../cli/demo-setup.js';
import { ExitCode } from '../cli/exit-codes.js';

const emulator = await startDemoEmulator();
const argv = ['web', ...emulatorArgs(emulator), ...process.argv.slice(2)];
process.stderr.write(demoBanner('gamelift-admin-shell web demo', emulator, argv));
let code: number = ExitCode.INTERNAL;
try {
  code = await runDemoCommand(argv);
} finally {
  await emulator.close();
}
process.exit(code);

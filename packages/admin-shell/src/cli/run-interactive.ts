import type { ReadStream } from 'node:tty';
import type { TerminalSize } from 'ssm-channel';
import type { AdminShell } from '../open-admin-shell.js';
import { type CliIo, type Diagnostics, freshTerminalSize, localTerminalSize } from './cli-io.js';
import { createEscapeDetector, ESCAPE_HELP } from './escape-detector.js';
import { ExitCode } from './exit-codes.js';
import { handleJobControl } from './job-control.js';
import { enterRawMode } from './raw-mode.js';
import { exitCodeForClose, waitForReadableEnd } from './session-end.js';

/** How long output may still drain after the channel closed. */
const DRAIN_MS = 2_000;

/**
 * Runs the shell against the local terminal (`onSize` hears every size sent): raw mode (restored on every way out, and while the process is
 * stopped by an external SIGTSTP), the window size at start, on every resize and after SIGCONT, every key
 * (Ctrl-C, Ctrl-Z, …) to the remote shell, and the Enter ~ . escape.
 * @returns the exit status.
 */
export async function runInteractive(
  shell: AdminShell,
  io: CliIo,
  diag: Diagnostics,
  onSize: (size: TerminalSize) => void = () => {},
): Promise<number> {
  const stdin = io.stdin as ReadStream;
  const guard = enterRawMode(stdin);
  diag.setRaw(true);
  const detector = createEscapeDetector();
  let removeJobControl = (): void => {};
  const onResize = (): void => {
    const size = localTerminalSize(io);
    if (size === undefined) return;
    shell.resize(size.cols, size.rows);
    onSize(size);
  };
  const onContinue = (): void => {
    const size = freshTerminalSize(io);
    if (size === undefined || shell.destroyed) return;
    shell.resize(size.cols, size.rows);
    onSize(size);
  };
  let escaped = false;
  const onKeys = (chunk: Buffer): void => {
    const { forward, actions } = detector.push(chunk);
    if (forward.length > 0 && !shell.destroyed && !shell.write(forward)) {
      stdin.pause();
      shell.once('drain', () => stdin.resume());
    }
    for (const action of actions) {
      if (action === 'help') diag.raw(ESCAPE_HELP);
      else {
        escaped = true;
        diag.say('connection closed from the keyboard (Enter ~ .).');
        shell.destroy();
      }
    }
  };
  try {
    removeJobControl = handleJobControl(guard, onContinue);
    // Either may be the terminal (stdout can be redirected to a file); a size sent twice goes out once.
    io.stdout.on('resize', onResize);
    io.stderr.on('resize', onResize);
    onResize();
    stdin.on('data', onKeys);
    stdin.resume();
    shell.on('error', () => {
      // Reported through `closed`.
    });
    shell.pipe(io.stdout, { end: false });
    shell.stderr.pipe(io.stderr, { end: false });
    const info = await shell.whenClosed;
    await waitForReadableEnd(shell, DRAIN_MS);
    if (escaped) return ExitCode.INTERRUPTED;
    guard.restore();
    diag.setRaw(false);
    return exitCodeForClose(info, diag);
  } finally {
    guard.restore();
    diag.setRaw(false);
    removeJobControl();
    io.stdout.off('resize', onResize);
    io.stderr.off('resize', onResize);
    stdin.off('data', onKeys);
    stdin.pause();
    shell.unpipe(io.stdout);
    shell.stderr.unpipe(io.stderr);
  }
}

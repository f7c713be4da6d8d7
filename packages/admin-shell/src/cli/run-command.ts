import { randomBytes } from 'node:crypto';
import { AdminShellError } from '../errors.js';
import type { AdminShell } from '../open-admin-shell.js';
import type { CliIo, Diagnostics } from './cli-io.js';
import { buildCommandLine, CommandOutputScanner, NONCE_HEX_DIGITS } from './command-marker.js';
import { exitCodeFor } from './exit-codes.js';
import { PROMPT_WAIT } from './run-piped.js';
import { exitCodeForClose, waitForQuiet } from './session-end.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /**
   * How long the command may take to start (the begin marker to arrive) after it was typed. A shell that
   * never runs it (not POSIX, or stuck) is reported instead of waited for forever.
   * @default 30_000
   */
  startTimeoutMs?: number;
  /** How long the remote shell may take to exit after the command's end. @default 2_000 */
  exitGraceMs?: number;
}

/**
 * Runs one command in the remote shell (see `command-marker.ts` for how it is framed), writes only its output
 * to stdout and returns its exit status.
 * @returns the command's status (0–255), or the exit code of the failure (reported on stderr).
 */
export async function runCommand(
  shell: AdminShell,
  command: string,
  io: CliIo,
  diag: Diagnostics,
  options: RunCommandOptions = {},
): Promise<number> {
  const nonce = randomBytes(NONCE_HEX_DIGITS / 2).toString('hex');
  const scanner = new CommandOutputScanner(nonce);
  let started = false;
  let status: number | undefined;
  let onStatus: (() => void) | undefined;
  const onData = (chunk: Buffer): void => {
    if (status !== undefined) return;
    const before = scanner.done;
    const result = scanner.push(chunk);
    started ||= scanner.begun;
    if (result.output.length > 0 && !io.stdout.write(result.output)) {
      shell.pause();
      io.stdout.once('drain', () => shell.resume());
    }
    if (result.exitStatus !== undefined && !before) {
      status = result.exitStatus;
      onStatus?.();
    }
  };
  shell.on('error', () => {
    // Reported through `closed`.
  });
  shell.on('data', onData);
  shell.stderr.pipe(io.stderr, { end: false });
  try {
    await Promise.race([waitForQuiet(shell, PROMPT_WAIT), shell.whenClosed]);
    if (!shell.destroyed && !shell.writableEnded) shell.write(buildCommandLine(command, nonce));
    const finished = new Promise<void>((resolve) => {
      onStatus = resolve;
    });
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    let startTimer: NodeJS.Timeout | undefined;
    const notStarted = new Promise<'not-started'>((resolve) => {
      startTimer = setTimeout(() => {
        if (!started && status === undefined) resolve('not-started');
      }, startTimeoutMs);
    });
    const outcome = await Promise.race([
      finished.then(() => 'finished' as const),
      shell.whenClosed,
      notStarted,
    ]);
    clearTimeout(startTimer);
    if (outcome === 'finished') {
      // Everything before the end marker has arrived: now the remote shell may exit. Do not wait long for it.
      if (!shell.destroyed && !shell.writableEnded) shell.write('exit\n');
      await Promise.race([shell.whenClosed, new Promise((r) => setTimeout(r, options.exitGraceMs ?? 2_000))]);
      return status as number;
    }
    if (outcome === 'not-started') {
      const error = new AdminShellError(
        'COMMAND_INCOMPLETE',
        `The remote shell did not start the command within ${Math.round(startTimeoutMs / 1000)} s. ` +
          '--command needs a POSIX shell (sh, bash) on the host; try the interactive session instead.',
      );
      diag.say(error.message);
      return exitCodeFor(error.code);
    }
    if (status !== undefined) return status;
    const code = exitCodeForClose(outcome, diag);
    if (outcome.reason === 'channel_closed' || outcome.reason === 'local') {
      const error = new AdminShellError(
        'COMMAND_INCOMPLETE',
        'The session ended before the command finished, so its exit status is unknown.',
      );
      diag.say(error.message);
      return exitCodeFor(error.code);
    }
    return code;
  } finally {
    shell.off('data', onData);
    shell.stderr.unpipe(io.stderr);
    if (!shell.destroyed) shell.destroy();
  }
}

import { SsmChannelError } from 'ssm-channel';
import { explainFailure } from '../channel-errors.js';
import { AdminShellError, commandLineMessage, isAdminShellError } from '../errors.js';
import { printableText } from '../printable-text.js';
import { type CliArgs, parseCliArgs } from './args.js';
import { type CliIo, createDiagnostics, type Diagnostics } from './cli-io.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { helpText, packageVersion } from './help.js';
import type { CliContext } from './session-options.js';
import { createVerboseLogger } from './verbose-logger.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Ends the command (API calls, connection, session); main wires SIGINT, SIGTERM and SIGHUP to it. */
  signal?: AbortSignal;
}

/** Reports a failure on stderr (one sentence, no stack trace) and returns its exit status. */
export function reportFailure(error: unknown, diag: Diagnostics, verbose: boolean): number {
  if (isAdminShellError(error)) {
    diag.say(commandLineMessage(error));
    return exitCodeFor(error.code);
  }
  if (error instanceof SsmChannelError) {
    const failure = explainFailure(error);
    diag.say(commandLineMessage(failure));
    return exitCodeFor(failure.code);
  }
  const message = printableText(error instanceof Error ? error.message : String(error), 500);
  diag.say(
    `internal error: ${message}. This is a bug; please report it${verbose ? '.' : ' (rerun with --verbose for details).'}`,
  );
  if (verbose && error instanceof Error && error.stack !== undefined) diag.line(error.stack);
  return ExitCode.INTERNAL;
}

/** Runs the mode the arguments ask for, loading only its own modules (tar only for cp, …). */
async function dispatch(ctx: CliContext): Promise<number> {
  const { args, io } = ctx;
  switch (args.mode) {
    case 'ls':
      return (await import('./run-list.js')).runList(ctx);
    case 'cp':
      return (await import('./run-copy.js')).runCopy(ctx);
    case 'web':
      return (await import('../web/web-command.js')).runWebMode(ctx);
    case 'shell':
      if (args.allSessions) return (await import('./run-all-sessions.js')).runAllSessions(ctx);
      if (args.command !== undefined)
        return (await import('./run-command.js')).runCommandMode(ctx, args.command);
      if (io.stdin.isTTY === true || args.tty)
        return (await import('./run-terminal.js')).runTerminalMode(ctx);
      if (args.record !== undefined) {
        throw new AdminShellError(
          'INVALID_ARGUMENT',
          '--record records a terminal session: run it in a terminal, or give -t to record the transcript of ' +
            'stdin. See --help.',
        );
      }
      return (await import('./run-command.js')).runScriptMode(ctx);
  }
}

/**
 * The `gamelift-admin-shell` command, minus the process wiring (see `main.ts`).
 * @returns the exit status (see the exit status table in `--help`).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunCliOptions = {},
): Promise<number> {
  const diag = createDiagnostics(io.stderr);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    return reportFailure(error, diag, false);
  }
  if (args.help) {
    io.stdout.write(helpText(args.mode));
    return ExitCode.OK;
  }
  if (args.version) {
    io.stdout.write(`gamelift-admin-shell ${packageVersion()}\n`);
    return ExitCode.OK;
  }
  const logger = args.verbose ? createVerboseLogger((line) => diag.line(line)) : undefined;
  const ctx: CliContext = { args, io, diag, signal: options.signal, logger };
  try {
    return await dispatch(ctx);
  } catch (error) {
    // Ended by a signal or a closed stdout: the process says so with its exit status, not with a message.
    if (options.signal?.aborted && isAdminShellError(error) && error.code === 'ABORTED')
      return ExitCode.INTERRUPTED;
    return reportFailure(error, diag, args.verbose);
  }
}

import { explainFailure } from '../channel-errors.js';
import { isAdminShellError } from '../errors.js';
import { parseStreamSessionIdentifier } from '../identifiers.js';
import { type AdminShell, openAdminShell } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';
import { type CliArgs, parseCliArgs } from './args.js';
import {
  type CliIo,
  createDiagnostics,
  DEFAULT_TERMINAL_SIZE,
  type Diagnostics,
  localTerminalSize,
} from './cli-io.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { HELP_TEXT, packageVersion } from './help.js';
import { runCommand } from './run-command.js';
import { runInteractive } from './run-interactive.js';
import { runPiped } from './run-piped.js';
import { createVerboseLogger } from './verbose-logger.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Ends the command (API calls, connection, session); main wires SIGINT, SIGTERM and SIGHUP to it. */
  signal?: AbortSignal;
}

/** Reports a failure on stderr (one sentence, no stack trace) and returns its exit status. */
export function reportFailure(error: unknown, diag: Diagnostics, verbose: boolean): number {
  if (isAdminShellError(error)) {
    diag.say(error.message);
    return exitCodeFor(error.code);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && error.name.startsWith('Ssm')) {
    const failure = explainFailure(error);
    diag.say(failure.message);
    return exitCodeFor(failure.code);
  }
  const message = printableText(error instanceof Error ? error.message : String(error), 500);
  diag.say(
    `internal error: ${message}. This is a bug; please report it${verbose ? '.' : ' (rerun with --verbose for details).'}`,
  );
  if (verbose && error instanceof Error && error.stack !== undefined) diag.line(error.stack);
  return ExitCode.INTERNAL;
}

function streamGroupOf(args: CliArgs): string | undefined {
  if (args.streamGroup !== undefined) return args.streamGroup;
  if (args.streamSession?.startsWith('arn:')) {
    const parsed = parseStreamSessionIdentifier(args.streamSession);
    return parsed.region === undefined
      ? parsed.streamGroupId
      : `arn:aws:gameliftstreams:${parsed.region}:${parsed.accountId}:streamgroup/${parsed.streamGroupId}`;
  }
  return undefined;
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
    io.stdout.write(HELP_TEXT);
    return ExitCode.OK;
  }
  if (args.version) {
    io.stdout.write(`gamelift-admin-shell ${packageVersion()}\n`);
    return ExitCode.OK;
  }
  const verbose = args.verbose;
  let shell: AdminShell;
  try {
    if (args.streamSession === undefined) {
      diag.say('--stream-session is required. See --help.');
      return ExitCode.USAGE;
    }
    const streamGroupId = streamGroupOf(args);
    if (streamGroupId === undefined) {
      diag.say('--stream-group is required (unless --stream-session is an ARN). See --help.');
      return ExitCode.USAGE;
    }
    const logger = verbose ? createVerboseLogger((line) => diag.line(line)) : undefined;
    let waitingSaid = false;
    const maxWaitMs = args.waitSeconds === undefined ? undefined : args.waitSeconds * 1000;
    shell = await openAdminShell({
      streamGroupId,
      streamSessionId: args.streamSession,
      ...(args.region === undefined ? {} : { region: args.region }),
      ...(args.profile === undefined ? {} : { profile: args.profile }),
      ...(args.endpointUrl === undefined ? {} : { endpoint: args.endpointUrl }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(logger === undefined ? {} : { logger }),
      terminalSize: localTerminalSize(io) ?? DEFAULT_TERMINAL_SIZE,
      retry: {
        ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
        onRetry: (progress) => {
          if (waitingSaid || verbose) return;
          waitingSaid = true;
          const what = progress.reason === 'not_ready' ? 'is not ready yet' : 'API is throttling';
          diag.say(
            `the admin shell ${what}; retrying for up to ${Math.round(progress.maxWaitMs / 1000)} s...`,
          );
        },
      },
    });
  } catch (error) {
    return reportFailure(error, diag, verbose);
  }
  // The agent's text, line by line, without terminal escapes.
  for (const line of (shell.session?.customerMessage ?? '').split('\n').slice(0, 20)) {
    const text = printableText(line, 500);
    if (text !== '') diag.say(text);
  }
  try {
    if (args.command !== undefined) return await runCommand(shell, args.command, io, diag);
    if (io.stdin.isTTY === true) return await runInteractive(shell, io, diag);
    return await runPiped(shell, io, diag);
  } catch (error) {
    return reportFailure(error, diag, verbose);
  } finally {
    if (!shell.destroyed) shell.destroy();
  }
}

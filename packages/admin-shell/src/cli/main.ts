#!/usr/bin/env node
/**
 * The `gamelift-admin-shell` process: `--help`, `--version` and usage errors are answered from this file's
 * small imports; everything else (the AWS SDK, the data channel) is loaded only for a run.
 */
import { commandLineMessage } from '../errors.js';
import { type CliArgs, parseCliArgs } from './args.js';
import { PROGRAM } from './cli-io.js';
import { ExitCode, exitCodeForSignal } from './exit-codes.js';
import { helpText, packageVersion } from './help.js';
import { restoreAllTerminals } from './raw-mode.js';

type HandledSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** How long a signalled session may take to wind down before the process exits anyway. */
const SIGNAL_GRACE_MS = 3_000;

const argv = process.argv.slice(2);
let args: CliArgs;
try {
  args = parseCliArgs(argv);
} catch (error) {
  process.stderr.write(`${PROGRAM}: ${commandLineMessage(error as Error)}\n`);
  process.exit(ExitCode.USAGE);
}
if (args.help || args.version) {
  process.stdout.write(args.help ? helpText(args.mode) : `${PROGRAM} ${packageVersion()}\n`);
  process.exit(ExitCode.OK);
}

// The SDK and the data channel start loading now, while the process wiring below is set up.
const cli = import('./run-cli.js');
// The SDK warns on every start that its future versions need Node 22: noise on a diagnostics-only stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function crash(error: unknown): never {
  restoreAllTerminals();
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\n${PROGRAM}: internal error: ${message}. This is a bug; please report it.\n`);
  if (args.verbose && error instanceof Error && error.stack !== undefined) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(ExitCode.INTERNAL);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const controller = new AbortController();
let signalled: HandledSignal | undefined;
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(name, () => {
    if (signalled !== undefined) {
      restoreAllTerminals();
      process.exit(exitCodeForSignal(name));
    }
    signalled = name;
    controller.abort(new Error(`received ${name}`));
    setTimeout(() => {
      restoreAllTerminals();
      process.exit(exitCodeForSignal(name));
    }, SIGNAL_GRACE_MS).unref();
  });
}
// A reader that went away (`| head`) ends the session quietly, with the status of a SIGPIPE death.
let outputClosed = false;
process.stdout.on('error', () => {
  outputClosed = true;
  controller.abort(new Error('stdout closed'));
});

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

const { runCli } = await cli;
const code = await runCli(
  argv,
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  { signal: controller.signal },
);
await Promise.all([flush(process.stdout), flush(process.stderr)]);
restoreAllTerminals();
if (signalled !== undefined) process.exit(exitCodeForSignal(signalled));
process.exit(outputClosed ? ExitCode.OUTPUT_CLOSED : code);

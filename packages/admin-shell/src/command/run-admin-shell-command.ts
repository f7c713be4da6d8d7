import { Readable, Writable } from 'node:stream';
import { AdminShellError } from '../errors.js';
import { linkSignals } from '../linked-signal.js';
import { type AdminShell, type OpenAdminShellOptions, openAdminShell } from '../open-admin-shell.js';
import { MAX_TIMER_MS, shownValue } from '../option-checks.js';
import { MAX_COMMAND_BYTES } from './remote-script.js';
import { type CommandTimeouts, runCommandOnShell } from './run-on-shell.js';

/** How {@link runAdminShellCommand} feeds the command and where its output goes. */
export interface AdminShellCommandOptions {
  /** The command's stdin (a stream is read to its end); absent: `/dev/null`. */
  stdin?: Readable | Uint8Array | string;
  /** Streams the command's stdout here (not ended); absent: collected into the result's `stdout`. */
  stdout?: Writable;
  /** Streams the command's stderr here (not ended); absent: collected into the result's `stderr`. */
  stderr?: Writable;
  /**
   * The most bytes collected for each of stdout and stderr when no stream is given; past it the command is
   * interrupted and the promise rejects with `OUTPUT_TOO_LARGE`. A whole number from 0 to 2^31 − 1.
   * @default 16_777_216 (16 MiB)
   */
  maxOutputBytes?: number;
  /** How long the remote shell may take to show its prompt and to start the command. */
  timeouts?: CommandTimeouts;
  /** Called once the admin shell is open, before the command is sent (e.g. to show the agent's message). */
  onOpen?: (shell: AdminShell) => void;
}

/** What {@link runAdminShellCommand} resolves to. */
export interface AdminShellCommandResult {
  /** The command's exit status: 0–255, 128 + N when a signal N ended it. */
  readonly exitCode: number;
  /** What it wrote to stdout, when no `stdout` stream was given (else empty). */
  readonly stdout: Buffer;
  /** What it wrote to stderr, when no `stderr` stream was given (else empty). */
  readonly stderr: Buffer;
  /** The Session Manager session the command ran in. */
  readonly sessionId: string;
  /** From the open to the command's end, in ms. */
  readonly durationMs: number;
}

/** Defaults of {@link AdminShellCommandOptions}. */
export const COMMAND_DEFAULTS = { maxOutputBytes: 16 * 1024 * 1024 } as const;

/**
 * Checks a command for {@link runAdminShellCommand}: a non-empty string without NUL, at most 256 KiB.
 * @throws {AdminShellError} `INVALID_ARGUMENT`.
 */
export function checkCommand(command: unknown): string {
  if (typeof command !== 'string' || command.length === 0) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The command must be a non-empty string, not ${shownValue(command)}.`,
    );
  }
  if (command.includes('\0'))
    throw new AdminShellError('INVALID_ARGUMENT', 'The command cannot contain a NUL byte.');
  const bytes = Buffer.byteLength(command);
  if (bytes > MAX_COMMAND_BYTES) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The command is ${bytes} bytes long; the most is ${MAX_COMMAND_BYTES}. Send a long script as stdin instead.`,
    );
  }
  return command;
}

/**
 * Opens the admin shell of a stream session, runs one command there exactly as given (its bytes are never
 * typed into the terminal's line editor), and closes the session. The command runs with `sh -c` on the host;
 * its stdout and stderr come back separately and byte for byte, and its exit status is the result's
 * `exitCode` (a non-zero status is not an error). Needs a Linux stream session (a POSIX `sh` with `base64`,
 * as on GameLift Streams' Ubuntu and Proton runtimes).
 *
 * @example
 * const { exitCode, stdout } = await runAdminShellCommand(
 *   { streamGroupId: 'sg-1AB2C3De4', streamSessionId: 'ABC123def4567', region: 'us-west-2' },
 *   'df -h /',
 * );
 * @throws {AdminShellError} at once for a bad command or option (`INVALID_ARGUMENT`, as openAdminShell);
 *   the promise rejects with openAdminShell's codes, `UNSUPPORTED_SHELL` (Windows), `REMOTE_TOOL_MISSING`,
 *   `COMMAND_INCOMPLETE` (it did not start, or the session ended before its status), `OUTPUT_TOO_LARGE`, or
 *   `ABORTED` (the `signal` of `options`; the command is interrupted with Ctrl-C first).
 */
export function runAdminShellCommand(
  options: OpenAdminShellOptions,
  command: string,
  run: AdminShellCommandOptions = {},
): Promise<AdminShellCommandResult> {
  checkCommand(command);
  if (typeof run !== 'object' || run === null) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The run options must be an object, not ${shownValue(run)}.`,
    );
  }
  const max = run.maxOutputBytes ?? COMMAND_DEFAULTS.maxOutputBytes;
  if (!Number.isSafeInteger(max) || max < 0 || max > MAX_TIMER_MS) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `maxOutputBytes must be a whole number from 0 to ${MAX_TIMER_MS}, not ${shownValue(max)}.`,
    );
  }
  for (const key of ['stdout', 'stderr'] as const) {
    const stream = run[key];
    if (stream !== undefined && !(stream instanceof Writable)) {
      throw new AdminShellError('INVALID_ARGUMENT', `${key} must be a Writable stream.`);
    }
  }
  const stdin = toReadable(run.stdin);
  const started = performance.now();
  // The caller's signal ends the opening; once the shell is open, it is the runner's alone, so that an
  // abort types Ctrl-C into the shell before the shell is destroyed (a channel following the signal too
  // would be closed first, and the remote command left running).
  const opening = linkSignals(options.signal);
  const opened = openAdminShell({ ...options, signal: opening.signal }).finally(opening.release);
  return opened.then(async (shell) => {
    const collected = { stdout: new Collector('stdout', max), stderr: new Collector('stderr', max) };
    const stdout = run.stdout ?? collected.stdout;
    const stderr = run.stderr ?? collected.stderr;
    const tooLarge = new AbortController();
    for (const sink of [collected.stdout, collected.stderr])
      sink.onOverflow = (error) => tooLarge.abort(error);
    const { signal, release } = linkSignals(options.signal, tooLarge.signal);
    try {
      run.onOpen?.(shell);
      const exitCode = await runCommandOnShell(
        shell,
        command,
        { stdin, stdout, stderr },
        { signal, timeouts: run.timeouts, logger: options.logger },
      ).catch((error: unknown) => {
        throw tooLarge.signal.aborted ? tooLarge.signal.reason : error;
      });
      return {
        exitCode,
        stdout: collected.stdout.bytes(),
        stderr: collected.stderr.bytes(),
        sessionId: shell.sessionId,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      release();
      shell.destroy();
    }
  });
}

function toReadable(input: AdminShellCommandOptions['stdin']): Readable | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'string' || input instanceof Uint8Array) return Readable.from([Buffer.from(input)]);
  if (input instanceof Readable) return input;
  throw new AdminShellError('INVALID_ARGUMENT', 'stdin must be a Readable stream, a Uint8Array or a string.');
}

/** Collects up to `max` bytes; past it, reports `OUTPUT_TOO_LARGE` once and drops the rest. */
class Collector extends Writable {
  onOverflow: ((error: AdminShellError) => void) | undefined;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  readonly #name: string;
  readonly #max: number;

  constructor(name: string, max: number) {
    super();
    this.#name = name;
    this.#max = max;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#size + chunk.length > this.#max) {
      if (this.#size <= this.#max) {
        this.#size = this.#max + 1;
        this.onOverflow?.(
          new AdminShellError(
            'OUTPUT_TOO_LARGE',
            `The command wrote more than ${this.#max} bytes to ${this.#name}; pass a stream to receive it, or ` +
              'allow more (maxOutputBytes).',
          ),
        );
      }
    } else {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
    }
    callback();
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

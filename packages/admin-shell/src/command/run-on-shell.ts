import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { type CloseInfo, type DataChannel, listenForAbort } from 'ssm-channel';
import { closeFailure } from '../channel-errors.js';
import { AdminShellError, mention } from '../errors.js';
import type { AdminShellLogger } from '../logger.js';
import { printableText } from '../printable-text.js';
import { FrameError, type FrameEvent, FrameReader } from './frame-reader.js';
import { bootstrapLine, NONCE_HEX_DIGITS, runMarkers, runnerScript, scriptLines } from './remote-script.js';
import { endsWithPrompt, foreignShell } from './shell-kind.js';
import { StdinLines } from './stdin-lines.js';

/** Where the command's streams go. */
export interface CommandStreams {
  /** Fed to the command, then closed; absent: the command's stdin is `/dev/null`. */
  readonly stdin?: Readable | undefined;
  /** The command's stdout, byte for byte. Not ended by the run. */
  readonly stdout: Writable;
  /** The command's stderr, byte for byte. Not ended by the run. */
  readonly stderr: Writable;
}

/** How long each step of a run may take, in ms. */
export interface CommandTimeouts {
  /**
   * The longest wait for the remote shell's prompt before the command is sent anyway.
   * @default 3_000
   */
  readonly promptMs?: number;
  /**
   * The longest wait, after the command was sent, for the remote shell to start running it.
   * @default 15_000
   */
  readonly startMs?: number;
}

/** Defaults of {@link CommandTimeouts}, and how the prompt is waited for. */
export const COMMAND_TIMING = {
  promptMs: 3_000,
  startMs: 15_000,
  /** Quiet time after output that ends like a prompt (`$ `), before typing. */
  promptSettleMs: 15,
  /** Quiet time after any other output, before typing. */
  quietMs: 250,
} as const;

/** Options of {@link runCommandOnShell}. */
export interface RunOnShellOptions {
  readonly timeouts?: CommandTimeouts | undefined;
  /** Interrupts the command (Ctrl-C to the remote terminal), then ends the run with `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  readonly logger?: AdminShellLogger | undefined;
}

/** How much of local stdin is encoded and written at a time. */
const STDIN_SLICE_BYTES = 64 * 1024;

/** Ctrl-C: the remote terminal sends SIGINT to the command. */
const INTERRUPT = '\u0003';

/**
 * Runs `command` in the remote shell of an open admin shell, exactly (see `remote-script.ts`): its stdout and
 * stderr go to `streams`, byte for byte, and the promise resolves to its exit status once everything it wrote
 * has been written to `streams`. The remote shell exits afterwards; the caller destroys `shell`.
 * @throws {AdminShellError} `UNSUPPORTED_SHELL` (a Windows shell), `REMOTE_TOOL_MISSING`,
 *   `COMMAND_INCOMPLETE` (the command did not start, or the session ended before its status), `ABORTED`, or
 *   the channel's failure (`CHANNEL_FAILED`, `SESSION_REPLACED`, …).
 */
export function runCommandOnShell(
  shell: DataChannel,
  command: string,
  streams: CommandStreams,
  options: RunOnShellOptions = {},
): Promise<number> {
  return new CommandRun(shell, command, streams, options).result;
}

type Phase = 'prompt' | 'typed' | 'running' | 'done';

class CommandRun {
  readonly result: Promise<number>;
  readonly #shell: DataChannel;
  readonly #streams: CommandStreams;
  readonly #options: RunOnShellOptions;
  readonly #reader: FrameReader;
  readonly #nonce: string;
  readonly #command: string;
  #phase: Phase = 'prompt';
  #resolve!: (status: number) => void;
  #reject!: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  #startedAt = performance.now();
  #sawOutput = false;
  #remoteError: string | undefined;
  #status: number | undefined;
  /** The output streams waited for ('drain'); the channel is read again once there are none. */
  readonly #waitingFor = new Set<Writable>();
  #stdinPump: (() => void) | undefined;

  constructor(shell: DataChannel, command: string, streams: CommandStreams, options: RunOnShellOptions) {
    this.#shell = shell;
    this.#command = command;
    this.#streams = streams;
    this.#options = options;
    this.#nonce = randomBytes(NONCE_HEX_DIGITS / 2).toString('hex');
    this.#reader = new FrameReader(runMarkers(this.#nonce));
    this.result = new Promise<number>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#start();
  }

  #start(): void {
    const signal = this.#options.signal;
    if (signal?.aborted) {
      this.#fail(new AdminShellError('ABORTED', 'The operation was aborted.', { cause: signal.reason }));
      return;
    }
    const stopListening = signal && listenForAbort(signal, () => this.#abort());
    const onData = (chunk: Buffer): void => this.#onData(chunk);
    const onClose = (info: CloseInfo): void => this.#onClose(info);
    this.#shell.on('data', onData);
    this.#shell.on('error', () => {
      // Reported through whenClosed.
    });
    void this.#shell.whenClosed.then(onClose);
    const promptMs = this.#options.timeouts?.promptMs ?? COMMAND_TIMING.promptMs;
    this.#arm(promptMs);
    void this.result
      .catch(() => undefined)
      .finally(() => {
        stopListening?.();
        this.#shell.off('data', onData);
        this.#stdinPump?.();
        clearTimeout(this.#timer);
        clearTimeout(this.#startTimer);
      });
  }

  /** (Re)arms the prompt timer: the line is typed when it fires. */
  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#typeLine(), Math.max(0, ms));
  }

  #onData(chunk: Buffer): void {
    if (this.#phase === 'done') return;
    let events: FrameEvent[];
    try {
      events = this.#reader.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this.#fail(
        new AdminShellError('COMMAND_INCOMPLETE', `The run failed: ${error.message}.`, { cause: error }),
      );
      return;
    }
    if (!this.#reader.ready) {
      const shell = foreignShell(this.#reader.text);
      if (shell !== undefined) {
        this.#fail(unsupportedShell(shell));
        return;
      }
    }
    if (this.#phase === 'prompt') {
      this.#sawOutput = true;
      const maxLeft =
        (this.#options.timeouts?.promptMs ?? COMMAND_TIMING.promptMs) - (performance.now() - this.#startedAt);
      const quiet = endsWithPrompt(this.#reader.text)
        ? COMMAND_TIMING.promptSettleMs
        : COMMAND_TIMING.quietMs;
      this.#arm(Math.min(quiet, maxLeft));
    }
    for (const event of events) this.#onEvent(event);
  }

  #typeLine(): void {
    if (this.#phase !== 'prompt') return;
    this.#phase = 'typed';
    this.#options.logger?.debug?.('typing the runner line', { afterOutput: this.#sawOutput });
    this.#write(bootstrapLine(this.#nonce));
    const startMs = this.#options.timeouts?.startMs ?? COMMAND_TIMING.startMs;
    this.#startTimer = setTimeout(() => {
      if (this.#phase === 'typed') {
        this.#fail(
          new AdminShellError(
            'COMMAND_INCOMPLETE',
            `The remote shell did not start the command within ${Math.round(startMs / 1000)} s${this.#saidSuffix()}. ` +
              `It needs a POSIX shell (sh, bash) on the host; try ${mention('interactive')} instead.`,
          ),
        );
      }
    }, startMs);
  }

  #onEvent(event: FrameEvent): void {
    switch (event.type) {
      case 'ready':
        this.#options.logger?.debug?.('the remote shell is ready; sending the runner');
        this.#write(
          scriptLines(runnerScript(this.#command, this.#nonce, { stdin: this.#streams.stdin !== undefined })),
        );
        if (this.#streams.stdin !== undefined) this.#pumpStdin(this.#streams.stdin);
        return;
      case 'no-tool':
        this.#fail(missingTool(event.tool));
        return;
      case 'begin':
        clearTimeout(this.#startTimer);
        this.#phase = 'running';
        this.#options.logger?.debug?.('the command is running');
        return;
      case 'stdout':
      case 'stderr': {
        const target = event.type === 'stdout' ? this.#streams.stdout : this.#streams.stderr;
        if (event.data.length > 0 && !target.write(event.data) && !this.#waitingFor.has(target)) {
          // Stop reading the channel (and so the remote output) until the reader has caught up.
          this.#waitingFor.add(target);
          this.#shell.pause();
          target.once('drain', () => {
            this.#waitingFor.delete(target);
            if (this.#waitingFor.size === 0) this.#shell.resume();
          });
        }
        return;
      }
      case 'exit':
        this.#status = event.status;
        this.#phase = 'done';
        this.#finish(event.status);
        return;
      case 'remote-error':
        this.#remoteError = event.what;
        this.#options.logger?.warn?.('the remote runner failed', { what: printableText(event.what, 100) });
        return;
    }
  }

  /** Resolves once what was written to stdout and stderr has been flushed. */
  #finish(status: number): void {
    const flushed = [this.#streams.stdout, this.#streams.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.destroyed || stream.writableEnded) resolve();
          else stream.write('', () => resolve());
        }),
    );
    void Promise.all(flushed).then(() => this.#resolve(status));
  }

  #pumpStdin(stdin: Readable): void {
    const lines = new StdinLines();
    let stopped = false;
    /** A chunk is partly sent, waiting for the channel to drain: the end of stdin waits for it. */
    let pending = false;
    let ended = false;
    const stop = (): void => {
      stopped = true;
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
    };
    const finish = (): void => {
      if (stopped) return;
      this.#write(lines.end());
      stop();
    };
    // A large chunk goes out a slice at a time, each waiting for the channel to take the one before.
    const send = (data: Buffer): void => {
      for (let at = 0; at < data.length && !stopped && this.#phase !== 'done'; ) {
        const text = lines.push(data.subarray(at, at + STDIN_SLICE_BYTES));
        at += STDIN_SLICE_BYTES;
        if (text.length > 0 && !this.#write(text)) {
          pending = true;
          stdin.pause();
          const rest = data.subarray(at);
          this.#shell.once('drain', () => {
            pending = false;
            send(rest);
            if (pending || stopped) return;
            // A stream may end while paused, once its last chunk was taken: then end after that chunk.
            if (ended) finish();
            else stdin.resume();
          });
          return;
        }
      }
    };
    const onData = (chunk: Buffer | string): void =>
      send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onEnd = (): void => {
      ended = true;
      if (!pending) finish();
    };
    const onError = (error: Error): void => {
      stop();
      this.#fail(
        new AdminShellError('INVALID_ARGUMENT', `Reading the local input failed: ${error.message}.`, {
          cause: error,
        }),
      );
    };
    this.#stdinPump = stop;
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  }

  #write(text: string): boolean {
    if (this.#shell.destroyed || this.#shell.writableEnded) return true;
    return this.#shell.write(text);
  }

  #abort(): void {
    if (this.#phase === 'done') return;
    // Interrupt the remote command; the caller's destroy of the shell ends the session.
    if (this.#phase === 'running') this.#write(INTERRUPT);
    this.#fail(
      new AdminShellError('ABORTED', 'The operation was aborted.', { cause: this.#options.signal?.reason }),
    );
  }

  #onClose(info: CloseInfo): void {
    if (this.#phase === 'done') return;
    if (this.#status !== undefined) return;
    const failure = closeFailure(info);
    if (failure !== undefined) {
      this.#fail(failure);
      return;
    }
    const what =
      this.#remoteError === undefined
        ? ''
        : ` (the runner reported: ${printableText(this.#remoteError, 100)})`;
    this.#fail(
      new AdminShellError(
        'COMMAND_INCOMPLETE',
        this.#phase === 'running'
          ? `The session ended before the command finished, so its exit status is unknown${what}.`
          : `The session ended before the command started${what}${this.#saidSuffix()}.`,
      ),
    );
  }

  /** What the remote shell printed besides frames, for a failure message. */
  #saidSuffix(): string {
    const said = printableText(this.#reader.text.split(/\r?\n/).slice(-4).join(' '), 200);
    return said === '' ? '' : `; the remote shell printed: ${said}`;
  }

  #fail(error: unknown): void {
    if (this.#phase === 'done' && this.#status !== undefined) return;
    this.#phase = 'done';
    this.#reject(error);
  }
}

function unsupportedShell(shell: string): AdminShellError {
  return new AdminShellError(
    'UNSUPPORTED_SHELL',
    `The stream session's admin shell is ${shell} (a Windows runtime): running a command or copying files ` +
      `needs a POSIX shell (Linux runtimes: Ubuntu, Proton). Use ${mention('interactive')} instead.`,
  );
}

function missingTool(tool: string): AdminShellError {
  const name = printableText(tool, 40) || 'a tool';
  return new AdminShellError(
    'REMOTE_TOOL_MISSING',
    `The stream session's host has no ${name} command, which running a command needs (it is part of GNU ` +
      `coreutils and BusyBox). Install it on the host, or use ${mention('interactive')}.`,
  );
}

import type { Readable, Writable } from 'node:stream';
import type { TerminalSize } from 'ssm-channel';

/** The streams the command runs with (the process's, or a test's). */
export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number; rows?: number };
}

/** The program name that starts every diagnostic line. */
export const PROGRAM = 'gamelift-admin-shell';

/** Writes diagnostics to stderr, one line at a time, with `\r\n` while the terminal is raw. */
export interface Diagnostics {
  /** Writes `text` as one line, prefixed with the program name. */
  say(text: string): void;
  /** Writes a line as it is (already prefixed). */
  line(text: string): void;
  /** Writes raw text (for multi-line blocks such as the escape help). */
  raw(text: string): void;
  /** Switches line ends to `\r\n` (raw terminal) or back. */
  setRaw(raw: boolean): void;
}

/** Creates the {@link Diagnostics} of the command on `stderr`. */
export function createDiagnostics(stderr: Writable): Diagnostics {
  let eol = '\n';
  const line = (text: string): void => {
    stderr.write(`${text}${eol}`);
  };
  return {
    say: (text) => line(`${PROGRAM}: ${text}`),
    line,
    raw: (text) => {
      stderr.write(eol === '\n' ? text.replace(/\r\n/g, '\n') : text);
    },
    setRaw: (raw) => {
      eol = raw ? '\r\n' : '\n';
    },
  };
}

/** The size of the local terminal (stdout's, else stderr's), if there is one. */
export function localTerminalSize(io: CliIo): TerminalSize | undefined {
  for (const stream of [io.stdout, io.stderr]) {
    if (stream.isTTY && (stream.columns ?? 0) > 0 && (stream.rows ?? 0) > 0) {
      return { cols: stream.columns as number, rows: stream.rows as number };
    }
  }
  return undefined;
}

/**
 * The size of the local terminal asked from the terminal itself (`getWindowSize()`), not the last size Node
 * saw: after a stop, the SIGWINCH of a resize made meanwhile may not have been handled yet.
 */
export function freshTerminalSize(io: CliIo): TerminalSize | undefined {
  for (const stream of [io.stdout, io.stderr] as const) {
    const tty = stream as { isTTY?: boolean; getWindowSize?: () => [number, number] };
    if (tty.isTTY !== true || typeof tty.getWindowSize !== 'function') continue;
    try {
      const [cols, rows] = tty.getWindowSize();
      if (cols > 0 && rows > 0) return { cols, rows };
    } catch {
      // The terminal is gone: try the next stream, then the cached size.
    }
  }
  return localTerminalSize(io);
}

/** The size used when there is no local terminal. */
export const DEFAULT_TERMINAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

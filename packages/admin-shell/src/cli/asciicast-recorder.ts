import { createWriteStream, type WriteStream } from 'node:fs';
import type { TerminalSize } from 'ssm-channel';

/**
 * Records a terminal session as an asciicast v2 file (newline-delimited JSON): a header object
 * `{"version": 2, "width", "height", "timestamp", "env": {"TERM", "SHELL"}, "title"}`, then one event array
 * per line, `[seconds since the start, code, data]`, with code `"o"` for output (text, UTF-8 decoded across
 * chunk boundaries; bytes that are not UTF-8 become U+FFFD) and `"r"` for a resize (`"COLSxROWS"`). Keys typed
 * are not recorded (they may be passwords). Plays with asciinema-compatible players.
 */
export interface AsciicastRecorder {
  /** Records output shown at this moment. */
  output(chunk: Uint8Array): void;
  /** Records a new terminal size (a size equal to the last one is not recorded). */
  resize(size: TerminalSize): void;
  /** Flushes and closes the file; resolves once it is on disk. Records nothing after. */
  close(): Promise<void>;
}

/** How the recording starts. */
export interface RecordingStart {
  readonly size: TerminalSize;
  readonly title: string;
  /** The clock, in ms (for tests). @default performance.now */
  readonly now?: () => number;
  /** Called once if writing the file fails; the session goes on without recording. */
  readonly onError?: (error: Error) => void;
}

/**
 * Creates the file at `path` (replacing it) and writes the header.
 * @throws the error of creating the file (e.g. its folder does not exist), once it is known.
 */
export async function startRecording(path: string, start: RecordingStart): Promise<AsciicastRecorder> {
  const file = createWriteStream(path, { flags: 'w', mode: 0o600 });
  await new Promise<void>((resolve, reject) => {
    file.once('open', () => {
      file.off('error', reject);
      resolve();
    });
    file.once('error', reject);
  });
  return new FileRecorder(file, start);
}

class FileRecorder implements AsciicastRecorder {
  readonly #file: WriteStream;
  readonly #now: () => number;
  readonly #started: number;
  readonly #decoder = new TextDecoder('utf-8');
  #size: TerminalSize;
  #failed = false;
  #closed = false;

  constructor(file: WriteStream, start: RecordingStart) {
    this.#file = file;
    this.#now = start.now ?? (() => performance.now());
    this.#started = this.#now();
    this.#size = start.size;
    file.on('error', (error) => {
      if (this.#failed) return;
      this.#failed = true;
      start.onError?.(error);
    });
    const header = {
      version: 2,
      width: start.size.cols,
      height: start.size.rows,
      timestamp: Math.floor(Date.now() / 1000),
      env: { TERM: process.env.TERM ?? 'xterm-256color', SHELL: '/bin/sh' },
      title: start.title,
    };
    this.#write(`${JSON.stringify(header)}\n`);
  }

  #event(code: 'o' | 'r', data: string): void {
    const seconds = Math.max(0, (this.#now() - this.#started) / 1000);
    this.#write(`${JSON.stringify([Number(seconds.toFixed(6)), code, data])}\n`);
  }

  #write(line: string): void {
    if (this.#failed || this.#closed) return;
    this.#file.write(line);
  }

  output(chunk: Uint8Array): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    if (text.length > 0) this.#event('o', text);
  }

  resize(size: TerminalSize): void {
    if (size.cols === this.#size.cols && size.rows === this.#size.rows) return;
    this.#size = size;
    this.#event('r', `${size.cols}x${size.rows}`);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const rest = this.#decoder.decode();
    if (rest.length > 0) this.#event('o', rest);
    this.#closed = true;
    return new Promise((resolve) => {
      this.#file.end(() => resolve());
      this.#file.once('error', () => resolve());
    });
  }
}

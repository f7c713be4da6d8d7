import { SsmChannelError } from '../../errors.js';
import type { EmulatorShellOptions } from '../emulator-options.js';
import type { BackendHost, SessionBackend } from './backend.js';
import { type PtyExitWatch, watchPtyExit } from './pty-exit-watch.js';

type NodePty = typeof import('node-pty');
type Pty = import('node-pty').IPty;

/** Time a stopped shell gets to exit after SIGHUP before SIGKILL, in ms. */
const KILL_GRACE_MS = 2_000;
/** The pty size range: the agent truncates sizes to uint16. */
const MAX_CELLS = 0xffff;

/** How to install the optional peer dependency, for error messages. */
const NODE_PTY_INSTALL =
  'npm install --save-dev node-pty (pnpm: pnpm add -D node-pty, and allow its build script)';

/**
 * Loads the optional peer dependency `node-pty`, which `shell` mode needs.
 * @throws {SsmChannelError} `INVALID_ARGUMENT` when it is not installed, or installed without its native
 *   part (a package manager that skipped its build script); the message says how to install it.
 */
export async function loadNodePty(): Promise<NodePty> {
  try {
    return await import('node-pty');
  } catch (cause) {
    const notInstalled =
      (cause as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((cause as Error).message).includes("'node-pty'");
    const problem = notInstalled
      ? 'node-pty, an optional peer dependency, is not installed'
      : `node-pty is installed but failed to load (${(cause as Error).message}); its native part may not be built`;
    throw new SsmChannelError(
      'INVALID_ARGUMENT',
      `the agent emulator's shell mode runs a real shell through node-pty, and ${problem}. Install it: ${NODE_PTY_INSTALL}.`,
      { cause },
    );
  }
}

/**
 * `shell` mode: a real shell in a pseudo-terminal, started when the session is ready. Output is paused while
 * the window is full; sizes are applied with `resize`; the exit code is reported on exit, after every byte
 * the pty still held has been read and queued (see {@link watchPtyExit}).
 */
export function createShellBackend(
  pty: NodePty,
  host: BackendHost,
  options: EmulatorShellOptions,
): SessionBackend {
  let child: Pty | undefined;
  let exited: Promise<void> | undefined;
  let alive = false;
  let stopping = false;
  /** Reading is paused because the output window is full. */
  let paused = false;
  /** The shell process is gone: read everything left, whatever the window says. */
  let gone = false;
  let watch: PtyExitWatch | undefined;
  const size = { cols: options.initialSize?.cols ?? 80, rows: options.initialSize?.rows ?? 24 };
  /** Input held until the end of the turn (see `input`). */
  let pendingInput: Buffer[] = [];
  const flushInput = (): void => {
    const data = pendingInput.length === 1 ? (pendingInput[0] as Buffer) : Buffer.concat(pendingInput);
    pendingInput = [];
    if (alive) child?.write(data);
  };

  const spawn = (): void => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      ...options.env,
    };
    const started = pty.spawn(options.file ?? '/bin/sh', options.args ?? [], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: options.cwd ?? process.cwd(),
      env,
      // null: data arrives as raw bytes (Buffer), not decoded text.
      encoding: null,
    } as import('node-pty').IPtyForkOptions);
    child = started;
    alive = true;
    const exitWatch = watchPtyExit(started, () => {
      gone = true;
      if (paused) {
        paused = false;
        started.resume();
      }
    });
    watch = exitWatch;
    exited = new Promise((resolve) => {
      started.onExit(({ exitCode }) => {
        alive = false;
        exitWatch.release();
        resolve();
        if (!stopping) host.finish({ exitCode });
      });
    });
    started.onData((data: string | Uint8Array) => {
      exitWatch.data();
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      if (!host.output(bytes) && !gone && !paused) {
        paused = true;
        started.pause();
      }
    });
  };

  return {
    start() {
      if (child === undefined && !stopping) spawn();
    },
    input(bytes) {
      if (!alive) return;
      // Input that arrives in one turn goes to the terminal in one write: node-pty sends each write through
      // the thread pool, so a write per 1 KiB message would cap input far below what the channel carries.
      pendingInput.push(Buffer.from(bytes));
      if (pendingInput.length === 1) setImmediate(flushInput);
    },
    resize(next) {
      const cols = Math.min(next.cols, MAX_CELLS);
      const rows = Math.min(next.rows, MAX_CELLS);
      if (cols === 0 || rows === 0) return;
      size.cols = cols;
      size.rows = rows;
      if (!alive) return;
      try {
        child?.resize(cols, rows);
      } catch {
        // The shell exited between the check and the call; nothing to resize.
      }
    },
    writable() {
      if (alive && paused) {
        paused = false;
        child?.resume();
      }
    },
    async stop() {
      stopping = true;
      watch?.release();
      if (child === undefined || exited === undefined) return;
      if (alive) {
        child.kill('SIGHUP');
        const timer = setTimeout(() => {
          if (alive) child?.kill('SIGKILL');
        }, KILL_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

import { setTimeout as delay } from 'node:timers/promises';
import type { AdminShell } from '../open-admin-shell.js';
import type { CliIo, Diagnostics } from './cli-io.js';
import { exitCodeForClose, waitForQuiet, waitForReadableEnd } from './session-end.js';

const DRAIN_MS = 2_000;
/** Ctrl-D: end of input for a shell reading a terminal line. */
const EOT = Buffer.from([0x04]);

/** When the remote prompt counts as printed: after this much silence, or this long in any case. */
export const PROMPT_WAIT = { quietMs: 300, maxMs: 5_000 } as const;
/**
 * After stdin's end: Ctrl-D goes out once the output has been quiet this long (the shell is back at its
 * prompt), again after `retryMs` while the session is still open, and at least every `maxMs` of busy
 * output. A single Ctrl-D typed ahead can be swallowed by a shell that switches its terminal between line
 * and character mode around each command (bash with readline does), so one is not enough.
 */
export const EOF_WAIT = { quietMs: 300, maxMs: 30_000, retryMs: 1_000 } as const;

/**
 * Runs the shell with a non-terminal stdin: stdin's bytes go to the remote shell once its prompt is out; at
 * stdin's end, an unfinished last line is ended and Ctrl-D sent (see {@link EOF_WAIT}), so the remote shell
 * exits and the session ends once its output has drained. stdout gets the remote output only.
 * @returns the exit status.
 */
export async function runPiped(shell: AdminShell, io: CliIo, diag: Diagnostics): Promise<number> {
  let lastByte: number | undefined;
  const onData = (chunk: Buffer): void => {
    if (chunk.length === 0 || shell.destroyed) return;
    lastByte = chunk[chunk.length - 1];
    if (!shell.write(chunk)) {
      io.stdin.pause();
      shell.once('drain', () => io.stdin.resume());
    }
  };
  let closed = false;
  const onEnd = (): void => {
    if (shell.destroyed) return;
    if (lastByte !== undefined && lastByte !== 0x0a && lastByte !== 0x0d) shell.write('\n');
    void (async () => {
      while (!closed && !shell.destroyed) {
        await Promise.race([waitForQuiet(shell, EOF_WAIT), shell.whenClosed]);
        if (closed || shell.destroyed) return;
        shell.write(EOT);
        await Promise.race([delay(EOF_WAIT.retryMs, undefined, { ref: false }), shell.whenClosed]);
      }
    })();
  };
  void shell.whenClosed.then(() => {
    closed = true;
  });
  shell.on('error', () => {
    // Reported through `closed`.
  });
  shell.pipe(io.stdout, { end: false });
  shell.stderr.pipe(io.stderr, { end: false });
  try {
    await Promise.race([waitForQuiet(shell, PROMPT_WAIT), shell.whenClosed]);
    io.stdin.on('data', onData);
    io.stdin.once('end', onEnd);
    io.stdin.resume();
    const info = await shell.whenClosed;
    await waitForReadableEnd(shell, DRAIN_MS);
    return exitCodeForClose(info, diag);
  } finally {
    io.stdin.off('data', onData);
    io.stdin.off('end', onEnd);
    io.stdin.pause();
    shell.unpipe(io.stdout);
    shell.stderr.unpipe(io.stderr);
  }
}

import { closeSync, constants, openSync } from 'node:fs';

type Pty = import('node-pty').IPty;

/**
 * Timing of the end of a shell, in ms: how often the shell's pid is checked, how long the output must stay
 * quiet after its exit before the pty is let go, and the longest that drain may take. The drain stays under
 * node-pty's own 200 ms limit, after which it destroys the pty's reader whatever the kernel still holds.
 */
export const PTY_EXIT_TIMING = { pollMs: 20, quietMs: 25, maxDrainMs: 150 } as const;

/** What {@link watchPtyExit} needs to be told, and what it can be asked. */
export interface PtyExitWatch {
  /** Output arrived from the pty (restarts the quiet period once the shell is gone). */
  data(): void;
  /** Lets go of the pty now (stops the polling, closes the slave side held open). Idempotent. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Makes sure the last output of a shell is read before node-pty reports its exit.
 *
 * When the last holder of a pty's slave side closes it, the master may read end-of-file while the kernel
 * still buffers output (the tail of a large output is then lost). So this holds the slave side open itself
 * (the master never reads end-of-file early), polls the shell's pid every `pollMs`, and once the shell is
 * gone calls `onGone` (read on: the output window no longer matters), waits until the output has been quiet
 * for `quietMs` (at most `maxDrainMs`), and then closes the slave side: the master reads end-of-file and
 * node-pty reports the exit. Without node-pty's `ptsName` (not a Unix pty) only the polling applies.
 */
export function watchPtyExit(
  pty: Pty,
  onGone: () => void,
  timing: { pollMs: number; quietMs: number; maxDrainMs: number } = PTY_EXIT_TIMING,
): PtyExitWatch {
  const ptsName = (pty as { ptsName?: unknown }).ptsName;
  let slave: number | undefined;
  if (typeof ptsName === 'string') {
    try {
      slave = openSync(ptsName, constants.O_WRONLY | constants.O_NOCTTY);
    } catch {
      // The pty is already gone or cannot be opened: node-pty ends it on its own.
    }
  }
  let timer: NodeJS.Timeout | undefined;
  let goneAt: number | undefined;
  let lastData = 0;
  let released = false;

  const release = (): void => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    if (slave !== undefined) closeSync(slave);
    slave = undefined;
  };
  const drain = (): void => {
    const now = performance.now();
    const quietLeft = lastData + timing.quietMs - now;
    const drainLeft = (goneAt ?? now) + timing.maxDrainMs - now;
    if (quietLeft <= 0 || drainLeft <= 0) release();
    else timer = setTimeout(drain, Math.ceil(Math.min(quietLeft, drainLeft)));
  };
  const poll = (): void => {
    if (isAlive(pty.pid)) {
      timer = setTimeout(poll, timing.pollMs);
      return;
    }
    goneAt = performance.now();
    lastData = goneAt;
    onGone();
    if (!released) timer = setTimeout(drain, timing.quietMs);
  };
  timer = setTimeout(poll, timing.pollMs);

  return {
    data() {
      lastData = performance.now();
    },
    release,
  };
}

import type { ReadStream } from 'node:tty';

/** Puts a terminal in raw mode until {@link RawModeGuard.restore}. */
export interface RawModeGuard {
  /** Puts the terminal back as it was, for good. Idempotent. */
  restore(): void;
  /** Puts the terminal back as it was for now (before the process stops); {@link reapply} undoes it. */
  suspend(): void;
  /** Sets raw mode again (after SIGCONT: a job-control shell may have reset the terminal). */
  reapply(): void;
}

const active = new Set<RawModeGuard>();
let exitHookInstalled = false;

/** Restores every terminal still in raw mode: for crash and signal paths. Safe to call any time. */
export function restoreAllTerminals(): void {
  for (const guard of [...active]) guard.restore();
}

/**
 * Sets raw mode on `stdin` (a TTY): keys arrive one by one, unechoed, and Ctrl-C, Ctrl-Z and Ctrl-\ arrive as
 * bytes instead of signals, so they can go to the remote shell. The previous mode is restored by `restore()`,
 * and in any case when the process exits.
 */
export function enterRawMode(stdin: ReadStream): RawModeGuard {
  const wasRaw = stdin.isRaw;
  let restored = false;
  const guard: RawModeGuard = {
    restore() {
      if (restored) return;
      restored = true;
      active.delete(guard);
      try {
        stdin.setRawMode(wasRaw);
      } catch {
        // The terminal is gone (hang-up): nothing to restore.
      }
    },
    suspend() {
      if (restored) return;
      try {
        stdin.setRawMode(wasRaw);
      } catch {
        // As above.
      }
    },
    reapply() {
      if (restored) return;
      try {
        stdin.setRawMode(true);
      } catch {
        // As above.
      }
    },
  };
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', restoreAllTerminals);
  }
  active.add(guard);
  stdin.setRawMode(true);
  return guard;
}

import type { RawModeGuard } from './raw-mode.js';

/** The parts of `process` that job control uses (injectable for tests). */
export interface JobControlProcess {
  readonly pid: number;
  on(event: 'SIGTSTP' | 'SIGCONT', listener: () => void): unknown;
  off(event: 'SIGTSTP' | 'SIGCONT', listener: () => void): unknown;
  kill(pid: number, signal: 'SIGSTOP'): unknown;
}

/**
 * Keeps the terminal usable across a stop. In raw mode Ctrl-Z is a byte for the remote shell, but a SIGTSTP
 * sent from outside (`kill -TSTP`) would stop the process with the terminal still raw; so on SIGTSTP the
 * terminal is put back as it was, then the process stops itself with SIGSTOP (which, unlike SIGTSTP, cannot
 * be caught). On SIGCONT raw mode is set again and `onContinue` runs (to resend the window size, which may
 * have changed meanwhile).
 * @returns a function that removes both listeners.
 */
export function handleJobControl(
  guard: RawModeGuard,
  onContinue: () => void,
  proc: JobControlProcess = process,
): () => void {
  const onStop = (): void => {
    guard.suspend();
    proc.kill(proc.pid, 'SIGSTOP');
  };
  const onCont = (): void => {
    guard.reapply();
    onContinue();
  };
  proc.on('SIGTSTP', onStop);
  proc.on('SIGCONT', onCont);
  return () => {
    proc.off('SIGTSTP', onStop);
    proc.off('SIGCONT', onCont);
  };
}

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleJobControl, type JobControlProcess } from '../../src/cli/job-control.js';
import { enterRawMode } from '../../src/cli/raw-mode.js';

/** A fake TTY stdin that records its raw-mode changes. */
function fakeTty(initiallyRaw = false) {
  const modes: boolean[] = [];
  const stdin = {
    isRaw: initiallyRaw,
    setRawMode(mode: boolean) {
      modes.push(mode);
      stdin.isRaw = mode;
      return stdin;
    },
  };
  return { stdin, modes };
}

function fakeProcess() {
  const emitter = new EventEmitter();
  const events: string[] = [];
  const proc: JobControlProcess = {
    pid: 4242,
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    kill: (pid, signal) => {
      events.push(`kill ${pid} ${signal}`);
      return true;
    },
  };
  return { proc, emitter, events };
}

describe('job control in raw mode', () => {
  it('SIGTSTP restores the terminal, then stops; SIGCONT sets raw again, then resends the size', () => {
    const { stdin, modes } = fakeTty(false);
    const guard = enterRawMode(stdin as never);
    const { proc, emitter, events } = fakeProcess();
    const remove = handleJobControl(guard, () => events.push(`resize (raw=${stdin.isRaw})`), proc);
    expect(modes).toEqual([true]);
    emitter.emit('SIGTSTP');
    // Restored before the stop: the stopped process leaves a cooked terminal behind.
    expect(modes).toEqual([true, false]);
    expect(events).toEqual(['kill 4242 SIGSTOP']);
    emitter.emit('SIGCONT');
    expect(modes).toEqual([true, false, true]);
    expect(events).toEqual(['kill 4242 SIGSTOP', 'resize (raw=true)']);
    remove();
    expect(emitter.listenerCount('SIGTSTP')).toBe(0);
    expect(emitter.listenerCount('SIGCONT')).toBe(0);
    guard.restore();
    expect(modes).toEqual([true, false, true, false]);
  });

  it('after restore(), neither suspend() nor reapply() touch the terminal', () => {
    const { stdin, modes } = fakeTty(false);
    const guard = enterRawMode(stdin as never);
    guard.restore();
    guard.suspend();
    guard.reapply();
    expect(modes).toEqual([true, false]);
  });
});

/**
 * Resolves with the next uncaught exception of this process, which it takes in place of the test runner
 * (that would fail the run with it); the runner's own handlers are put back at once.
 */
export function nextUncaught(): Promise<unknown> {
  return new Promise((resolve) => {
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (error) => {
      for (const listener of listeners) process.on('uncaughtException', listener);
      resolve(error);
    });
  });
}

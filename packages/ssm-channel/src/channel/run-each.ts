/**
 * Runs every task, in order. One that throws is reported as an uncaught error, as a listener or a task of
 * its own would be, and the others still run.
 */
export function runEach(tasks: Iterable<() => void>): void {
  for (const task of tasks) {
    try {
      task();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

import { describe, expect, it } from 'vitest';
import { afterQueuedTasks } from '../../src/channel/after-queued-tasks.js';
import { nextUncaught } from './next-uncaught.js';

describe('afterQueuedTasks', () => {
  it('runs tasks in order, after what was already queued; a task deferred by a task runs in the next round', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      afterQueuedTasks(() => {
        order.push('a');
        afterQueuedTasks(() => {
          order.push('a2');
          resolve();
        });
      });
      afterQueuedTasks(() => order.push('b'));
      queueMicrotask(() => order.push('microtask'));
    });
    await done;
    expect(order).toEqual(['microtask', 'a', 'b', 'a2']);
  });

  it('a task that throws does not keep the others from running; its error is reported as uncaught', async () => {
    const ran: string[] = [];
    const reported = nextUncaught();
    const last = new Promise<void>((resolve) => {
      afterQueuedTasks(() => ran.push('first'));
      afterQueuedTasks(() => {
        throw new Error('a task that failed');
      });
      afterQueuedTasks(() => {
        ran.push('third');
        resolve();
      });
    });
    await last;
    expect(ran).toEqual(['first', 'third']);
    expect(await reported).toMatchObject({ message: 'a task that failed' });
  });
});

// Starts agent-child.js in its own process and talks to it over IPC. The child is killed on close(), when
// its start or a query times out, and when this process exits; it also ends itself after `lifetimeMs`.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./agent-child.js', import.meta.url));
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * @param {{ lifetimeMs?: number, startTimeoutMs?: number }} [options]
 */
export async function startAgentProcess(options = {}) {
  const lifetimeMs = options.lifetimeMs ?? 600_000;
  const child = fork(CHILD, [String(lifetimeMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: (process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean),
  });
  live.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => live.delete(child));
  const pending = new Map();
  const blastDone = new Map();
  let nextReq = 0;
  child.on('message', (message) => {
    if (message?.type === 'result') {
      pending.get(message.reqId)?.(message.result);
      pending.delete(message.reqId);
    } else if (message?.type === 'blast-done') {
      blastDone.get(message.id)?.(message.frames);
      blastDone.delete(message.id);
    }
  });
  let port;
  try {
    port = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the agent process did not start')),
        options.startTimeoutMs ?? 10_000,
      );
      child.once('message', (message) => {
        clearTimeout(timer);
        if (message?.type === 'ready') resolve(message.port);
        else reject(new Error('unexpected first message from the agent process'));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the agent process exited (${code})`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }

  return {
    port,
    pid: child.pid,
    /** `ws://127.0.0.1:<port><path>` */
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    /** The child's figures for connection `id` (undefined if it never connected). */
    query(id, timeoutMs = 5_000) {
      const reqId = nextReq++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(reqId);
          reject(new Error('the agent process did not answer'));
        }, timeoutMs);
        pending.set(reqId, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
        child.send({ type: 'query', reqId, id });
      });
    },
    /** Resolves with the frames written once the blast for `id` has ended (register before connecting). */
    whenBlastDone(id) {
      return new Promise((resolve) => blastDone.set(id, resolve));
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

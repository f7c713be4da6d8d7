/**
 * The web face's deferral (the driver's rule 2): runs a task as a task of its own, after the tasks already
 * queued, such as the WebSocket messages that arrived while the page was busy. A microtask would run before
 * them, and a timer is clamped and throttled in background tabs; a `MessageChannel` message is neither.
 */

import { runEach } from './run-each.js';

/** The part of a `MessagePort` used here, as browsers and Node both have it (Node's can be unref'd). */
interface Port {
  onmessage: (() => void) | null;
  postMessage(message: undefined): void;
  unref?(): void;
}

let queued: (() => void)[] = [];
let ports: { port1: Port; port2: Port } | undefined;

function runQueued(): void {
  const tasks = queued;
  queued = [];
  runEach(tasks);
}

/** Runs `task` after the tasks already queued (one message for all the tasks deferred meanwhile). */
export function afterQueuedTasks(task: () => void): void {
  if (ports === undefined) {
    ports = new MessageChannel() as unknown as { port1: Port; port2: Port };
    ports.port1.onmessage = runQueued;
    // Under Node a port with a listener would keep the process alive for good. Unref'd, a task posted when
    // nothing else keeps Node alive never runs: the channel's timer is unref'd too, and a channel that
    // still has something to time holds a socket or a reconnection timer, which keep it alive.
    ports.port1.unref?.();
  }
  queued.push(task);
  if (queued.length === 1) ports.port2.postMessage(undefined);
}

/**
 * Batches the socket writes made during one tick into one system call.
 *
 * `ws` writes every message with its own `socket.write()`, and every acknowledgement is a message: without
 * batching, a socket read carrying 50 output frames costs 50 `write` system calls for their acks, which
 * was most of the receive path's time. Corking the socket at the first send and uncorking it on
 * `process.nextTick` hands everything sent meanwhile (e.g. the acks of a whole socket read) to the kernel
 * in one `writev` as soon as the current callback returns, so a keystroke waits only microseconds.
 * (`setImmediate` would batch across socket reads too, but measured no faster and delayed keystrokes.)
 * {@link TickCork.flush} uncorks at once, e.g. when the queued bytes reach a high-water mark.
 */
import type { Socket } from 'node:net';

/** Corks a socket until the end of the current tick. */
export class TickCork {
  readonly #socket: Socket;
  #corked = false;
  #scheduled = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Corks the socket, if not corked already, and makes sure it is uncorked at the end of the tick. */
  hold(): void {
    if (this.#corked || this.#socket.destroyed) return;
    this.#corked = true;
    this.#socket.cork();
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#onTick);
  }

  /** Uncorks now: the kernel takes what it can of the queued writes. */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  }

  readonly #onTick = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}

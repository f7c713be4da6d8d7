/** Settings and hooks of a {@link Keepalive}. */
export interface KeepaliveOptions {
  /** Time between two pings, in ms. */
  intervalMs: number;
  /** How long to wait, after a ping, for a pong or any other frame from the peer, in ms. */
  timeoutMs: number;
  /** Sends one WebSocket ping. */
  sendPing(): void;
  /** Called once when a ping went unanswered for `timeoutMs`; the keepalive is stopped by then. */
  onTimeout(): void;
}

/**
 * Ping/pong liveness check for one connection. A ping goes out every `intervalMs`; if neither a pong nor
 * any other frame arrives within `timeoutMs` after it, `onTimeout` fires. A silent peer is therefore
 * detected at most `intervalMs + timeoutMs` after the last frame it sent. Timers are unref'd: they never keep
 * the process alive on their own.
 */
export class Keepalive {
  readonly #options: KeepaliveOptions;
  #pingTimer: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;

  constructor(options: KeepaliveOptions) {
    this.#options = options;
  }

  /** Starts (or restarts) the ping schedule. */
  start(): void {
    this.stop();
    this.#pingTimer = setInterval(() => this.#ping(), this.#options.intervalMs).unref();
  }

  /** Records a sign of life from the peer (a pong or any frame); clears a pending deadline. */
  alive(): void {
    if (this.#deadline !== undefined) {
      clearTimeout(this.#deadline);
      this.#deadline = undefined;
    }
  }

  /** Stops pinging and forgets a pending deadline. */
  stop(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
    this.alive();
  }

  #ping(): void {
    // A deadline still pending means the previous ping is unanswered; it fires on its own.
    if (this.#deadline !== undefined) return;
    this.#deadline = setTimeout(() => {
      this.stop();
      this.#options.onTimeout();
    }, this.#options.timeoutMs).unref();
    this.#options.sendPing();
  }
}

/**
 * One timer that follows a moving deadline: the I/O side of the engine's `nextDeadline()`/`onTimer()`.
 */

/** Re-arms a single `setTimeout` for the earliest deadline it is given. */
export class DeadlineTimer {
  readonly #now: () => number;
  readonly #fire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #at = Number.POSITIVE_INFINITY;

  constructor(now: () => number, fire: () => void) {
    this.#now = now;
    this.#fire = fire;
  }

  /** Arms the timer for `deadline` (same clock as `now`), or disarms it for `undefined`. */
  set(deadline: number | undefined): void {
    if (deadline === undefined) {
      this.clear();
      return;
    }
    // Keep a timer that fires at the same time or only slightly earlier: no churn on the hot path.
    if (this.#timer !== undefined && deadline >= this.#at - 1 && deadline <= this.#at + 1) return;
    this.clear();
    this.#at = deadline;
    const delay = Math.max(0, Math.ceil(deadline - this.#now()));
    this.#timer = setTimeout(this.#onTimeout, delay);
    // The socket keeps the process alive; the timer alone must not.
    this.#timer.unref();
  }

  /** Disarms the timer. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }

  readonly #onTimeout = (): void => {
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    this.#fire();
  };
}

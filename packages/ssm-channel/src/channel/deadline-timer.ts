/**
 * One timer that follows a moving deadline: the I/O side of the engine's `nextDeadline()`/`onTimer()`.
 */
import { unrefTimer } from '#platform';

/** The longest delay `setTimeout` honours. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Keeps a single `setTimeout` armed no later than the earliest deadline it is given.
 *
 * Re-arming is lazy: a timer already set to fire at or before a new deadline is kept, and when it fires
 * early the engine finds nothing due and the next {@link DeadlineTimer.set} arms it for the real deadline.
 * Every keystroke moves the retransmission deadline and every ack removes it; without this, each would
 * cost a `clearTimeout` and a `setTimeout`.
 */
export class DeadlineTimer {
  readonly #now: () => number;
  readonly #fire: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #at = Number.POSITIVE_INFINITY;

  constructor(now: () => number, fire: () => void) {
    this.#now = now;
    this.#fire = fire;
  }

  /**
   * Makes sure the timer fires at `deadline` (same clock as `now`) at the latest; `undefined` (nothing due)
   * leaves an armed timer to fire once with nothing to do.
   */
  set(deadline: number | undefined): void {
    if (deadline === undefined) return;
    // Armed to fire at (or within a millisecond of) this deadline or before it: keep it.
    if (this.#timer !== undefined && this.#at <= deadline + 1) return;
    this.clear();
    this.#at = deadline;
    // setTimeout takes at most 2^31-1 ms; a later deadline fires early, finds nothing due, and re-arms.
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, Math.ceil(deadline - this.#now())));
    this.#timer = setTimeout(this.#onTimeout, delay);
    // The socket keeps the process alive; the timer alone must not.
    unrefTimer(this.#timer);
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

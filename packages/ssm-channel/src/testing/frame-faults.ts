import type { EmulatorFaultOptions, FaultCounters } from './emulator-options.js';
import type { SeededRandom } from './seeded-random.js';

/** A direction of travel through the emulator. */
export type FaultDirection = 'to-client' | 'to-agent';

type Deliver = (frame: Uint8Array) => void;

interface Held {
  frame: Uint8Array;
  deliver: Deliver;
  timer: NodeJS.Timeout;
}

/**
 * Drop, duplicate and reorder decisions for agent messages, from one seeded generator. Reordering holds at
 * most one message per direction and releases it right after the next one, or after `reorderHoldMs`.
 */
export class FrameFaults {
  readonly #random: SeededRandom;
  readonly #counters: FaultCounters;
  readonly #drop: number;
  readonly #duplicate: number;
  readonly #reorder: number;
  readonly #holdMs: number;
  readonly #directions: ReadonlySet<FaultDirection>;
  readonly #held = new Map<FaultDirection, Held>();

  constructor(options: EmulatorFaultOptions, random: SeededRandom, counters: FaultCounters, holdMs: number) {
    this.#random = random;
    this.#counters = counters;
    this.#drop = options.drop ?? 0;
    this.#duplicate = options.duplicate ?? 0;
    this.#reorder = options.reorder ?? 0;
    this.#holdMs = holdMs;
    const direction = options.direction ?? 'both';
    this.#directions = new Set<FaultDirection>(
      direction === 'both' ? ['to-client', 'to-agent'] : [direction],
    );
  }

  /** Whether any of drop, duplicate or reorder can happen. */
  get active(): boolean {
    return this.#drop > 0 || this.#duplicate > 0 || this.#reorder > 0;
  }

  /** Passes `frame` to `deliver` zero, one or two times, now or slightly later. */
  process(direction: FaultDirection, frame: Uint8Array, deliver: Deliver): void {
    if (!this.#directions.has(direction) || !this.active) {
      deliver(frame);
      return;
    }
    if (this.#chance(this.#drop)) {
      this.#counters.dropped += 1;
      return;
    }
    const held = this.#held.get(direction);
    if (held === undefined && this.#chance(this.#reorder)) {
      this.#held.set(direction, {
        frame,
        deliver,
        timer: setTimeout(() => this.#release(direction), this.#holdMs),
      });
      return;
    }
    deliver(frame);
    if (this.#chance(this.#duplicate)) {
      this.#counters.duplicated += 1;
      deliver(frame);
    }
    if (held !== undefined) {
      this.#counters.reordered += 1;
      this.#release(direction);
    }
  }

  /** Forgets held messages (the connection they were meant for is gone); they count as dropped. */
  reset(): void {
    for (const held of this.#held.values()) {
      clearTimeout(held.timer);
      this.#counters.dropped += 1;
    }
    this.#held.clear();
  }

  #release(direction: FaultDirection): void {
    const held = this.#held.get(direction);
    if (held === undefined) return;
    this.#held.delete(direction);
    clearTimeout(held.timer);
    held.deliver(held.frame);
  }

  #chance(probability: number): boolean {
    return probability > 0 && this.#random.next() < probability;
  }
}

/** A fault that fires once per connection after `afterBytes`, on at most `times` connections. */
export class ByteTrigger {
  readonly #afterBytes: number;
  #remaining: number;
  #firedOnThisConnection = false;

  constructor(afterBytes: number, times: number) {
    this.#afterBytes = afterBytes;
    this.#remaining = times;
  }

  /** A new connection started. */
  rearm(): void {
    this.#firedOnThisConnection = false;
  }

  /** True exactly when the fault should fire now, given the bytes seen on the connection. */
  check(connectionBytes: number): boolean {
    if (this.#firedOnThisConnection || this.#remaining <= 0 || connectionBytes < this.#afterBytes)
      return false;
    this.#firedOnThisConnection = true;
    this.#remaining -= 1;
    return true;
  }
}

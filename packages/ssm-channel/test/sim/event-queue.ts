/**
 * Virtual time: a binary heap of timed callbacks, run in (time, insertion) order.
 */

interface Event {
  time: number;
  order: number;
  run: () => void;
}

/** A discrete-event scheduler with a virtual clock in ms. */
export class EventQueue {
  #heap: Event[] = [];
  #order = 0;
  #now = 0;
  /** Events run so far. */
  executed = 0;

  /** Current virtual time. */
  get now(): number {
    return this.#now;
  }

  /** Number of queued events. */
  get size(): number {
    return this.#heap.length;
  }

  /** Runs `run` at virtual time `time` (not before now). */
  at(time: number, run: () => void): void {
    this.#push({ time: Math.max(time, this.#now), order: this.#order++, run });
  }

  /** Runs `run` after `delay` ms. */
  after(delay: number, run: () => void): void {
    this.at(this.#now + delay, run);
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    const event = this.#pop();
    if (event === undefined) return false;
    this.#now = event.time;
    this.executed += 1;
    event.run();
    return true;
  }

  #less(a: Event, b: Event): boolean {
    return a.time < b.time || (a.time === b.time && a.order < b.order);
  }

  #push(event: Event): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Event | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.#less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && this.#less(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

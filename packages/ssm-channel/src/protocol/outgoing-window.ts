/**
 * The unacknowledged window of one sending direction: every numbered stream message with its exact
 * serialized bytes, until the peer acknowledges its sequence number (protocol reference §10).
 *
 * Entries are found by sequence number in O(1) (a `Map`), and the entries that went on the wire are also
 * kept in a doubly-linked list ordered by last transmission time, so the next one to time out is always the
 * head: an ack and a retransmission are O(1), never a scan of the window.
 */

/** One unacknowledged stream message. */
export interface OutgoingEntry {
  /** Its SequenceNumber. */
  readonly seq: number;
  /** The exact frame; a retransmission resends these bytes (same MessageId and CreatedDate). */
  readonly frame: Uint8Array;
  /** Its MessageId (canonical lower-case). */
  readonly messageId: string;
  /** Time of the latest transmission, or -1. */
  lastSentAt: number;
  /** How many times it was written to the wire. Karn's rule: RTT samples only when this is 1. */
  transmissions: number;
  /** @internal list links (send-time order) */
  prev: OutgoingEntry | undefined;
  /** @internal */
  next: OutgoingEntry | undefined;
}

/** Bounds of an {@link OutgoingWindow}. */
export interface OutgoingWindowLimits {
  /** Most unacknowledged messages. */
  maxMessages: number;
  /** Most unacknowledged frame bytes (headers included). */
  maxBytes: number;
}

/** The unacknowledged window. Not thread-safe, not re-entrant: pure bookkeeping, no I/O. */
export class OutgoingWindow {
  readonly #entries = new Map<number, OutgoingEntry>();
  readonly #limits: OutgoingWindowLimits;
  #bytes = 0;
  /** Lowest sequence number that may still be in the window. */
  #lowSeq = 0;
  /** Sequence number the next {@link add} must carry. */
  #nextSeq = 0;
  /** Oldest transmission (next to time out). */
  #head: OutgoingEntry | undefined;
  #tail: OutgoingEntry | undefined;

  constructor(limits: OutgoingWindowLimits) {
    this.#limits = limits;
  }

  /** Number of unacknowledged messages. */
  get count(): number {
    return this.#entries.size;
  }

  /** Frame bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Sequence number the next message gets. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** True while below both bounds (one more message may be added). */
  hasRoom(): boolean {
    return this.#entries.size < this.#limits.maxMessages && this.#bytes < this.#limits.maxBytes;
  }

  /** The transmitted entry with the oldest last transmission (the next to time out), if any. */
  oldest(): OutgoingEntry | undefined {
    return this.#head;
  }

  /** Adds the message numbered {@link nextSeq} (not yet transmitted) and advances the counter. */
  add(frame: Uint8Array, messageId: string): OutgoingEntry {
    const entry: OutgoingEntry = {
      seq: this.#nextSeq,
      frame,
      messageId,
      lastSentAt: -1,
      transmissions: 0,
      prev: undefined,
      next: undefined,
    };
    this.#entries.set(entry.seq, entry);
    this.#bytes += frame.length;
    this.#nextSeq += 1;
    return entry;
  }

  /** Records a transmission of `entry` at `now` and moves it to the end of the time-out order. */
  markSent(entry: OutgoingEntry, now: number): void {
    if (entry.transmissions > 0) this.#unlink(entry);
    entry.lastSentAt = now;
    entry.transmissions += 1;
    entry.prev = this.#tail;
    entry.next = undefined;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
  }

  /**
   * Removes the entry acknowledged by `seq`. When `messageId` is given it must match the entry's, or the
   * ack is ignored. Returns the removed entry, or undefined for an ack of nothing we hold.
   */
  ack(seq: number, messageId: string | undefined): OutgoingEntry | undefined {
    const entry = this.#entries.get(seq);
    if (entry === undefined) return undefined;
    if (messageId !== undefined && messageId !== entry.messageId) return undefined;
    this.#entries.delete(seq);
    this.#bytes -= entry.frame.length;
    if (entry.transmissions > 0) this.#unlink(entry);
    while (this.#lowSeq < this.#nextSeq && !this.#entries.has(this.#lowSeq)) this.#lowSeq += 1;
    return entry;
  }

  /** Calls `fn` for every held entry in sequence order (O(window); for reconnect flushes only). */
  forEachInOrder(fn: (entry: OutgoingEntry) => void): void {
    for (let seq = this.#lowSeq; seq < this.#nextSeq; seq += 1) {
      const entry = this.#entries.get(seq);
      if (entry !== undefined) fn(entry);
    }
  }

  /** Returns the held entry with this sequence number. */
  get(seq: number): OutgoingEntry | undefined {
    return this.#entries.get(seq);
  }

  /** Drops every entry (the session is over). Sequence numbering is kept. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#lowSeq = this.#nextSeq;
    this.#head = undefined;
    this.#tail = undefined;
  }

  #unlink(entry: OutgoingEntry): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
  }
}

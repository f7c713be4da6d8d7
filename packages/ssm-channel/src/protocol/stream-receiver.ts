/**
 * The receiving half of one stream direction (protocol reference §9.2, with the fixes of §19.4):
 * in-order delivery from `expected`, a bounded out-of-order buffer that is acknowledged on store, re-acks of
 * duplicates (the official client's missing re-ack makes the agent retransmit forever), and no ack for a
 * message the consumer refuses, so the peer retransmits it later.
 */

/** What the receiver needs to know of one sequenced stream message. */
export interface StreamMessage {
  readonly messageType: string;
  readonly sequenceNumber: number;
  readonly payloadType: number;
  readonly payload: Uint8Array;
  /** The whole received frame (the ack reads the MessageId from its bytes). */
  readonly frame: Uint8Array;
}

/** The owner of a {@link StreamReceiver}: consumes payloads in order and sends acks. */
export interface StreamConsumer {
  /**
   * Takes the next in-order payload. Returns false to refuse it for now (the receiver keeps it if the
   * buffer has room, and offers it again on the next {@link StreamReceiver.drain}).
   */
  consume(payloadType: number, payload: Uint8Array): boolean;
  /**
   * Sends an acknowledgement for `message` (the one being received), whose SequenceNumber is
   * `sequenceNumber`.
   */
  ack(sequenceNumber: number, message: StreamMessage): void;
  /**
   * Whether an in-order message of `payloadType` is acknowledged before it is consumed rather than after
   * (the official client does so for handshake messages, §9.2). Such a message must not be refused.
   */
  acksFirst?(payloadType: number): boolean;
}

/** Bounds of the out-of-order buffer. */
export interface ReorderLimits {
  /**
   * Messages held out of order; also how far ahead of the expected sequence number a message may be
   * (anything at or beyond `expected + maxMessages` is dropped without an ack and never allocated).
   */
  maxMessages: number;
  /** Payload bytes held out of order; a message that would pass it is dropped without an ack. */
  maxBytes: number;
}

/**
 * Outcome of {@link StreamReceiver.receive}, for statistics: consumed in order; a duplicate (re-acked);
 * stored out of order or refused-and-kept (acked); refused and not kept (not acked); dropped beyond the
 * bounds (not acked).
 */
export type ReceiveOutcome = 'delivered' | 'duplicate' | 'stored' | 'refused' | 'dropped';

interface Stored {
  readonly payloadType: number;
  readonly payload: Uint8Array;
}

/** Receiver state of one direction. */
export class StreamReceiver {
  readonly #buffer = new Map<number, Stored>();
  readonly #limits: ReorderLimits;
  readonly #consumer: StreamConsumer;
  #expected = 0;
  #bytes = 0;
  #draining = false;

  constructor(limits: ReorderLimits, consumer: StreamConsumer) {
    this.#limits = limits;
    this.#consumer = consumer;
  }

  /** The next sequence number to deliver. */
  get expected(): number {
    return this.#expected;
  }

  /** Messages held out of order. */
  get bufferedMessages(): number {
    return this.#buffer.size;
  }

  /** Payload bytes held out of order. */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  /**
   * Handles one sequenced stream message. A message the consumer refuses is kept (and acked) like an
   * out-of-order one while the buffer has room, so it is delivered by {@link drain} without waiting for a
   * retransmission; beyond the bounds it is dropped unacknowledged and the peer sends it again later.
   * Never throws unless the consumer does.
   */
  receive(message: StreamMessage): ReceiveOutcome {
    const seq = message.sequenceNumber;
    const expected = this.#expected;
    if (seq < expected) {
      // A retransmission of something already consumed: our ack was lost, send it again.
      if (seq < 0) return 'dropped';
      this.#consumer.ack(seq, message);
      return 'duplicate';
    }
    if (seq - expected >= this.#limits.maxMessages) return 'dropped';
    if (this.#buffer.has(seq)) {
      this.#consumer.ack(seq, message);
      if (seq === expected) this.drain();
      return 'duplicate';
    }
    if (seq === expected) {
      const consumer = this.#consumer;
      const ackFirst = consumer.acksFirst?.(message.payloadType) === true;
      if (ackFirst) consumer.ack(seq, message);
      if (consumer.consume(message.payloadType, message.payload)) {
        if (!ackFirst) consumer.ack(seq, message);
        this.#expected = expected + 1;
        this.drain();
        return 'delivered';
      }
    }
    const size = message.payload.length;
    if (this.#bytes + size > this.#limits.maxBytes) return seq === expected ? 'refused' : 'dropped';
    // Copy: the frame may be a view into a larger socket buffer that must not be retained.
    this.#buffer.set(seq, { payloadType: message.payloadType, payload: message.payload.slice() });
    this.#bytes += size;
    this.#consumer.ack(seq, message);
    return 'stored';
  }

  /**
   * Delivers buffered messages that have become in order (they were acked when stored). Stops at the first
   * refusal; call it again when the consumer can take more.
   */
  drain(): void {
    // A consumer callback may call back into drain(); the running loop picks the new state up.
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const seq = this.#expected;
        const next = this.#buffer.get(seq);
        if (next === undefined) return;
        if (!this.#consumer.consume(next.payloadType, next.payload)) return;
        // The consumer may have cleared us (session over) meanwhile.
        if (!this.#buffer.delete(seq)) return;
        this.#bytes -= next.payload.length;
        this.#expected = seq + 1;
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Drops every buffered message (the session is over). */
  clear(): void {
    this.#buffer.clear();
    this.#bytes = 0;
  }
}

/**
 * The reliable-stream plumbing both engines share: the {@link StreamSender} of the direction this side
 * writes, the {@link StreamReceiver} of the one it reads, the payloads waiting for window room, and the
 * link state that gates acknowledgements. The engines keep their lifecycle and what the payloads mean; this
 * does the receive bookkeeping, the acks, publication pause, moving waiting payloads into the window, and
 * the stream part of the stats.
 *
 * Receive hot path (stream message -> consume -> ack): the consumer handed to the receiver is built once, and
 * each ack is one `encodeAcknowledgeMessage`.
 */
import { encodeAcknowledgeMessage } from '../codec/ack-message.js';
import type { EngineIo } from './engine-io.js';
import { PendingInput } from './pending-input.js';
import { type ReorderLimits, type StreamMessage, StreamReceiver } from './stream-receiver.js';
import { StreamSender, type StreamSenderConfig } from './stream-sender.js';

/** The engine counters a {@link StreamLink} increments (the engine's own counters object). */
export interface StreamLinkCounters {
  acksOut: number;
  duplicates: number;
  outOfOrder: number;
  refused: number;
  droppedMessages: number;
}

/** What a {@link StreamLink} needs from its engine. */
export interface StreamLinkHooks {
  /** Takes the next in-order payload; false refuses it for now (see `StreamConsumer.consume`). */
  consume(payloadType: number, payload: Uint8Array): boolean;
  /** Moves whatever the engine sends into the window (ends with {@link StreamLink.pumpPending}). */
  pump(): void;
  /** See `StreamConsumer.acksFirst`. */
  acksFirst?(payloadType: number): boolean;
}

/** The stream part of both engines' stats. */
export interface StreamLinkStats {
  rttMs: number;
  rtoMs: number;
  messagesOut: number;
  bytesOut: number;
  retransmissions: number;
  acksIn: number;
  acksIgnored: number;
  unackedMessages: number;
  unackedBytes: number;
  reorderMessages: number;
  reorderBytes: number;
}

/** Sender, receiver, waiting payloads and link state of one engine. */
export class StreamLink {
  /** The sending half. */
  readonly sender: StreamSender;
  /** The receiving half. */
  readonly receiver: StreamReceiver;
  /** Payloads waiting for window room. */
  readonly pending = new PendingInput();
  readonly #io: EngineIo;
  readonly #counters: StreamLinkCounters;
  readonly #hooks: StreamLinkHooks;
  readonly #callbacks: { onWritable?: (() => void) | undefined };
  #up = false;
  #needWritable = false;

  /**
   * @param counters the engine's counters, incremented in place.
   * @param callbacks the engine's options; `onWritable` is called (as their method) when room comes back.
   */
  constructor(
    sender: StreamSenderConfig,
    reorder: ReorderLimits,
    io: EngineIo,
    counters: StreamLinkCounters,
    hooks: StreamLinkHooks,
    callbacks: { onWritable?: (() => void) | undefined },
  ) {
    this.#io = io;
    this.#counters = counters;
    this.#hooks = hooks;
    this.#callbacks = callbacks;
    this.sender = new StreamSender(sender, io);
    this.receiver = new StreamReceiver(reorder, {
      consume: hooks.consume,
      ack: (_seq, message) => this.#ack(message),
      ...(hooks.acksFirst === undefined ? {} : { acksFirst: hooks.acksFirst }),
    });
  }

  /** True between {@link linkUp} and {@link linkDown}: acks are written only then. */
  get up(): boolean {
    return this.#up;
  }

  /** True when nothing waits and the window has room. */
  get hasRoom(): boolean {
    return this.pending.empty && this.sender.window.hasRoom();
  }

  /** The transport is up: resend everything unacknowledged. */
  linkUp(): void {
    this.#up = true;
    this.sender.linkUp();
  }

  /** The transport is down. */
  linkDown(): void {
    this.#up = false;
    this.sender.linkDown();
  }

  /** Handles one stream message of the peer (data shows the channel is active again) and counts it. */
  receiveStream(message: StreamMessage): void {
    if (this.sender.paused) this.setPublicationPaused(false);
    const outcome = this.receiver.receive(message);
    const c = this.#counters;
    if (outcome === 'duplicate') c.duplicates += 1;
    else if (outcome === 'stored') c.outOfOrder += 1;
    else if (outcome === 'refused') c.refused += 1;
    else if (outcome === 'dropped') c.droppedMessages += 1;
  }

  /**
   * Handles a decoded acknowledgement (an empty `messageId` matches any); when it removed a message, pumps
   * and returns true.
   */
  onAck(sequenceNumber: number, messageId: string): boolean {
    if (this.sender.paused) this.setPublicationPaused(false);
    if (!this.sender.onAck(sequenceNumber, messageId === '' ? undefined : messageId.toLowerCase())) {
      return false;
    }
    this.#hooks.pump();
    return true;
  }

  /** `pause_publication` (true) or `start_publication` (false). */
  setPublicationPaused(paused: boolean): void {
    this.sender.setPaused(paused);
    if (!paused) this.#hooks.pump();
  }

  /** Queues a payload (atomic: sent whole, never cut or merged), then pumps. */
  queue(bytes: Uint8Array, payloadType: number, atomic: boolean): void {
    if (atomic) this.pending.pushAtomic(bytes, payloadType);
    else this.pending.push(bytes, payloadType);
    this.#hooks.pump();
  }

  /** Returns `writable`, remembering to call `onWritable` once room comes back when it is false. */
  noteWritable(writable: boolean): boolean {
    if (!writable) this.#needWritable = true;
    return writable;
  }

  /** Moves waiting payloads into the window while it has room, then calls `onWritable` if it is owed. */
  pumpPending(maxPayload: number): void {
    const pending = this.pending;
    const sender = this.sender;
    while (!pending.empty && sender.window.hasRoom()) {
      const type = pending.headType;
      sender.enqueue(type, pending.take(maxPayload)!);
    }
    if (this.#needWritable && pending.empty && sender.window.hasRoom()) {
      this.#needWritable = false;
      this.#callbacks.onWritable?.();
    }
  }

  /** The sender's next deadline, or `other` if that comes first. */
  nextDeadline(other: number | undefined): number | undefined {
    const retransmit = this.sender.nextDeadline();
    if (other === undefined) return retransmit;
    return retransmit === undefined ? other : Math.min(other, retransmit);
  }

  /** The stream part of the engine's stats. */
  stats(): StreamLinkStats {
    const s = this.sender;
    const rtt = s.rtt.state;
    return {
      rttMs: rtt.rttMs,
      rtoMs: rtt.rtoMs,
      messagesOut: s.counters.messages,
      bytesOut: s.counters.payloadBytes,
      retransmissions: s.counters.retransmissions,
      acksIn: s.counters.acksMatched,
      acksIgnored: s.counters.acksIgnored,
      unackedMessages: s.window.count,
      unackedBytes: s.window.bytes,
      reorderMessages: this.receiver.bufferedMessages,
      reorderBytes: this.receiver.bufferedBytes,
    };
  }

  /** Drops everything held (the session is over). */
  clear(): void {
    this.sender.clear();
    this.receiver.clear();
    this.pending.clear();
  }

  /** Acknowledges `message` (§8). */
  #ack(message: StreamMessage): void {
    if (!this.#up) return;
    this.#counters.acksOut += 1;
    const io = this.#io;
    // Nobody refers back to an ack's own id: the encoder draws one, unless ids are injected (reproducible runs).
    const id = io.defaultIds === true ? undefined : io.randomId();
    this.sender.send(encodeAcknowledgeMessage(message, io.wallClock(), id));
  }
}

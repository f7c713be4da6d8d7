/**
 * The sending half of one stream direction (protocol reference §9.1, §10, §11, §15): numbering from 0,
 * the bounded unacknowledged window, retransmission of the exact same bytes on an RTO timer
 * (Jacobson/Karels, Karn's rule and back-off, the last transmission time recorded on every resend), a
 * bounded give-up time, pause while the link is down or the service paused publication, and an immediate
 * resend of everything unacknowledged when the link comes back.
 *
 * Every frame of its side (acks included) leaves through {@link StreamSender.send}, so this is also where
 * the uplink's backpressure lands: when the I/O layer's `sendFrame` answers false (its queue is above its
 * high-water mark), nothing new is transmitted or retransmitted until {@link StreamSender.drained}.
 */
import { encodeAgentMessage } from '../codec/agent-message-encode.js';
import { HeaderFlag } from '../codec/constants.js';
import type { EngineIo } from './engine-io.js';
import { type OutgoingEntry, OutgoingWindow, type OutgoingWindowLimits } from './outgoing-window.js';
import { createRttEstimator, type RttEstimator } from './rtt-estimator.js';

/** Configuration of a {@link StreamSender}. */
export interface StreamSenderConfig extends OutgoingWindowLimits {
  /** `input_stream_data` (client) or `output_stream_data` (agent). */
  messageType: string;
  /** Put the SYN header flag on sequence number 0 (what the agent writes). */
  synOnFirst: boolean;
  /** Most retransmissions in one timer call. */
  maxRetransmitBurst: number;
  /** Least time between two timer-driven retransmissions (100 models the official one-per-tick scheduler). */
  minRetransmitIntervalMs: number;
  /**
   * Time without any acknowledgement progress, while the link is up and not paused, before giving up
   * (`Infinity`: never).
   */
  giveUpAfterMs: number;
  /** Upper bound of the retransmission timeout. */
  maxRtoMs: number;
}

/** Counters of a {@link StreamSender}. */
export interface SenderCounters {
  /** New stream messages numbered (retransmissions excluded). */
  messages: number;
  /** Payload bytes of those messages. */
  payloadBytes: number;
  /** Frames resent (timer or reconnect). */
  retransmissions: number;
  /** Acks that removed a message. */
  acksMatched: number;
  /** Acks for nothing we hold (unknown or already acked sequence number, or a MessageId mismatch). */
  acksIgnored: number;
}

/**
 * Result of {@link StreamSender.onTimer}: `give-up` when nothing was acknowledged for `giveUpAfterMs`,
 * `paused-too-long` when the service paused publication for that long.
 */
export type SenderTimerResult = 'ok' | 'give-up' | 'paused-too-long';

/** Sender state of one direction. */
export class StreamSender {
  /** The unacknowledged window. */
  readonly window: OutgoingWindow;
  /** The RTT/RTO estimator. */
  readonly rtt: RttEstimator;
  /** Counters. */
  readonly counters: SenderCounters = {
    messages: 0,
    payloadBytes: 0,
    retransmissions: 0,
    acksMatched: 0,
    acksIgnored: 0,
  };
  readonly #io: EngineIo;
  readonly #config: StreamSenderConfig;
  #linkUp = false;
  #paused = false;
  /** When publication was paused (while the link was up), or -1. */
  #pausedSince = -1;
  /** The I/O layer's send queue is full: `sendFrame` answered false and `drained()` has not come yet. */
  #blocked = false;
  /** The peer's frames are not being read, so no acknowledgement can arrive: the clocks wait. */
  #readHeld = false;
  /** The link came up while writing was not possible: every unacknowledged message must be resent. */
  #resendOwed = false;
  /** Entries from this sequence number on have never been transmitted. */
  #firstUnsent = 0;
  /** Start of the current wait for acknowledgement progress, or -1. */
  #waitingSince = -1;
  /** When reading last resumed after a hold: no retransmission for an RTO after it, no RTT sample of before. */
  #releasedAt = Number.NEGATIVE_INFINITY;
  #lastRetransmitAt = Number.NEGATIVE_INFINITY;
  /** Set while timed-out messages remain after a burst hit its limit: the timeout they expired under. */
  #catchUpRto: number | undefined;

  constructor(config: StreamSenderConfig, io: EngineIo) {
    this.#config = config;
    this.#io = io;
    this.window = new OutgoingWindow(config);
    this.rtt = createRttEstimator({ maxRtoMs: config.maxRtoMs });
  }

  /** True while stream messages may be written: the link is up, publication runs, the uplink has room. */
  get transmitting(): boolean {
    return this.#linkUp && !this.#paused && !this.#blocked;
  }

  /** True while retransmissions and the give-up clock run: transmitting, and acknowledgements are read. */
  get #timing(): boolean {
    return this.transmitting && !this.#readHeld;
  }

  /** True while publication is paused by the service. */
  get paused(): boolean {
    return this.#paused;
  }

  /** True from a `sendFrame` that answered false until {@link drained}. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Writes one frame of this side (a stream message or an ack), noting the uplink's backpressure. */
  send(frame: Uint8Array): void {
    if (this.#io.sendFrame(frame) === false) this.#blocked = true;
  }

  /** The uplink's queue drained: write what waited, and start the clocks again. */
  drained(): void {
    if (!this.#blocked) return;
    this.#blocked = false;
    this.#flush(this.#resendOwed);
  }

  /** Numbers, encodes and stores one stream message, and writes it at once when transmitting. */
  enqueue(payloadType: number, payload: Uint8Array): void {
    const io = this.#io;
    const seq = this.window.nextSeq;
    const messageId = io.randomId();
    const encoded = encodeAgentMessage({
      messageType: this.#config.messageType,
      sequenceNumber: seq,
      payloadType,
      payload,
      createdDate: io.wallClock(),
      flags: this.#config.synOnFirst && seq === 0 ? HeaderFlag.Syn : 0,
      messageId,
    });
    // Small frames are views into a shared slab; a kept one gets memory of its own, so the window's byte
    // bound is also what it holds in memory.
    const frame = encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice();
    const entry = this.window.add(frame, messageId);
    this.counters.messages += 1;
    this.counters.payloadBytes += payload.length;
    if (this.transmitting && this.#firstUnsent === seq) {
      this.#firstUnsent = seq + 1;
      this.#transmit(entry, io.now());
      if (this.#waitingSince < 0 && !this.#readHeld) this.#waitingSince = io.now();
    }
  }

  /**
   * Applies an acknowledgement. `messageId` (when not undefined) must match the stored message.
   * Returns true when it removed a message. Any ack also counts as evidence the peer is alive.
   */
  onAck(sequenceNumber: number, messageId: string | undefined): boolean {
    const entry = this.window.ack(sequenceNumber, messageId);
    if (entry === undefined) {
      this.counters.acksIgnored += 1;
      return false;
    }
    this.counters.acksMatched += 1;
    const now = this.#io.now();
    // Karn's rule: a message sent more than once gives an ambiguous sample; so does one whose ack waited
    // while reading was held.
    if (entry.transmissions === 1 && !this.#readHeld && entry.lastSentAt >= this.#releasedAt) {
      this.rtt.sample(now - entry.lastSentAt);
    }
    this.#waitingSince = this.#timing && this.window.count > 0 ? now : -1;
    return true;
  }

  /** The link came up: resend every unacknowledged message in sequence order, then the unsent ones. */
  linkUp(): void {
    this.#linkUp = true;
    this.#paused = false;
    this.#pausedSince = -1;
    // A fresh connection has an empty queue.
    this.#blocked = false;
    this.#resendOwed = true;
    this.#flush(true);
  }

  /** The link went down: nothing is written until {@link linkUp}; messages are still numbered and kept. */
  linkDown(): void {
    this.#linkUp = false;
    this.#pausedSince = -1;
    this.#waitingSince = -1;
    this.#catchUpRto = undefined;
  }

  /** `pause_publication` (true) or its end (false): stop or resume writing. */
  setPaused(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    this.#pausedSince = paused && this.#linkUp ? this.#io.now() : -1;
    if (paused) this.#waitingSince = -1;
    else this.#flush(this.#resendOwed);
  }

  /**
   * The peer's frames stopped (true) or started again (false) being read: while held no acknowledgement can
   * arrive, so nothing is retransmitted or counted towards giving up (new messages still go out). Once
   * reading resumes, the acks that waited get one RTO to arrive before anything is retransmitted.
   */
  setReadHeld(held: boolean): void {
    if (held === this.#readHeld) return;
    this.#readHeld = held;
    if (held) {
      this.#waitingSince = -1;
      return;
    }
    const now = this.#io.now();
    this.#releasedAt = now;
    if (this.#timing && this.window.count > 0) this.#waitingSince = now;
  }

  /** When a pause of publication that started while connected reaches `giveUpAfterMs`, or undefined. */
  #pauseDeadline(): number | undefined {
    if (this.#pausedSince < 0 || !Number.isFinite(this.#config.giveUpAfterMs)) return undefined;
    return this.#pausedSince + this.#config.giveUpAfterMs;
  }

  /** The next time {@link onTimer} has work (retransmission or give-up), or undefined. */
  nextDeadline(): number | undefined {
    if (!this.#timing) return this.#paused && this.#linkUp ? this.#pauseDeadline() : undefined;
    let deadline: number | undefined;
    const head = this.window.oldest();
    const { rtoMs } = this.rtt.state;
    const nextRetransmit = this.#lastRetransmitAt + this.#config.minRetransmitIntervalMs;
    if (this.#catchUpRto !== undefined) {
      deadline = Math.max(nextRetransmit, this.#releasedAt + rtoMs);
    } else if (head !== undefined) {
      deadline = Math.max(head.lastSentAt + rtoMs, nextRetransmit, this.#releasedAt + rtoMs);
    }
    if (this.#waitingSince >= 0 && Number.isFinite(this.#config.giveUpAfterMs)) {
      const giveUp = this.#waitingSince + this.#config.giveUpAfterMs;
      if (deadline === undefined || giveUp < deadline) deadline = giveUp;
    }
    return deadline;
  }

  /** Retransmits what timed out (oldest first, bounded burst) or reports that it is time to give up. */
  onTimer(): SenderTimerResult {
    if (!this.#timing) {
      const pauseDeadline = this.#paused && this.#linkUp ? this.#pauseDeadline() : undefined;
      return pauseDeadline !== undefined && this.#io.now() >= pauseDeadline ? 'paused-too-long' : 'ok';
    }
    const now = this.#io.now();
    // Comparisons use the same sums as nextDeadline(), so a timer fired at the deadline always has work.
    if (this.#waitingSince >= 0 && now >= this.#waitingSince + this.#config.giveUpAfterMs) return 'give-up';
    if (now < this.#releasedAt + this.rtt.state.rtoMs) return 'ok';
    // A burst cut short by the limit goes on at the next call with the same timeout and no new back-off.
    const catchingUp = this.#catchUpRto !== undefined;
    const rto = this.#catchUpRto ?? this.rtt.state.rtoMs;
    this.#catchUpRto = undefined;
    const { maxRetransmitBurst, minRetransmitIntervalMs } = this.#config;
    let sent = 0;
    for (;;) {
      const head = this.window.oldest();
      if (head === undefined || now < head.lastSentAt + rto) break;
      if (
        sent >= maxRetransmitBurst ||
        this.#blocked ||
        now < this.#lastRetransmitAt + minRetransmitIntervalMs
      ) {
        if (sent > 0 || catchingUp) this.#catchUpRto = rto;
        break;
      }
      this.#transmit(head, now);
      this.#lastRetransmitAt = now;
      sent += 1;
    }
    if (sent > 0 && !catchingUp) this.rtt.backOff();
    return 'ok';
  }

  /** Forgets every stored message (the session is over). */
  clear(): void {
    this.window.clear();
    this.#waitingSince = -1;
  }

  /**
   * Writes what is owed when writing becomes possible: every unacknowledged message (after a reconnect) or
   * the ones never sent. A flush that starts completes even if the uplink fills meanwhile: it is bounded by
   * the window.
   */
  #flush(resendTransmitted: boolean): void {
    if (!this.transmitting) return;
    const now = this.#io.now();
    const window = this.window;
    if (resendTransmitted) {
      window.forEachInOrder((entry) => this.#transmit(entry, now));
    } else {
      for (let seq = this.#firstUnsent; seq < window.nextSeq; seq += 1) {
        const entry = window.get(seq);
        if (entry !== undefined) this.#transmit(entry, now);
      }
    }
    this.#firstUnsent = window.nextSeq;
    this.#waitingSince = this.#timing && window.count > 0 ? now : -1;
    if (resendTransmitted) this.#catchUpRto = undefined;
    this.#resendOwed = false;
  }

  #transmit(entry: OutgoingEntry, now: number): void {
    if (entry.transmissions > 0) this.counters.retransmissions += 1;
    this.window.markSent(entry, now);
    this.send(entry.frame);
  }
}

/**
 * The sending half of one stream direction (protocol reference §9.1, §10, §11, §15): numbering from 0,
 * the bounded unacknowledged window, retransmission of the exact same bytes on an RTO timer
 * (Jacobson/Karels, Karn's rule and back-off, the last transmission time recorded on every resend), a
 * bounded give-up time, pause while the link is down or the service paused publication, and an immediate
 * resend of everything unacknowledged when the link comes back.
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
  /** The application stopped reading, so no acknowledgement can arrive. */
  #readHeld = false;
  /** The link came up while writing was not possible: every unacknowledged message must be resent. */
  #resendOwed = false;
  /** Entries from this sequence number on have never been transmitted. */
  #firstUnsent = 0;
  /** Start of the current wait for acknowledgement progress, or -1. */
  #waitingSince = -1;
  #lastRetransmitAt = Number.NEGATIVE_INFINITY;
  /** Set while timed-out messages remain after a burst hit its limit: the timeout they expired under. */
  #catchUpRto: number | undefined;

  constructor(config: StreamSenderConfig, io: EngineIo) {
    this.#config = config;
    this.#io = io;
    this.window = new OutgoingWindow(config);
    this.rtt = createRttEstimator({ maxRtoMs: config.maxRtoMs });
  }

  /** True while frames may be written: the link is up, publication is not paused, and acks can be read. */
  get active(): boolean {
    return this.#linkUp && !this.#paused && !this.#readHeld;
  }

  /** True while publication is paused by the service. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Numbers, encodes and stores one stream message, and writes it at once when active. */
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
    if (this.active) {
      this.#firstUnsent = seq + 1;
      this.#transmit(entry, io.now());
      if (this.#waitingSince < 0) this.#waitingSince = io.now();
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
    // Karn's rule: a message sent more than once gives an ambiguous sample.
    if (entry.transmissions === 1) this.rtt.sample(now - entry.lastSentAt);
    this.#waitingSince = this.active && this.window.count > 0 ? now : -1;
    return true;
  }

  /** The link came up: resend every unacknowledged message in sequence order, then the unsent ones. */
  linkUp(): void {
    this.#linkUp = true;
    this.#paused = false;
    this.#pausedSince = -1;
    // While reading is held nothing may be written: the resend of everything is owed until it is released.
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
   * The application stopped (true) or resumed (false) reading frames: no acknowledgement can arrive while
   * held, so nothing is written, resent, or counted towards giving up.
   */
  setReadHeld(held: boolean): void {
    if (held === this.#readHeld) return;
    this.#readHeld = held;
    if (held) this.#waitingSince = -1;
    else this.#flush(this.#resendOwed);
  }

  /** When a pause of publication that started while connected reaches `giveUpAfterMs`, or undefined. */
  #pauseDeadline(): number | undefined {
    if (this.#pausedSince < 0 || !Number.isFinite(this.#config.giveUpAfterMs)) return undefined;
    return this.#pausedSince + this.#config.giveUpAfterMs;
  }

  /** The next time {@link onTimer} has work (retransmission or give-up), or undefined. */
  nextDeadline(): number | undefined {
    if (!this.active) return this.#paused && this.#linkUp ? this.#pauseDeadline() : undefined;
    let deadline: number | undefined;
    const head = this.window.oldest();
    if (this.#catchUpRto !== undefined) {
      deadline = this.#lastRetransmitAt + this.#config.minRetransmitIntervalMs;
    } else if (head !== undefined) {
      deadline = Math.max(
        head.lastSentAt + this.rtt.state.rtoMs,
        this.#lastRetransmitAt + this.#config.minRetransmitIntervalMs,
      );
    }
    if (this.#waitingSince >= 0 && Number.isFinite(this.#config.giveUpAfterMs)) {
      const giveUp = this.#waitingSince + this.#config.giveUpAfterMs;
      if (deadline === undefined || giveUp < deadline) deadline = giveUp;
    }
    return deadline;
  }

  /** Retransmits what timed out (oldest first, bounded burst) or reports that it is time to give up. */
  onTimer(): SenderTimerResult {
    if (!this.active) {
      const pauseDeadline = this.#paused && this.#linkUp ? this.#pauseDeadline() : undefined;
      return pauseDeadline !== undefined && this.#io.now() >= pauseDeadline ? 'paused-too-long' : 'ok';
    }
    const now = this.#io.now();
    // Comparisons use the same sums as nextDeadline(), so a timer fired at the deadline always has work.
    if (this.#waitingSince >= 0 && now >= this.#waitingSince + this.#config.giveUpAfterMs) return 'give-up';
    // A burst cut short by the limit goes on at the next call with the same timeout and no new back-off.
    const catchingUp = this.#catchUpRto !== undefined;
    const rto = this.#catchUpRto ?? this.rtt.state.rtoMs;
    this.#catchUpRto = undefined;
    const { maxRetransmitBurst, minRetransmitIntervalMs } = this.#config;
    let sent = 0;
    for (;;) {
      const head = this.window.oldest();
      if (head === undefined || now < head.lastSentAt + rto) break;
      if (sent >= maxRetransmitBurst || now < this.#lastRetransmitAt + minRetransmitIntervalMs) {
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

  #flush(resendTransmitted: boolean): void {
    if (!this.active) return;
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
    this.#waitingSince = window.count > 0 ? now : -1;
    if (resendTransmitted) this.#catchUpRto = undefined;
    this.#resendOwed = false;
  }

  #transmit(entry: OutgoingEntry, now: number): void {
    if (entry.transmissions > 0) this.counters.retransmissions += 1;
    this.window.markSent(entry, now);
    this.#io.sendFrame(entry.frame);
  }
}

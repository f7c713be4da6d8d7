import { type RawData, WebSocket } from 'ws';
import type { EmulatorStats } from './emulator-options.js';
import type { ByteTrigger } from './frame-faults.js';

/** The counters a link updates. */
export type LinkCounters = Pick<EmulatorStats, 'framesIn' | 'bytesIn' | 'framesOut' | 'bytesOut' | 'faults'>;

/** A byte trigger for a stall, with how long the stall lasts. */
export interface StallTrigger {
  trigger: ByteTrigger;
  durationMs: number | undefined;
}

/** What a {@link ClientLink} reports to its session. */
export interface ClientLinkHooks {
  /** One message from the client (never while stalled). */
  onFrame(frame: Uint8Array, isBinary: boolean): void;
  /**
   * The socket closed; called once. `clientLeft`: the client ended the connection itself with a normal
   * close frame (code 1000), rather than the emulator closing or cutting it or the connection failing.
   */
  onClose(clientLeft: boolean): void;
}

const NORMAL_CLOSE = 1000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Bytes the client may send ahead of `uplinkBytesPerSecond` (one socket read's worth). */
const UPLINK_BURST = 64 * 1024;

/**
 * One accepted client connection: counts frames and bytes, and applies the connection-level faults (cut
 * after N bytes, stall after N bytes or on demand, a slow uplink).
 */
export class ClientLink {
  readonly #ws: WebSocket;
  readonly #stats: LinkCounters;
  readonly #cut: ByteTrigger | undefined;
  readonly #stallTrigger: StallTrigger | undefined;
  #bytes = 0;
  #stalled = false;
  #dead = false;
  /** The emulator closed, cut or destroyed this connection. */
  #closedHere = false;
  #stallTimer: NodeJS.Timeout | undefined;
  readonly #uplinkRate: number | undefined;
  /** Bytes the slow uplink may still take now (negative: the socket is paused until it is paid off). */
  #uplinkCredit = UPLINK_BURST;
  #uplinkAt = performance.now();
  #uplinkTimer: NodeJS.Timeout | undefined;
  /** Frames read from the socket and not yet taken, while the uplink is slow (at most one socket read). */
  #inbox: { frame: Uint8Array; isBinary: boolean }[] = [];
  readonly #onFrame: (frame: Uint8Array, isBinary: boolean) => void;

  constructor(
    ws: WebSocket,
    stats: LinkCounters,
    faults: {
      cut: ByteTrigger | undefined;
      stall: StallTrigger | undefined;
      uplinkBytesPerSecond: number | undefined;
    },
    hooks: ClientLinkHooks,
  ) {
    this.#ws = ws;
    this.#stats = stats;
    this.#cut = faults.cut;
    this.#stallTrigger = faults.stall;
    this.#uplinkRate = faults.uplinkBytesPerSecond;
    this.#onFrame = hooks.onFrame;
    this.#cut?.rearm();
    this.#stallTrigger?.trigger.rearm();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.#dead) return;
      if (this.#stalled) {
        this.#stats.faults.stalledFrames += 1;
        return;
      }
      const frame = toBytes(data);
      if (this.#uplinkRate === undefined) {
        this.#take(frame, isBinary);
        return;
      }
      // The slow uplink: frames are taken at the rate; what the socket brought meanwhile waits here.
      this.#inbox.push({ frame, isBinary });
      if (this.#uplinkTimer === undefined) this.#takeAtRate();
    });
    ws.once('close', (code: number) => {
      this.#dead = true;
      clearTimeout(this.#stallTimer);
      clearTimeout(this.#uplinkTimer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      hooks.onClose(!this.#closedHere && code === NORMAL_CLOSE);
    });
  }

  /** False once the connection was cut or closed. */
  get alive(): boolean {
    return !this.#dead && this.#ws.readyState === WebSocket.OPEN;
  }

  /** Sends one message (binary for bytes, text for a string), unless the link is stalled or gone. */
  write(data: Uint8Array | string): void {
    if (!this.alive) return;
    if (this.#stalled) {
      this.#stats.faults.stalledFrames += 1;
      return;
    }
    this.#ws.send(data);
    const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.#stats.framesOut += 1;
    this.#stats.bytesOut += length;
    this.#count(length);
  }

  /** Drops the TCP connection without a close frame, like a network failure. */
  cut(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#closedHere = true;
    this.#stats.faults.cuts += 1;
    this.#ws.terminate();
  }

  /** Stops reading (no pongs) and discards outgoing frames, for `durationMs` or until {@link unstall}. */
  stall(durationMs?: number): void {
    if (this.#dead || this.#stalled) return;
    this.#stalled = true;
    this.#stats.faults.stalls += 1;
    this.#ws.pause();
    if (durationMs !== undefined) this.#stallTimer = setTimeout(() => this.unstall(), durationMs);
  }

  /** Ends a stall. */
  unstall(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
    if (!this.#stalled) return;
    this.#stalled = false;
    if (this.#dead) return;
    if (this.#uplinkRate === undefined) this.#ws.resume();
    else if (this.#uplinkTimer === undefined) this.#takeAtRate();
  }

  /** Counts one frame of the client and hands it to the session. */
  #take(frame: Uint8Array, isBinary: boolean): void {
    this.#stats.framesIn += 1;
    this.#stats.bytesIn += frame.length;
    this.#count(frame.length);
    if (!this.#dead && !this.#stalled) this.#onFrame(frame, isBinary);
  }

  /**
   * The slow uplink: takes waiting frames while the rate allows (a burst ahead at most), then stops reading
   * the socket and comes back when the rate has caught up.
   */
  readonly #takeAtRate = (): void => {
    this.#uplinkTimer = undefined;
    const rate = this.#uplinkRate!;
    for (;;) {
      if (this.#dead || this.#stalled) return;
      const now = performance.now();
      this.#uplinkCredit = Math.min(
        UPLINK_BURST,
        this.#uplinkCredit + ((now - this.#uplinkAt) * rate) / 1000,
      );
      this.#uplinkAt = now;
      const next = this.#inbox[0];
      if (next === undefined) {
        this.#ws.resume();
        return;
      }
      if (this.#uplinkCredit < 0) {
        this.#stats.faults.uplinkPauses += 1;
        this.#ws.pause();
        this.#uplinkTimer = setTimeout(this.#takeAtRate, Math.ceil((-this.#uplinkCredit * 1000) / rate));
        return;
      }
      this.#inbox.shift();
      this.#uplinkCredit -= next.frame.length;
      this.#take(next.frame, next.isBinary);
    }
  };

  /** Closes with a close frame. */
  close(code: number, reason: string): void {
    if (this.#dead) return;
    this.#closedHere = true;
    this.#ws.close(code, reason);
  }

  /** Drops the connection at once without counting a fault (emulator shutdown). */
  destroy(): void {
    this.#dead = true;
    this.#closedHere = true;
    clearTimeout(this.#stallTimer);
    clearTimeout(this.#uplinkTimer);
    this.#ws.terminate();
  }

  #count(length: number): void {
    this.#bytes += length;
    if (this.#cut?.check(this.#bytes)) {
      this.cut();
      return;
    }
    const stall = this.#stallTrigger;
    if (stall?.trigger.check(this.#bytes)) this.stall(stall.durationMs);
  }
}

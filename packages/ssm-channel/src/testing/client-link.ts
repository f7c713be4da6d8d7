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

/**
 * One accepted client connection: counts frames and bytes, and applies the connection-level faults (cut
 * after N bytes, stall after N bytes or on demand).
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

  constructor(
    ws: WebSocket,
    stats: LinkCounters,
    faults: { cut: ByteTrigger | undefined; stall: StallTrigger | undefined },
    hooks: ClientLinkHooks,
  ) {
    this.#ws = ws;
    this.#stats = stats;
    this.#cut = faults.cut;
    this.#stallTrigger = faults.stall;
    this.#cut?.rearm();
    this.#stallTrigger?.trigger.rearm();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.#dead) return;
      if (this.#stalled) {
        this.#stats.faults.stalledFrames += 1;
        return;
      }
      const frame = toBytes(data);
      this.#stats.framesIn += 1;
      this.#stats.bytesIn += frame.length;
      this.#count(frame.length);
      if (!this.#dead && !this.#stalled) hooks.onFrame(frame, isBinary);
    });
    ws.once('close', (code: number) => {
      this.#dead = true;
      clearTimeout(this.#stallTimer);
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
    if (!this.#dead) this.#ws.resume();
  }

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

import type { ChannelLogger } from '../channel-types.js';
import type { SsmChannelError } from '../errors.js';

/** The timings and limits of one connection; the channel layer checks them (`channel/options.ts`). */
export interface TransportSettings {
  /** Time allowed for TCP + TLS + WebSocket upgrade, in ms. */
  connectMs: number;
  /** Largest inbound WebSocket message, in bytes. Agent frames are at most about 1.2 KB. */
  maxMessageBytes: number;
  /** Time between two keepalive pings, in ms. */
  pingIntervalMs: number;
  /** Time a ping may go unanswered before the peer counts as unresponsive, in ms. */
  pongMs: number;
  /** Time the send queue may stay full with nothing taken off it before `BUFFER_LIMIT_EXCEEDED`, in ms. */
  stallMs: number;
}

/** Defaults of {@link TransportSettings}. */
export const TRANSPORT_DEFAULTS: Readonly<TransportSettings> = {
  connectMs: 10_000,
  maxMessageBytes: 1_048_576,
  pingIntervalMs: 20_000,
  pongMs: 20_000,
  stallMs: 300_000,
};

/** `send()` answers false once this many bytes wait in the socket's send queue. */
export const SEND_HIGH_WATER_MARK = 256 * 1024;

/** Time `close()` waits for the peer's close frame before dropping the TCP connection, in ms. */
export const CLOSE_TIMEOUT_MS = 1_000;

/** What {@link openTransport} needs besides the settings. */
export interface TransportOptions {
  /** The `StreamUrl`: `wss://…`, or `ws://…` to a loopback host only. */
  streamUrl: string;
  /**
   * The OpenDataChannel JSON, sent as the first (text) frame right after the upgrade. It carries the token:
   * the transport sends it once and keeps no reference to it.
   */
  openFrame: string;
  /**
   * Receives every inbound message, binary or text (the protocol parses both the same way), in order. The
   * bytes may be a view into a larger buffer that the transport never reuses.
   */
  onFrame(frame: Uint8Array): void;
  /**
   * Called exactly once when an open connection ends for any reason other than a local `close()`: with an
   * `SsmTransportError` whose code is `CONNECTION_LOST`, `AUTH_FAILED`, `FRAME_TOO_LARGE`,
   * `PEER_UNRESPONSIVE`, `BUFFER_LIMIT_EXCEEDED` or `ABORTED`. Never called after `close()`.
   */
  onClose(error: SsmChannelError): void;
  /** Called once the send queue has drained after `send()` answered false. */
  onDrain(): void;
  /** Aborts the connection attempt (rejects with `ABORTED`), or, once open, ends the connection likewise. */
  signal?: AbortSignal | undefined;
  /** Diagnostics; never given the token. */
  logger?: ChannelLogger | undefined;
}

/**
 * What an open transport keeps of its {@link TransportOptions}: the handlers and the signal, never the open
 * frame (it carries the token).
 */
export type TransportEvents = Readonly<Pick<TransportOptions, 'onFrame' | 'onClose' | 'onDrain' | 'signal'>>;

/** The {@link TransportEvents} of `options`, in an object that does not reference `options`. */
export function transportEvents(options: TransportOptions): TransportEvents {
  const { onFrame, onClose, onDrain, signal } = options;
  return { onFrame, onClose, onDrain, signal };
}

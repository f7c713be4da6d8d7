import type { ChannelLogger } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';

/** Defaults of the numeric {@link TransportOptions}. */
export const TRANSPORT_DEFAULTS = {
  /** Time allowed for TCP + TLS + WebSocket upgrade, in ms. */
  connectTimeoutMs: 10_000,
  /** Largest inbound WebSocket message, in bytes. Agent frames are at most about 1.2 KB. */
  maxPayload: 1_048_576,
  /** Time between two keepalive pings, in ms. */
  pingIntervalMs: 20_000,
  /** Time a ping may go unanswered before the peer counts as unresponsive, in ms. */
  pongTimeoutMs: 20_000,
  /** `send()` returns false once this many bytes are queued on the socket. */
  highWaterMark: 262_144,
  /** Hard cap on bytes queued on the socket; passing it fails the transport. */
  maxBufferedAmount: 8_388_608,
  /** Time `close()` waits for the peer's close frame before dropping the TCP connection, in ms. */
  closeTimeoutMs: 1_000,
} as const;

/** How a frame arrived: the WebSocket frame type. The protocol parses both the same way. */
export type FrameKind = 'binary' | 'text';

/** Options of {@link openTransport}. */
export interface TransportOptions {
  /** The `StreamUrl`: `wss://…`, or `ws://…` to a loopback host only. */
  streamUrl: string;
  /**
   * The OpenDataChannel JSON, sent as the first (text) frame right after the upgrade. It carries the token:
   * the transport sends it once and keeps no reference to it.
   */
  openFrame: string;
  /** Receives every inbound message frame, in order. The bytes may be a view into a larger buffer. */
  onFrame(frame: Uint8Array, kind: FrameKind): void;
  /**
   * Called exactly once when an open connection ends for any reason other than a local `close()`: with an
   * {@link SsmTransportError} whose code is `CONNECTION_LOST`, `AUTH_FAILED`, `FRAME_TOO_LARGE`,
   * `PEER_UNRESPONSIVE`, `BUFFER_LIMIT_EXCEEDED` or `ABORTED`. Never called after `close()`.
   */
  onClose(error: SsmChannelError): void;
  /** Called when the socket's queue falls back below `highWaterMark` after `send()` returned false. */
  onDrain?(): void;
  /** Aborts the connection attempt (rejects with `ABORTED`), or, once open, ends the connection likewise. */
  signal?: AbortSignal;
  /** @default 10_000 */
  connectTimeoutMs?: number;
  /** @default 1_048_576 (1 MiB) */
  maxPayload?: number;
  /** @default 20_000 */
  pingIntervalMs?: number;
  /** @default 20_000 */
  pongTimeoutMs?: number;
  /** @default 262_144 (256 KiB) */
  highWaterMark?: number;
  /** @default 8_388_608 (8 MiB) */
  maxBufferedAmount?: number;
  /** @default 1_000 */
  closeTimeoutMs?: number;
  /** Diagnostics; never given the token. */
  logger?: ChannelLogger;
}

/** The numeric settings after defaults were applied. */
export type TransportSettings = { -readonly [K in keyof typeof TRANSPORT_DEFAULTS]: number };

/**
 * Applies the defaults and checks every numeric option (a positive safe integer).
 *
 * @throws {SsmChannelError} `INVALID_ARGUMENT` for an option out of range.
 */
export function resolveTransportSettings(options: TransportOptions): TransportSettings {
  const settings = { ...TRANSPORT_DEFAULTS } as TransportSettings;
  for (const key of Object.keys(TRANSPORT_DEFAULTS) as (keyof TransportSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new SsmChannelError('INVALID_ARGUMENT', `${key} must be a positive integer`);
    }
    // setTimeout takes at most 2^31-1 ms (Node turns a larger delay into 1 ms).
    if (key.endsWith('Ms') && value > 2 ** 31 - 1) {
      throw new SsmChannelError('INVALID_ARGUMENT', `${key} must be at most ${2 ** 31 - 1} ms`);
    }
    settings[key] = value;
  }
  if (settings.highWaterMark > settings.maxBufferedAmount) {
    throw new SsmChannelError('INVALID_ARGUMENT', 'highWaterMark must not exceed maxBufferedAmount');
  }
  return settings;
}

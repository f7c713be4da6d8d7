/**
 * What the channel layer needs of a connection, whatever carries it: `ws` under Node (`ws-transport.ts`) or
 * a WHATWG `WebSocket` (`web-socket-transport.ts`).
 */
import type { TransportOptions, TransportSettings } from './transport-options.js';

/** An open data channel WebSocket. One `Transport` is one connection; each reconnection opens a new one. */
export interface Transport {
  /**
   * Sends one frame (one agent message) as a binary WebSocket message. Answers false once the send queue
   * holds `SEND_HIGH_WATER_MARK` bytes or more: `onDrain` follows when it has drained. If nothing leaves
   * the full queue for `stallMs`, the connection ends with `BUFFER_LIMIT_EXCEEDED`. After the connection
   * ended the frame is dropped.
   */
  send(frame: Uint8Array): boolean;
  /**
   * Reads the peer's frames (true, the start) or stops reading them (false: backpressure to the peer), as
   * far as the socket allows: a WHATWG `WebSocket` cannot stop reading.
   */
  setReading(reading: boolean): void;
  /**
   * Ends the connection: what was sent leaves, then a close frame (1000); the connection is dropped after
   * a second at the latest. Stops every timer and listener; `onClose` is not called. Resolves once the
   * socket is closed. Safe to call more than once and after the connection ended.
   */
  close(): Promise<void>;
}

/**
 * Opens a connection to `options.streamUrl` and sends `options.openFrame` as its first frame; resolves once
 * it is open. Rejects with a coded `SsmChannelError` (`CONNECT_TIMEOUT`, `CONNECT_FAILED`, `AUTH_FAILED`,
 * `ABORTED`), and throws at once for a URL the policy refuses (`INVALID_ARGUMENT`, `INSECURE_URL`).
 */
export type OpenTransport = (options: TransportOptions, settings: TransportSettings) => Promise<Transport>;

/**
 * `connectWebDataChannel()`: a StreamUrl and a token to a live {@link WebDataChannel} of web streams, over a
 * WHATWG `WebSocket`.
 */
import { SsmChannelError } from '../errors.js';
import { openWebSocketTransport, type WebSocketConstructor } from '../transport/web-socket-transport.js';
import type { ChannelTimeouts, ConnectDataChannelOptions } from './options.js';
import { resolveConnectOptions, WEB_SHAPE } from './options.js';
import { WebDataChannel } from './web-data-channel.js';

/**
 * `timeouts` of {@link connectWebDataChannel}: those of `connectDataChannel` but the pings, which a WHATWG
 * `WebSocket` cannot send.
 */
export type WebChannelTimeouts = Omit<ChannelTimeouts, 'pingIntervalMs' | 'pongMs'>;

/** Options of {@link connectWebDataChannel}: those of `connectDataChannel`, and the `WebSocket` to dial with. */
export interface ConnectWebDataChannelOptions extends Omit<ConnectDataChannelOptions, 'timeouts'> {
  /** How long each wait may last (no pings: the runtime answers the peer's, and sends none). */
  timeouts?: WebChannelTimeouts;
  /**
   * The `WebSocket` class to dial with, for a runtime without a global one (Node 20: `ws`'s `WebSocket`).
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
}

/**
 * Opens an SSM data channel over a WHATWG `WebSocket`: connects, sends OpenDataChannel, answers the agent's
 * handshake when it asks for one, and resolves once the session has started (HandshakeComplete, or the
 * first output of a plain shell). Works in browsers, workers and Node (with a global `WebSocket`, or one
 * passed in).
 *
 * @throws {SsmChannelError} at once for bad arguments: `INVALID_ARGUMENT` (also when there is no
 *   `WebSocket` to dial with), `INSECURE_URL`.
 * @throws {SsmChannelError} as a rejection when setup fails: `CONNECT_TIMEOUT`, `CONNECT_FAILED` (a refused
 *   upgrade included), `AUTH_FAILED` (the token refused with close code 1008), `CONNECTION_LOST`,
 *   `HANDSHAKE_TIMEOUT`, `KMS_ENCRYPTION_UNSUPPORTED`, `HANDSHAKE_FAILED`, `CHANNEL_CLOSED`, `ABORTED`.
 */
export function connectWebDataChannel(options: ConnectWebDataChannelOptions): Promise<WebDataChannel> {
  const resolved = resolveConnectOptions(options, WEB_SHAPE);
  const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocket !== 'function') {
    throw new SsmChannelError(
      'INVALID_ARGUMENT',
      options.WebSocket === undefined
        ? 'this runtime has no global WebSocket: pass one as the WebSocket option (on Node 20, the ws package)'
        : 'WebSocket must be a WebSocket class',
    );
  }
  const channel = new WebDataChannel(resolved, (o, s) => openWebSocketTransport(o, s, WebSocket));
  return channel.start({ streamUrl: options.streamUrl, tokenValue: options.tokenValue }).then(
    () => channel,
    (error: unknown) => {
      channel.close();
      throw error;
    },
  );
}

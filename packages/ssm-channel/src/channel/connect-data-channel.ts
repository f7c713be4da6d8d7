/**
 * `connectDataChannel()`: the entry point that turns a StreamUrl and a token into a live {@link DataChannel}.
 */
import { DataChannel } from './data-channel.js';
import { type ConnectDataChannelOptions, resolveConnectOptions } from './options.js';

/**
 * Opens an SSM data channel: connects the WebSocket, sends OpenDataChannel, answers the agent's handshake
 * when it asks for one, and resolves once the session has started (HandshakeComplete, or the first output
 * of a plain shell).
 *
 * @throws {SsmChannelError} at once for bad arguments: `INVALID_ARGUMENT`, `INSECURE_URL`.
 * @throws {SsmChannelError} as a rejection when setup fails: `CONNECT_TIMEOUT`, `CONNECT_FAILED`,
 *   `AUTH_FAILED`, `CONNECTION_LOST` (closed before the session started), `HANDSHAKE_TIMEOUT`,
 *   `KMS_ENCRYPTION_UNSUPPORTED`, `HANDSHAKE_FAILED`, `CHANNEL_CLOSED`, `ABORTED`.
 */
export function connectDataChannel(options: ConnectDataChannelOptions): Promise<DataChannel> {
  const channel = new DataChannel(resolveConnectOptions(options));
  return channel.start({ streamUrl: options.streamUrl, tokenValue: options.tokenValue }).then(
    () => channel,
    (error: unknown) => {
      channel.destroy();
      throw error;
    },
  );
}

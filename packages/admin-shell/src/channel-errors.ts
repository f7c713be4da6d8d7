import { type CloseInfo, SsmChannelError } from 'ssm-channel';
import { AdminShellError, mention } from './errors.js';
import { printableText } from './printable-text.js';

/** The `code` of an `SsmChannelError` (of any copy of `ssm-channel`), if `error` is one. */
export function channelErrorCode(error: unknown): string | undefined {
  return error instanceof SsmChannelError ? error.code : undefined;
}

/**
 * Maps a failure to open the data channel (connect, OpenDataChannel, handshake) to an {@link AdminShellError};
 * the `SsmChannelError` stays as `cause`.
 */
export function mapChannelError(error: unknown): AdminShellError {
  if (error instanceof AdminShellError) return error;
  const code = printableText(channelErrorCode(error) ?? 'UNKNOWN', 60);
  // The message may quote the agent (a session type error, a close reason): no terminal escapes.
  const text = error instanceof Error ? printableText(error.message) : '';
  const detail = text.length > 0 ? `: ${text}` : '';
  const options = { cause: error };
  switch (code) {
    case 'ABORTED':
      return new AdminShellError('ABORTED', 'The operation was aborted.', options);
    case 'AUTH_FAILED':
      return new AdminShellError(
        'URL_EXPIRED',
        `The data channel refused the stream URL and token (${code}${detail}). They are valid for 60 s and ` +
          'for one connection; run the command again to get fresh ones.',
        options,
      );
    case 'KMS_ENCRYPTION_UNSUPPORTED':
      return new AdminShellError(
        'UNSUPPORTED_SESSION',
        `The admin shell session requires KMS encryption, which this client does not support yet (${code}${detail}). ` +
          'Trying again will not help: connect with the AWS session-manager-plugin instead, or turn KMS ' +
          'encryption off in the Session Manager preferences of the account.',
        options,
      );
    case 'HANDSHAKE_FAILED':
      return new AdminShellError(
        'UNSUPPORTED_SESSION',
        `The agent asked for a session this client does not support (${code}${detail}). Trying again will not ` +
          'help: connect with the AWS session-manager-plugin instead.',
        options,
      );
    case 'HANDSHAKE_TIMEOUT':
      return new AdminShellError(
        'CONNECT_FAILED',
        `The data channel connected, but the admin shell did not start: no handshake and no output came from ` +
          `the stream session (${code}${detail}). Try again; if it persists, the stream session's terminal ` +
          'may be busy or stuck.',
        options,
      );
    case 'CONNECT_TIMEOUT':
    case 'CONNECT_FAILED':
    case 'INSECURE_URL':
      return new AdminShellError(
        'CONNECT_FAILED',
        `Could not open the admin shell data channel (${code}${detail}). Check the network and try again.`,
        options,
      );
    default:
      return new AdminShellError(
        'CHANNEL_FAILED',
        `The admin shell data channel failed (${code}${detail}). Try again; if it persists, turn on diagnostics (${mention('diagnostics')}).`,
        options,
      );
  }
}

/** The {@link AdminShellError} that explains `error`: one found in its cause chain, or a mapping of it. */
export function explainFailure(error: unknown): AdminShellError {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof AdminShellError) return e;
    e = e.cause;
  }
  return mapChannelError(error);
}

/**
 * Why a channel that closed failed, or `undefined` for a normal end (`channel_closed`, or closed here).
 */
export function closeFailure(info: CloseInfo): AdminShellError | undefined {
  switch (info.reason) {
    case 'channel_closed':
    case 'local':
      return undefined;
    case 'aborted':
      return new AdminShellError('ABORTED', 'The operation was aborted.', { cause: info.error });
    default:
      return explainFailure(info.error);
  }
}

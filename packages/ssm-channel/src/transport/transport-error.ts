import { brand, branded, peerText, SsmChannelError, type SsmChannelErrorCode } from '../errors.js';

const TRANSPORT_ERROR = Symbol.for('ssm-channel.SsmTransportError');

/** Close code the agent emulator uses to refuse a token, and that the transport maps to `AUTH_FAILED`. */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;

/**
 * A transport failure that ended a WebSocket connection, with the close code and reason when the socket
 * reported them. `code` is one of `CONNECTION_LOST`, `AUTH_FAILED`, `FRAME_TOO_LARGE`, `PEER_UNRESPONSIVE`,
 * `BUFFER_LIMIT_EXCEEDED` or `ABORTED`.
 */
export class SsmTransportError extends SsmChannelError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, TRANSPORT_ERROR);
  }

  override name = 'SsmTransportError';
  /** The WebSocket close code (1006 when the TCP connection dropped without a close frame). */
  readonly closeCode: number | undefined;
  /** The close reason text the peer sent, if any. */
  readonly closeReason: string | undefined;

  constructor(
    code: SsmChannelErrorCode,
    message: string,
    options?: { cause?: unknown; closeCode?: number; closeReason?: string },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.closeCode = options?.closeCode;
    this.closeReason = options?.closeReason;
    brand(this, TRANSPORT_ERROR);
  }
}

/**
 * Classifies the end of an open connection that the peer (or the network) caused.
 *
 * Rule: a close with code 1008 (Policy Violation) before the peer sent any frame means the OpenDataChannel
 * token was refused: `AUTH_FAILED`. Anything else is `CONNECTION_LOST`.
 */
export function classifyClose(
  closeCode: number,
  closeReason: string,
  framesReceived: number,
): SsmTransportError {
  const detail = closeReason === '' ? `code ${closeCode}` : `code ${closeCode}: ${peerText(closeReason)}`;
  const options = { closeCode, closeReason };
  if (closeCode === POLICY_VIOLATION_CLOSE_CODE && framesReceived === 0) {
    return new SsmTransportError(
      'AUTH_FAILED',
      `the service refused the data channel token (${detail})`,
      options,
    );
  }
  return new SsmTransportError('CONNECTION_LOST', `the data channel WebSocket closed (${detail})`, options);
}

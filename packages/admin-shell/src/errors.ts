/**
 * Errors of the `gamelift-admin-shell` package. Every error carries a stable string `code`; match on it,
 * not on the message. Messages say what to do next and never contain the token.
 */

/** Stable codes of {@link AdminShellError}, grouped by the step that fails. */
export type AdminShellErrorCode =
  // arguments (thrown before any call)
  | 'INVALID_ARGUMENT'
  | 'INVALID_IDENTIFIER'
  | 'IDENTIFIER_MISMATCH'
  | 'REGION_MISMATCH'
  // AWS configuration
  | 'REGION_MISSING'
  | 'CREDENTIALS_MISSING'
  | 'CREDENTIALS_INVALID'
  // the GameLift Streams API
  | 'ACCESS_DENIED'
  | 'NOT_FOUND'
  | 'NOT_READY'
  | 'SESSION_NOT_USABLE'
  | 'THROTTLED'
  | 'VALIDATION_FAILED'
  | 'SERVICE_ERROR'
  | 'NETWORK_ERROR'
  // the data channel
  | 'CONNECT_FAILED'
  | 'UNSUPPORTED_SESSION'
  | 'URL_EXPIRED'
  | 'SESSION_REPLACED'
  | 'CHANNEL_FAILED'
  // lifecycle
  | 'ABORTED'
  | 'COMMAND_INCOMPLETE';

/** The brand every copy of the package marks its errors with (a registered symbol). */
const BRAND = Symbol.for('gamelift-admin-shell.AdminShellError');

/**
 * The one error class of `gamelift-admin-shell`. `cause` keeps the SDK exception or the `SsmChannelError`
 * underneath, when there is one.
 */
export class AdminShellError extends Error {
  /** By brand, not prototype: an error made by another copy of the package is an `AdminShellError` too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  override name = 'AdminShellError';
  /** A stable identifier of the failure; the package README lists every code. */
  readonly code: AdminShellErrorCode;

  constructor(code: AdminShellErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True when `value` is an {@link AdminShellError}, also one made by another copy of the package. */
export function isAdminShellError(value: unknown): value is AdminShellError {
  return value instanceof AdminShellError;
}

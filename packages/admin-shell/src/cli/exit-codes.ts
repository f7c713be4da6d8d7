import type { AdminShellErrorCode } from '../errors.js';

/**
 * Exit statuses of the `gamelift-admin-shell` command (mostly BSD sysexits). With `--command`, the remote
 * command's own status (0–255) is passed through and can coincide with these; the message on stderr tells
 * them apart.
 */
export const ExitCode = {
  /** The session ended normally (or the `--command` exited 0). */
  OK: 0,
  /** Bad flags or arguments, malformed or mismatched identifiers, a region that differs from an ARN's. */
  USAGE: 64,
  /** The service rejected the request's values (ValidationException). */
  INVALID_REQUEST: 65,
  /** The stream group or stream session does not exist (in that region). */
  NOT_FOUND: 68,
  /** The source of a copy does not exist (on the host or here). */
  NO_INPUT: 66,
  /** The stream session is in a status that allows no admin shell (e.g. TERMINATED). */
  SESSION_UNAVAILABLE: 69,
  /** An internal error of this program (a bug; please report it). */
  INTERNAL: 70,
  /** The host lacks a tool that running a command or copying needs (base64, tar, …). */
  REMOTE_TOOL: 72,
  /** The destination of a copy cannot be written (missing folder, permissions, full disk). */
  CANT_CREATE: 73,
  /** The service had an internal error, or could not be reached; a command's output too large to collect. */
  SERVICE: 74,
  /** Still not ready (409) or still throttled (429) after the bounded wait: try again later. */
  NOT_READY: 75,
  /** The data channel failed: connect, handshake, expired URL, lost connection, replaced session. */
  CONNECTION: 76,
  /** Access denied, or the credentials were rejected. */
  ACCESS_DENIED: 77,
  /** No region or no credentials configured. */
  CONFIG: 78,
  /**
   * The session needs a feature this client does not have (KMS encryption, another session type), or its
   * shell cannot run a command (Windows).
   */
  UNSUPPORTED: 79,
  /** Ended from the keyboard (Enter ~ .) or by SIGINT. */
  INTERRUPTED: 130,
  /** Standard output was closed by its reader (`| head`), as a process killed by SIGPIPE (128 + 13). */
  OUTPUT_CLOSED: 141,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const BY_ERROR_CODE: Record<AdminShellErrorCode, ExitCodeValue> = {
  INVALID_ARGUMENT: ExitCode.USAGE,
  INVALID_IDENTIFIER: ExitCode.USAGE,
  IDENTIFIER_MISMATCH: ExitCode.USAGE,
  REGION_MISMATCH: ExitCode.USAGE,
  REGION_MISSING: ExitCode.CONFIG,
  CREDENTIALS_MISSING: ExitCode.CONFIG,
  CREDENTIALS_INVALID: ExitCode.ACCESS_DENIED,
  ACCESS_DENIED: ExitCode.ACCESS_DENIED,
  NOT_FOUND: ExitCode.NOT_FOUND,
  NOT_READY: ExitCode.NOT_READY,
  THROTTLED: ExitCode.NOT_READY,
  SESSION_NOT_USABLE: ExitCode.SESSION_UNAVAILABLE,
  VALIDATION_FAILED: ExitCode.INVALID_REQUEST,
  SERVICE_ERROR: ExitCode.SERVICE,
  NETWORK_ERROR: ExitCode.SERVICE,
  CONNECT_FAILED: ExitCode.CONNECTION,
  UNSUPPORTED_SESSION: ExitCode.UNSUPPORTED,
  URL_EXPIRED: ExitCode.CONNECTION,
  SESSION_REPLACED: ExitCode.CONNECTION,
  CHANNEL_FAILED: ExitCode.CONNECTION,
  COMMAND_INCOMPLETE: ExitCode.CONNECTION,
  UNSUPPORTED_SHELL: ExitCode.UNSUPPORTED,
  REMOTE_TOOL_MISSING: ExitCode.REMOTE_TOOL,
  OUTPUT_TOO_LARGE: ExitCode.SERVICE,
  REMOTE_PATH_NOT_FOUND: ExitCode.NO_INPUT,
  REMOTE_READ_FAILED: ExitCode.NO_INPUT,
  LOCAL_PATH_NOT_FOUND: ExitCode.NO_INPUT,
  REMOTE_WRITE_FAILED: ExitCode.CANT_CREATE,
  LOCAL_WRITE_FAILED: ExitCode.CANT_CREATE,
  TRANSFER_CORRUPTED: ExitCode.CONNECTION,
  ABORTED: ExitCode.INTERRUPTED,
};

/** The exit status for an `AdminShellError` code. */
export function exitCodeFor(code: AdminShellErrorCode): ExitCodeValue {
  return BY_ERROR_CODE[code];
}

/** The conventional exit status of a process ended by `signal` (128 + its number). */
export function exitCodeForSignal(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT'): number {
  const numbers = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;
  return 128 + numbers[signal];
}

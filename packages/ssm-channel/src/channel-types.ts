import type { TerminalSize } from './codec/payloads/terminal-size.js';
import type { SsmChannelError } from './errors.js';

export type { TerminalSize };

/** Fresh credentials for a new connection to the same session. */
export interface StreamCredentials {
  streamUrl: string;
  tokenValue: string;
}

/** What the `reconnect` callback is told. */
export interface ReconnectContext {
  /** 1 for the first reconnection attempt after a drop, then 2, 3, … */
  attempt: number;
  /** Aborted when the channel closes or gives up; pass it to the calls you make. */
  signal: AbortSignal;
}

/** A diagnostics sink. Messages never contain the token. */
export interface ChannelLogger {
  /** Details: transport events, API call failures, the data channel's connect and close. */
  debug?(message: string, details?: Record<string, unknown>): void;
  /** Steps: API calls and their answers, connecting, retries, reconnecting. */
  info?(message: string, details?: Record<string, unknown>): void;
  /** Trouble the session may survive or end on: a failed reconnection attempt, a replaced session. */
  warn?(message: string, details?: Record<string, unknown>): void;
}

/** Why a data channel ended. */
export type CloseReason =
  /** The service sent `channel_closed` (the remote shell ended or the session was terminated). */
  | 'channel_closed'
  /** The local side ended it (`end()`/`destroy()` without an error). */
  | 'local'
  /** The `signal` was aborted. */
  | 'aborted'
  /** A fatal error; `error` says which. */
  | 'error';

/** How a data channel ended; the value `DataChannel.whenClosed` resolves with. */
export interface CloseInfo {
  reason: CloseReason;
  /** The `Output` text of `channel_closed`, when there was one. */
  output?: string;
  /** The remote exit code, when the agent sent one (PayloadType 12). */
  exitCode?: number;
  /** The error that ended the channel, for reason `error`. */
  error?: SsmChannelError;
}

/** Counters and estimates of a data channel. */
export interface ChannelStats {
  /** Smoothed round-trip time in ms. */
  rttMs: number;
  /** Current retransmission timeout in ms. */
  rtoMs: number;
  retransmissions: number;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  reconnects: number;
}

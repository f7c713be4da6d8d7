/**
 * A diagnostics sink, the same shape as `ssm-channel`'s `ChannelLogger`, so one logger serves both layers.
 * Nothing this package logs contains the token.
 */
export interface AdminShellLogger {
  /** Details: transport events, API call failures, the data channel's connect and close. */
  debug?(message: string, details?: Record<string, unknown>): void;
  /** Steps: API calls and their answers, connecting, retries, reconnecting. */
  info?(message: string, details?: Record<string, unknown>): void;
  /** Trouble the session may survive or end on: a failed reconnection attempt, a replaced session. */
  warn?(message: string, details?: Record<string, unknown>): void;
}

/**
 * A diagnostics sink, the same shape as `ssm-channel`'s `ChannelLogger`, so one logger serves both layers.
 * Nothing this package logs contains the token.
 */
export interface AdminShellLogger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
}

/**
 * `openAdminShell()`: the admin shell of an Amazon GameLift Streams stream session as a Node `Duplex`, and the
 * API call, identifier checks and errors behind it.
 * @module gamelift-admin-shell
 */
export type { AccessRequestOptions, AdminShellAccess } from './access-request.js';
export { ACCESS_DEFAULTS, requestAdminShellAccess } from './access-request.js';
export type { RetryOptions, RetryProgress, RetryReason } from './backoff.js';
export { RETRY_DEFAULTS } from './backoff.js';
export type {
  AdminShellCommandOptions,
  AdminShellCommandResult,
} from './command/run-admin-shell-command.js';
export { COMMAND_DEFAULTS, runAdminShellCommand } from './command/run-admin-shell-command.js';
export type { CommandTimeouts } from './command/run-on-shell.js';
export type { AdminShellErrorCode } from './errors.js';
export { AdminShellError, commandLineMessage, isAdminShellError } from './errors.js';
export type { CheckedIdentifiers, ParsedIdentifier } from './identifiers.js';
export {
  checkIdentifiers,
  checkRegion,
  parseStreamGroupIdentifier,
  parseStreamSessionIdentifier,
} from './identifiers.js';
export type { ListStreamSessionsOptions, StreamSessionListing } from './list-stream-sessions.js';
export { listStreamSessions } from './list-stream-sessions.js';
export type { AdminShellLogger } from './logger.js';
export type {
  AdminShell,
  AdminShellInfo,
  ApiOptions,
  ChannelOptions,
  OpenAdminShellOptions,
} from './open-admin-shell.js';
export { openAdminShell } from './open-admin-shell.js';
export type { ClientSettings } from './sdk-client.js';
export { CLIENT_DEFAULTS, createGameLiftStreamsClient } from './sdk-client.js';
export { SHELL_READY_STATUSES } from './session-status.js';
export type { CopyOptions, CopyProgress, CopyResult } from './transfer/copy-types.js';
export { copyFromStreamSession } from './transfer/download.js';
export { copyToStreamSession } from './transfer/upload.js';

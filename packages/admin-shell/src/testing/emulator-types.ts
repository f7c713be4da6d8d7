import type { AgentEmulator, AgentEmulatorOptions, EmulatedSession } from 'ssm-channel/testing';
import type { EmulatedErrorType, INJECTABLE_STATUS } from './api-errors.js';
import type { EmulatorCredentials } from './sigv4-check.js';

/** Stream session statuses, as GetStreamSession reports them. */
export const EMULATED_SESSION_STATUSES = [
  'ACTIVATING',
  'ACTIVE',
  'CONNECTED',
  'PENDING_CLIENT_RECONNECTION',
  'RECONNECTING',
  'TERMINATING',
  'TERMINATED',
  'ERROR',
] as const;

/** One of {@link EMULATED_SESSION_STATUSES}. */
export type EmulatedSessionStatus = (typeof EMULATED_SESSION_STATUSES)[number];

/** The operations the emulator serves. */
export const EMULATED_OPERATIONS = [
  'CreateStreamSessionAdminShell',
  'GetStreamSession',
  'ListStreamSessions',
] as const;

/** One of {@link EMULATED_OPERATIONS}. */
export type EmulatedOperation = (typeof EMULATED_OPERATIONS)[number];

/**
 * The operating system of an emulated stream session: `linux` (a real shell) or `windows` (its admin shell
 * is a stand-in for PowerShell: the banner, the `PS C:\…>` prompt, and PowerShell's error for every line).
 */
export type EmulatedRuntime = 'linux' | 'windows';

/** A stream session of the emulated stream group besides the first. */
export interface EmulatedStreamSessionSpec {
  /** 1 to 128 letters, digits and hyphens. @default a random 13-character ID */
  id?: string;
  /** @default 'ACTIVE' */
  status?: EmulatedSessionStatus;
  /** @default 'linux' */
  runtime?: EmulatedRuntime;
}

/** An error to answer with instead of serving the operation. */
export interface InjectedFault {
  /** 403 AccessDenied, 404 ResourceNotFound, 409 StreamSessionAccessNotReady, 429 Throttling, 500 InternalServer. */
  status: keyof typeof INJECTABLE_STATUS;
  /** @default 'CreateStreamSessionAdminShell' */
  operation?: EmulatedOperation;
  /** How many calls get this answer: a whole number ≥ 1, or `Infinity`. @default Infinity */
  times?: number;
  /** The exception's message (at most 4096 characters). */
  message?: string;
}

/**
 * Options of {@link startGameLiftStreamsEmulator}. Every option is checked before anything starts; a bad one
 * is refused with `AdminShellError` `INVALID_ARGUMENT`.
 */
export interface GameLiftStreamsEmulatorOptions {
  /** A region name (`[a-z]{2}(-[a-z0-9]+)+-[0-9]+`). @default 'us-west-2' */
  region?: string;
  /** 12 digits. @default '111122223333' */
  accountId?: string;
  /** An ID: 1 to 128 letters, digits and hyphens. @default a random `sg-` ID */
  streamGroupId?: string;
  /** An ID: 1 to 128 letters, digits and hyphens. @default a random 13-character ID */
  streamSessionId?: string;
  /**
   * Answer CreateStreamSessionAdminShell with 409 StreamSessionAccessNotReady this many times first (before
   * any injected fault): a whole number ≥ 0, or `Infinity` for a service that never gets ready.
   * @default 0
   */
  notReadyTimes?: number;
  /** The stream session's status. ACTIVATING answers 409; TERMINATING, TERMINATED and ERROR answer 400. @default 'ACTIVE' */
  status?: EmulatedSessionStatus;
  /** The first stream session's operating system. @default 'linux' */
  runtime?: EmulatedRuntime;
  /**
   * More stream sessions in the stream group, each with its own terminal session (its own shell): a count of
   * ACTIVE Linux sessions, or their descriptions. At most 1 000.
   * @default 0
   */
  moreSessions?: number | readonly EmulatedStreamSessionSpec[];
  /**
   * For tests of hostile answers: the SessionId that CreateStreamSessionAdminShell answers with, made from
   * the terminal session's own. Reconnections compare it, so it must stay the same for the same session.
   */
  rewriteSessionId?: (sessionId: string) => string;
  /** Sessions per ListStreamSessions page when the request sets no MaxResults (1 to 100). @default 25 */
  pageSize?: number;
  /** Errors to inject, consumed in order per operation. */
  faults?: readonly InjectedFault[];
  /**
   * When given, request signatures are verified for real against this pair (and a wrong key id or secret is
   * refused); otherwise only the form of the SigV4 Authorization header and its scope are checked.
   */
  credentials?: EmulatorCredentials;
  /**
   * A fixed token for tests: every CreateStreamSessionAdminShell answer carries this TokenValue, and the agent
   * emulator accepts it for `agent.tokenValidityMs` (default 60 s) after each answer. 1 to 4096 visible ASCII
   * characters; never quoted in errors.
   * @default a fresh random token per answer
   */
  tokenValue?: string;
  /**
   * Options for the agent emulator behind the URLs (it always runs in `shell` mode). `maxSessions` defaults to
   * enough for every stream session.
   */
  agent?: Omit<AgentEmulatorOptions, 'mode' | 'tokenValue'>;
  /** 0 to 65535. @default 0 (any free port) */
  port?: number;
}

/** One request the emulator answered. */
export interface EmulatorCall {
  readonly operation: EmulatedOperation | 'unknown';
  readonly httpStatus: number;
  /** The exception name, for errors. */
  readonly errorType?: EmulatedErrorType;
  readonly identifier?: string;
  readonly streamSessionIdentifier?: string;
  /** For a 500 the emulator answered because it failed to handle the request: what failed. */
  readonly failure?: unknown;
}

/** A running GameLift Streams API emulator. */
export interface GameLiftStreamsEmulator {
  /** `http://127.0.0.1:<port>`: pass it as the SDK client's `endpoint` (or `--endpoint-url`). */
  readonly endpoint: string;
  readonly region: string;
  readonly streamGroupId: string;
  readonly streamSessionId: string;
  readonly streamGroupArn: string;
  readonly streamSessionArn: string;
  /** Every stream session of the group, the first one first. */
  readonly streamSessionIds: readonly string[];
  /** Every request answered so far, in order. */
  readonly calls: readonly EmulatorCall[];
  /** Every token handed out so far, in order (for tests that check where tokens end up). */
  readonly issuedTokens: readonly string[];
  /**
   * The agent emulator behind the URLs, started with the API emulator. Its shell starts only when a client
   * connects, so error-path tests spawn no shell.
   */
  agent(): Promise<AgentEmulator>;
  /**
   * The terminal session (agent emulator session) that CreateStreamSessionAdminShell currently hands out for
   * a stream session (the first by default). Once its shell has ended, the next call starts a new one (a new
   * SessionId), as the service would.
   * @throws {AdminShellError} `INVALID_ARGUMENT` for a stream session the group does not have.
   */
  terminalSession(streamSessionId?: string): Promise<EmulatedSession>;
  /**
   * Changes a stream session's status (the first by default) and GetStreamSession's StatusReason.
   * @throws {AdminShellError} `INVALID_ARGUMENT` for a status not in {@link EMULATED_SESSION_STATUSES}, or a
   *   stream session the group does not have.
   */
  setStatus(status: EmulatedSessionStatus, statusReason?: string, streamSessionId?: string): void;
  /**
   * Adds an error to inject.
   * @throws {AdminShellError} `INVALID_ARGUMENT` for a fault the emulator cannot answer with.
   */
  injectFault(fault: InjectedFault): void;
  /**
   * Starts a new terminal session (a new shell, a new SessionId): later calls hand out URLs into it, as a
   * service that replaced the session would. The previous one keeps running.
   */
  replaceTerminalSession(streamSessionId?: string): Promise<void>;
  /** Stops the HTTP server and the agent emulator (every shell). */
  close(): Promise<void>;
}

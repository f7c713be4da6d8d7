import type { EventEmitter } from 'node:events';
import type { StreamCredentials } from '../channel-types.js';
import type { HandshakeResponse } from '../codec/payloads/handshake-response.js';
import type { TerminalSize } from '../codec/payloads/terminal-size.js';
import { POLICY_VIOLATION_CLOSE_CODE } from '../transport/transport-error.js';
import type { EmulatorStats, SessionEndInfo } from './emulator-options.js';
import type { GarbageKind } from './garbage-frames.js';

/**
 * The close code (1008, Policy Violation) the emulator uses to refuse a connection; the transport maps it to
 * `AUTH_FAILED` when it comes before any other frame.
 */
export const REFUSAL_CLOSE_CODE = POLICY_VIOLATION_CLOSE_CODE;

/** What a `connection` event tells: the accepted OpenDataChannel, without its token. */
export interface ConnectionInfo {
  /** 1 for the first accepted connection of the session, then 2, 3, … */
  connection: number;
  requestId: string;
  clientId: string | undefined;
  clientVersion: string | undefined;
}

/** Events of an emulated session (`session.events.on(name, listener)`). */
export interface EmulatedSessionEvents {
  connection: [info: ConnectionInfo];
  disconnect: [];
  'auth-failure': [reason: string];
  ready: [];
  input: [bytes: Uint8Array];
  resize: [size: TerminalSize];
  flag: [flag: number];
  'handshake-response': [response: HandshakeResponse];
  end: [info: SessionEndInfo];
}

/** One emulated SSM session: an agent, its program, and the service's side of the data channel. */
export interface EmulatedSession {
  readonly sessionId: string;
  /** The StreamUrl: `ws://127.0.0.1:<port>/v1/data-channel/<sessionId>?role=publish_subscribe`. */
  readonly url: string;
  /** The first token, issued when the session was created (the `tokenValue` option when one was given). */
  readonly tokenValue: string;
  readonly events: EventEmitter<EmulatedSessionEvents>;
  /** Resolves when the session ends. */
  readonly ended: Promise<SessionEndInfo>;
  /** Whether a client connection is attached. */
  readonly connected: boolean;
  /**
   * Fresh credentials for a (re)connection to this session, like ResumeSession: a new random token, or with
   * the `tokenValue` option that same token, valid for a new `tokenValidityMs` window from now.
   */
  issueToken(): StreamCredentials;
  /** Counters of this session: connections, refusals, frames, acks, faults and the agent engine's own. */
  stats(): EmulatorStats;
  /** Sends pause_publication to the client (the service's flow control, §11). */
  pausePublication(): void;
  /** Sends start_publication to the client. */
  startPublication(): void;
  /** Stops answering on the current connection (no reads, no pongs, no frames) for `durationMs` or until unstall. */
  stall(options?: { durationMs?: number }): void;
  /** Ends a stall. */
  unstall(): void;
  /** Drops the current TCP connection without a close frame (counted as a cut). */
  disconnect(): void;
  /** Sends one garbage message to the client. @default kind 'random' */
  sendGarbage(kind?: GarbageKind): void;
  /** Ends the session from the service side (like TerminateSession): channel_closed with `output`. */
  terminate(output?: string): void;
}

/**
 * Options, callbacks and observable types of the agent engine ({@link createAgentEngine}).
 */
import { STREAM_DATA_PAYLOAD_SIZE } from '../../codec/constants.js';
import type { HandshakeResponse } from '../../codec/payloads/handshake-response.js';
import type { TerminalSize } from '../../codec/payloads/terminal-size.js';
import type { SsmChannelError } from '../../errors.js';
import type { KnownSessionType } from '../client-handshake.js';
import type { EngineIoOptions } from '../engine-io.js';

/** Defaults of {@link AgentEngineOptions}. */
export const AgentEngineDefaults = {
  agentVersion: '3.3.0.0',
  sessionType: 'Standard_Stream',
  handshakeTimeoutMs: 15_000,
  maxUnackedMessages: 1024,
  maxUnackedBytes: 1024 * 1024,
  maxPendingOutputBytes: 1024 * 1024,
  maxReorderMessages: 1024,
  maxReorderBytes: 1024 * 1024,
  maxRetransmitBurst: 1,
  minRetransmitIntervalMs: 100,
  giveUpAfterMs: 5 * 60_000,
  maxRtoMs: 1000,
  maxPayloadBytes: STREAM_DATA_PAYLOAD_SIZE,
} as const;

/** How the agent runs the handshake (§12). Leave `handshake` undefined for a no-handshake shell. */
export interface AgentHandshakeOptions {
  /** The SessionType action's type. @default 'Standard_Stream' */
  sessionType?: KnownSessionType | string;
  /** The SessionType action's Properties. @default null */
  properties?: unknown;
  /** AgentVersion in the request. @default '3.3.0.0' */
  agentVersion?: string;
  /** When set, a KMSEncryption action with this key id (and a random challenge) is requested too. */
  kmsKeyId?: string;
  /** Further actions appended to the request (to test Unsupported answers). @default [] */
  extraActions?: { actionType: string; actionParameters: unknown }[];
  /** CustomerMessage of HandshakeComplete. @default '' */
  customerMessage?: string;
  /** Wait for the HandshakeResponse before failing with `HANDSHAKE_TIMEOUT`. @default 15000 */
  timeoutMs?: number;
}

/** Callbacks of the agent engine; called synchronously, they must not throw. */
export interface AgentEngineCallbacks {
  /** Input bytes (PayloadType 1) in order. Refuse input for a while with `setInputPaused(true)`. */
  onInput?(bytes: Uint8Array): void;
  /** A terminal size (PayloadType 3). */
  onSize?(size: TerminalSize): void;
  /** A Flag payload (PayloadType 10), e.g. 2 TerminateSession. */
  onFlag?(flag: number): void;
  /** The HandshakeResponse as received, before it is judged. */
  onHandshakeResponse?(response: HandshakeResponse): void;
  /** The session is ready: the handshake completed, or at the first `transportUp()` without one. */
  onReady?(): void;
  /** After a send returned false: the window has room again. */
  onWritable?(): void;
  /** Every output message has been acknowledged and nothing waits (the agent's drain before closing). */
  onDrained?(): void;
  /** The service sent channel_closed to the agent. */
  onClose?(): void;
  /**
   * A fatal error: `HANDSHAKE_FAILED` (an action was not answered with status 1; the real agent then
   * cancels the session), `HANDSHAKE_TIMEOUT`, `RETRANSMIT_GIVE_UP`.
   */
  onError?(error: SsmChannelError): void;
}

/** Options of {@link createAgentEngine}. */
export interface AgentEngineOptions extends AgentEngineCallbacks, EngineIoOptions {
  /** Handshake to run; undefined (the default) starts a shell without one. */
  handshake?: AgentHandshakeOptions;
  /** Most unacknowledged output messages (HandshakeComplete is never held back: it may be one over). @default 1024 */
  maxUnackedMessages?: number;
  /** Most unacknowledged output frame bytes. @default 1048576 */
  maxUnackedBytes?: number;
  /**
   * Most bytes waiting for window room; a send made while more than this waits throws
   * `BUFFER_LIMIT_EXCEEDED`. @default 1048576
   */
  maxPendingOutputBytes?: number;
  /** Input messages held out of order, and how far ahead a sequence number may be. @default 1024 */
  maxReorderMessages?: number;
  /** Input payload bytes held out of order. @default 1048576 */
  maxReorderBytes?: number;
  /** Retransmissions per timer call (1 with a 100 ms interval models the official agent). @default 1 */
  maxRetransmitBurst?: number;
  /** Least time between timer-driven retransmissions. @default 100 */
  minRetransmitIntervalMs?: number;
  /** Time without ack progress before `RETRANSMIT_GIVE_UP` (the real agent never gives up). @default 300000 */
  giveUpAfterMs?: number;
  /** Upper bound of the retransmission timeout. @default 1000 */
  maxRtoMs?: number;
  /** Largest output payload. @default 1024 */
  maxPayloadBytes?: number;
}

/** The agent engine's lifecycle phase. */
export type AgentEnginePhase =
  /** Created; the session starts at the first `transportUp()`. */
  | 'idle'
  /** HandshakeRequest sent; non-handshake input is acked and discarded, as the agent does. */
  | 'handshaking'
  /** Session running. */
  | 'ready'
  /** channel_closed sent or received, or `close()`. */
  | 'closed'
  /** Ended by a fatal error. */
  | 'failed';

/** Counters and gauges of the agent engine. */
export interface AgentEngineStats {
  phase: AgentEnginePhase;
  rttMs: number;
  rtoMs: number;
  /** Stream messages sent (retransmissions excluded). */
  messagesOut: number;
  /** Their payload bytes. */
  bytesOut: number;
  retransmissions: number;
  /** Input bytes delivered to `onInput`. */
  bytesIn: number;
  /** Input messages consumed in order. */
  messagesIn: number;
  acksIn: number;
  acksIgnored: number;
  acksOut: number;
  duplicates: number;
  outOfOrder: number;
  refused: number;
  droppedFrames: number;
  droppedMessages: number;
  /** Non-handshake input acked and discarded during the handshake. */
  discardedDuringHandshake: number;
  ignored: number;
  unackedMessages: number;
  unackedBytes: number;
  pendingOutputBytes: number;
  reorderMessages: number;
  reorderBytes: number;
}

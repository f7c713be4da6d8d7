import type { TerminalSize } from '../codec/payloads/terminal-size.js';
import type { SsmChannelError } from '../errors.js';
import type { AgentEngineOptions, AgentEngineStats } from '../protocol/agent/agent-options.js';

/**
 * What plays behind the emulated agent:
 * - `shell`: a real shell in a pseudo-terminal (needs the optional peer dependency `node-pty`);
 * - `echo`: every input byte comes back as output;
 * - `source`: `source.bytes` bytes of seeded pseudo-random data, then `channel_closed`;
 * - `sink`: input is swallowed and counted (with its SHA-256).
 */
export type EmulatorMode = 'shell' | 'echo' | 'source' | 'sink';

/** The handshake the agent runs (protocol reference §12). */
export interface EmulatorHandshakeOptions {
  /** @default 'Standard_Stream' */
  sessionType?: string;
  /** Properties of the SessionType action (port sessions). @default null */
  properties?: unknown;
  /** Also request KMSEncryption (which the emulator cannot complete: the session fails). @default false */
  kms?: boolean;
  /** CustomerMessage of HandshakeComplete. @default '' */
  customerMessage?: string;
  /** Wait for the HandshakeResponse, in ms. @default 15_000 */
  timeoutMs?: number;
}

/** Options of the `shell` mode. */
export interface EmulatorShellOptions {
  /** @default '/bin/sh' */
  file?: string;
  /** @default [] */
  args?: string[];
  /** @default process.cwd() */
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, TERM=xterm-256color, LANG=C.UTF-8). @default {} */
  env?: Record<string, string>;
  /** Size until the client sends one. @default { cols: 80, rows: 24 } */
  initialSize?: TerminalSize;
}

/** Options of the `source` mode. */
export interface EmulatorSourceOptions {
  /** How many bytes to send. @default 1_048_576 */
  bytes?: number;
  /** Seed of the data; regenerate it with `deterministicBytes(seed, bytes)`. @default 1 */
  seed?: number;
}

/** A fault that fires after a number of frame bytes on one connection, a limited number of times. */
export interface ByteTriggerOptions {
  /** Frame bytes (both directions, on the current connection) before it fires. */
  afterBytes: number;
  /** How many connections it fires on, in all. @default 1 */
  times?: number;
}

/** Frame-level fault injection. Probabilities are in [0, 1]; decisions come from a seeded generator. */
export interface EmulatorFaultOptions {
  /** Seed of every random decision. @default 1 */
  seed?: number;
  /** Which direction drop, duplicate and reorder apply to. @default 'both' */
  direction?: 'both' | 'to-client' | 'to-agent';
  /** Probability of dropping an agent message (stream data or ack). @default 0 */
  drop?: number;
  /** Probability of delivering an agent message twice. @default 0 */
  duplicate?: number;
  /** Probability of holding an agent message back until after the next one. @default 0 */
  reorder?: number;
  /** Longest time a held-back message waits for a successor, in ms. @default 20 */
  reorderHoldMs?: number;
  /** Probability of sending a garbage frame before an outgoing agent message. @default 0 */
  garbage?: number;
  /** Drop the TCP connection (no close frame). */
  cut?: ByteTriggerOptions;
  /** Stop answering on the connection: no reads (so no pongs), outgoing frames discarded. */
  stall?: ByteTriggerOptions & {
    /** How long the stall lasts, in ms; undefined: until the connection ends. */
    durationMs?: number;
  };
  /**
   * A slow uplink: the client's frames are read from the socket at this many bytes per second at most (the
   * rest waits in TCP buffers, then in the client's send queue). @default unlimited
   */
  uplinkBytesPerSecond?: number;
}

/**
 * Agent engine bounds passed through to the agent engine (see its documentation for the defaults).
 * @interface
 */
export type EmulatorAgentLimits = Pick<
  AgentEngineOptions,
  | 'maxUnackedMessages'
  | 'maxUnackedBytes'
  | 'maxPendingOutputBytes'
  | 'maxReorderMessages'
  | 'maxReorderBytes'
  | 'maxRetransmitBurst'
  | 'minRetransmitIntervalMs'
  | 'giveUpAfterMs'
  | 'maxRtoMs'
  | 'maxPayloadBytes'
>;

/** Per-session settings; {@link AgentEmulatorOptions} holds the defaults for every session. */
export interface EmulatedSessionOptions {
  /** @default 'echo' */
  mode?: EmulatorMode;
  /** `false`/absent: no handshake (a shell session); `true`: a Standard_Stream handshake. @default false */
  handshake?: boolean | EmulatorHandshakeOptions;
  /**
   * Output sent as soon as the session is ready, before anything of the mode (a shell's prompt plays this
   * part). A client without a handshake (`connectDataChannel`, like the official plugin) starts the session
   * at the agent's first output, so the `echo` and `sink` modes need either this or `handshake: true` for
   * such a client; raw clients that type first need neither. @default '' (nothing)
   */
  greeting?: string;
  /** Session id used in the URL path and in `channel_closed`. @default a random id */
  sessionId?: string;
  /**
   * A fixed token, for tests that need to know it in advance: the session's `tokenValue` is this value, and
   * every `issueToken()` returns it again, re-armed for a new `tokenValidityMs` window (no random token is
   * ever issued for the session). 1 to 4096 visible ASCII characters (`!` to `~`). It is never quoted in
   * errors. Several sessions may share it: the URL path picks the session.
   * @default a fresh random token at every issue
   */
  tokenValue?: string;
  shell?: EmulatorShellOptions;
  source?: EmulatorSourceOptions;
  faults?: EmulatorFaultOptions;
  agent?: EmulatorAgentLimits;
  /** Send an ExitCode payload (PayloadType 12) before `channel_closed` when the shell exits. @default false */
  sendExitCode?: boolean;
  /** `Output` text of the `channel_closed` frame. @default '' */
  channelClosedOutput?: string;
  /** How long a finished session waits for the client to acknowledge all output, in ms. @default 5_000 */
  drainTimeoutMs?: number;
  /** Delay between `channel_closed` and the server closing the socket, in ms. @default 500 */
  closeSocketDelayMs?: number;
  /**
   * Keep the session (and its shell) when the client closes its connection normally (close code 1000), as
   * for a dropped connection, instead of ending it (`client-left`) the way the official plugin ends a
   * session on exit (TerminateSession). Whether the real service keeps an admin shell a client left is not
   * documented. A fresh client cannot take over a session another client left: the sequence numbers of both
   * directions belong to the first one. @default false
   */
  keepSessionOnClientClose?: boolean;
}

/** Options of `startAgentEmulator`. */
export interface AgentEmulatorOptions extends EmulatedSessionOptions {
  /** TCP port on 127.0.0.1. @default 0 (any free port) */
  port?: number;
  /** How long an issued token may open new connections, in ms (the real service: 60 s). @default 60_000 */
  tokenValidityMs?: number;
  /** Wall clock for token validity, in ms. @default Date.now */
  clock?: () => number;
  /** Time a new connection has to send its OpenDataChannel frame, in ms. @default 10_000 */
  openTimeoutMs?: number;
  /** Largest WebSocket message accepted from a client, in bytes. @default 1_048_576 */
  maxPayload?: number;
  /** Most sessions (the first one included). @default 64 */
  maxSessions?: number;
}

/** Defaults of {@link AgentEmulatorOptions}. */
export const EMULATOR_DEFAULTS = {
  mode: 'echo',
  tokenValidityMs: 60_000,
  openTimeoutMs: 10_000,
  maxPayload: 1_048_576,
  maxSessions: 64,
  sourceBytes: 1_048_576,
  sourceSeed: 1,
  faultSeed: 1,
  reorderHoldMs: 20,
  drainTimeoutMs: 5_000,
  closeSocketDelayMs: 500,
  maxTokensPerSession: 1_024,
  maxTokenLength: 4_096,
} as const;

/** How an emulated session ended. */
export interface SessionEndInfo {
  /**
   * `exited` (the shell exited), `completed` (the source sent everything), `client-terminated` (a
   * TerminateSession flag), `client-left` (the client closed its connection normally), `terminated`
   * (`terminate()`), `failed` (handshake or retransmission failure), `emulator-closed` (`close()` during
   * the session).
   */
  reason:
    | 'exited'
    | 'completed'
    | 'client-terminated'
    | 'client-left'
    | 'terminated'
    | 'failed'
    | 'emulator-closed';
  /** The shell's exit code, for `exited`. */
  exitCode?: number;
  /** The agent engine's error, for `failed`. */
  error?: SsmChannelError;
}

/** Faults applied so far. */
export interface FaultCounters {
  dropped: number;
  duplicated: number;
  reordered: number;
  garbage: number;
  cuts: number;
  stalls: number;
  /** Outgoing frames discarded because the connection was stalled. */
  stalledFrames: number;
  /** Times reading the client's frames was paused by `uplinkBytesPerSecond`. */
  uplinkPauses: number;
}

/** Counters of an emulated session. */
export interface EmulatorStats {
  /** Connections accepted (OpenDataChannel with a good token). */
  connections: number;
  /** Connections refused for a bad, expired or missing token or OpenDataChannel. */
  authFailures: number;
  /** WebSocket messages received after the OpenDataChannel frame, and their bytes. */
  framesIn: number;
  bytesIn: number;
  /** WebSocket messages sent (after faults), and their bytes. */
  framesOut: number;
  bytesOut: number;
  /** Acks received that matched an output message, and acks sent. */
  acksIn: number;
  acksOut: number;
  /** Output messages resent by the agent engine. */
  retransmissions: number;
  /** Input payload bytes delivered to the mode (echo, sink, shell). */
  inputBytes: number;
  /** Output payload bytes queued by the mode. */
  outputBytes: number;
  /** Input messages received while the client was told pause_publication. */
  inputWhilePaused: number;
  /** Terminal size messages, and the last size. */
  resizes: number;
  lastSize: TerminalSize | undefined;
  faults: FaultCounters;
  /** What the `sink` mode swallowed (`{ bytes: 0, sha256: '' }` in other modes). */
  sink: { bytes: number; sha256: string };
  /** The agent engine's own counters and gauges. */
  agent: AgentEngineStats;
}

export type { TerminalSize };

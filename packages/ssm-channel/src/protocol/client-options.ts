/**
 * Options, callbacks and observable types of the client engine ({@link createClientEngine}).
 */
import { STREAM_DATA_PAYLOAD_SIZE } from '../codec/constants.js';
import { SsmChannelError } from '../errors.js';
import { checkBound } from './bounds.js';
import type { KnownSessionType } from './client-handshake.js';
import { type EngineIo, type EngineIoOptions, resolveEngineIo } from './engine-io.js';

/**
 * The ClientVersion reported in OpenDataChannel and HandshakeResponse. Chosen below 1.1.70 on purpose: the
 * agent switches LocalPortForwarding sessions to smux multiplexing for clients at or above 1.1.70 (§14.8),
 * and this engine carries a plain byte stream. The cost: for NonInteractiveCommands with separate
 * stdout/stderr, the agent adds an upgrade notice to HandshakeComplete's CustomerMessage (≤ 1.2.295).
 */
export const DEFAULT_CLIENT_VERSION = '1.0.0.0';

/** Defaults of {@link ClientEngineOptions}. */
export const ClientEngineDefaults = {
  clientVersion: DEFAULT_CLIENT_VERSION,
  maxUnackedMessages: 1024,
  maxUnackedBytes: 256 * 1024,
  maxPendingInputBytes: 1024 * 1024,
  maxReorderMessages: 1024,
  maxReorderBytes: 1024 * 1024,
  receiveBudgetBytes: 1024 * 1024,
  maxRetransmitBurst: 32,
  giveUpAfterMs: 5 * 60_000,
  maxRtoMs: 1000,
  startTimeoutMs: 30_000,
  maxPayloadBytes: STREAM_DATA_PAYLOAD_SIZE,
} as const;

/** What {@link ClientEngineCallbacks.onStart} is told when the session starts. */
export interface SessionStartInfo {
  /** True when the agent ran a handshake (HandshakeComplete received); false for a no-handshake shell. */
  handshake: boolean;
  /** The agent's version (from the HandshakeRequest). */
  agentVersion?: string;
  /** The session type the agent announced. */
  sessionType?: KnownSessionType;
  /** The SessionType action's Properties (`null` for shells). */
  sessionProperties?: unknown;
  /** HandshakeComplete's CustomerMessage, when not empty: show it to the user on a line of its own. */
  customerMessage?: string;
  /** How long the handshake took on the agent, in nanoseconds. */
  handshakeTimeToCompleteNs?: number;
}

/** How the session ended without an error. Structurally a `CloseInfo` of the channel layer. */
export interface EngineCloseInfo {
  /** `channel_closed` from the service, or `local` (the engine's `close()`). */
  reason: 'channel_closed' | 'local';
  /** The Output text of channel_closed, when not empty. */
  output?: string;
  /** The remote exit code, when an ExitCode payload (12) arrived. */
  exitCode?: number;
  /** The SessionId named by channel_closed, when present. */
  sessionId?: string;
}

/**
 * Callbacks of the client engine. They are called synchronously from the engine's methods; they must not
 * throw, and `sendFrame` must not call back into the engine synchronously.
 */
export interface ClientEngineCallbacks {
  /**
   * Writes one binary frame on the WebSocket. Only called between `transportUp()` and `transportDown()`.
   * Answer false once the socket's send queue is above its high-water mark: the engine then writes nothing
   * new (acks of frames that still arrive excepted) and stops `receiving` until `drained()`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a frame writer may return nothing (room left) or false
  sendFrame(frame: Uint8Array): boolean | void;
  /**
   * Output bytes (PayloadType 1), in order. The view is only valid during the call unless copied; it may
   * share memory with the received frame. Count them back with `consumed(n)` (see `receiveBudgetBytes`).
   */
  onOutput(bytes: Uint8Array): void;
  /** StdErr bytes (PayloadType 11), in order. @default delivered to `onOutput` */
  onStderr?(bytes: Uint8Array): void;
  /** The session started (HandshakeComplete, or the first output without a handshake). */
  onStart?(info: SessionStartInfo): void;
  /** A Flag payload (PayloadType 10) arrived, e.g. 3 ConnectToPortError. */
  onFlag?(flag: number): void;
  /** After `write()` returned false: the window has room again and pending input was taken. */
  onWritable?(): void;
  /** The session ended without an error (exactly one of `onClose`/`onError` is called, once). */
  onClose(info: EngineCloseInfo): void;
  /** A fatal error ended the engine; it refuses all further input. */
  onError(error: SsmChannelError): void;
}

/** Options of {@link createClientEngine}: injected I/O, callbacks and bounds. */
export interface ClientEngineOptions extends ClientEngineCallbacks, EngineIoOptions {
  /** The ClientId kept across reconnects. @default randomId() at creation */
  clientId?: string;
  /** ClientVersion reported to the service and the agent. @default DEFAULT_CLIENT_VERSION ('1.0.0.0') */
  clientVersion?: string;
  /** Terminal size sent when the session starts. @default none (nothing is sent until `resize()`) */
  terminalSize?: { cols: number; rows: number };
  /** Most unacknowledged input messages. @default 1024 */
  maxUnackedMessages?: number;
  /** Most unacknowledged input frame bytes (headers included). @default 262144 */
  maxUnackedBytes?: number;
  /**
   * Most written bytes waiting for window room; a `write()` made while more than this waits throws
   * `BUFFER_LIMIT_EXCEEDED` (a caller that waits for `onWritable` never hits it). @default 1048576
   */
  maxPendingInputBytes?: number;
  /** Output messages held out of order, and how far ahead a sequence number may be. @default 1024 */
  maxReorderMessages?: number;
  /** Output payload bytes held out of order (or refused while the reader is behind). @default 1048576 */
  maxReorderBytes?: number;
  /**
   * Output/stderr bytes delivered but not yet released by `consumed(n)`; at the budget the engine stops
   * `receiving` and taking output (what still arrives is kept and acked up to `maxReorderBytes`, then left
   * unacked, so the agent holds and resends it). `Infinity` disables the budget. @default 1048576
   */
  receiveBudgetBytes?: number;
  /** Most retransmissions per `onTimer()` call. @default 32 */
  maxRetransmitBurst?: number;
  /**
   * Time without acknowledgement progress (while connected and not paused) after which the engine fails
   * with `RETRANSMIT_GIVE_UP`. @default 300000 (5 min, like the plugin's 3000 attempts)
   */
  giveUpAfterMs?: number;
  /** Upper bound of the retransmission timeout. @default 1000 */
  maxRtoMs?: number;
  /**
   * Time from the first `transportUp()` to the start of the session (HandshakeComplete, or the first output
   * of a no-handshake shell) before failing with `HANDSHAKE_TIMEOUT`. @default 30000
   */
  startTimeoutMs?: number;
  /** Largest input payload (the official chunk size). @default 1024 */
  maxPayloadBytes?: number;
}

/** Options with every default applied. */
export interface ResolvedClientOptions {
  io: EngineIo;
  clientId: string;
  clientVersion: string;
  terminalSize: { cols: number; rows: number } | undefined;
  maxUnackedMessages: number;
  maxUnackedBytes: number;
  maxPendingInputBytes: number;
  maxReorderMessages: number;
  maxReorderBytes: number;
  receiveBudgetBytes: number;
  maxRetransmitBurst: number;
  giveUpAfterMs: number;
  maxRtoMs: number;
  startTimeoutMs: number;
  maxPayloadBytes: number;
}

const INF = { allowInfinity: true } as const;

function invalid(message: string): SsmChannelError {
  return new SsmChannelError('INVALID_ARGUMENT', message);
}

/**
 * Checks a terminal size: integers in 1..65535 (the agent truncates to uint16).
 * @throws {SsmChannelError} `INVALID_ARGUMENT`
 */
export function checkTerminalSize(cols: number, rows: number): void {
  if (!isTerminalDimension(cols) || !isTerminalDimension(rows)) {
    throw invalid('cols and rows must be integers in 1..65535');
  }
}

function isTerminalDimension(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 0xffff;
}

/**
 * Applies defaults and checks every option.
 * @throws {SsmChannelError} `INVALID_ARGUMENT` for a bad bound, callback or size.
 */
export function resolveClientOptions(options: ClientEngineOptions): ResolvedClientOptions {
  if (typeof options.sendFrame !== 'function' || typeof options.onOutput !== 'function') {
    throw invalid('sendFrame and onOutput are required functions');
  }
  if (typeof options.onClose !== 'function' || typeof options.onError !== 'function') {
    throw invalid('onClose and onError are required functions');
  }
  const d = ClientEngineDefaults;
  const io = resolveEngineIo(options);
  const size = options.terminalSize;
  if (size !== undefined && (typeof size !== 'object' || size === null)) {
    throw invalid('terminalSize must be an object { cols, rows }');
  }
  if (size !== undefined && !(isTerminalDimension(size.cols) && isTerminalDimension(size.rows))) {
    throw invalid('terminalSize: cols and rows must be integers in 1..65535');
  }
  const clientVersion = options.clientVersion ?? d.clientVersion;
  if (typeof clientVersion !== 'string' || clientVersion === '')
    throw invalid('clientVersion must be a string');
  return {
    io,
    clientId: options.clientId ?? io.randomId(),
    clientVersion,
    terminalSize: size === undefined ? undefined : { cols: size.cols, rows: size.rows },
    maxUnackedMessages: checkBound('maxUnackedMessages', options.maxUnackedMessages, d.maxUnackedMessages),
    maxUnackedBytes: checkBound('maxUnackedBytes', options.maxUnackedBytes, d.maxUnackedBytes),
    maxPendingInputBytes: checkBound(
      'maxPendingInputBytes',
      options.maxPendingInputBytes,
      d.maxPendingInputBytes,
    ),
    maxReorderMessages: checkBound('maxReorderMessages', options.maxReorderMessages, d.maxReorderMessages),
    maxReorderBytes: checkBound('maxReorderBytes', options.maxReorderBytes, d.maxReorderBytes),
    receiveBudgetBytes: checkBound(
      'receiveBudgetBytes',
      options.receiveBudgetBytes,
      d.receiveBudgetBytes,
      INF,
    ),
    maxRetransmitBurst: checkBound('maxRetransmitBurst', options.maxRetransmitBurst, d.maxRetransmitBurst),
    giveUpAfterMs: checkBound('giveUpAfterMs', options.giveUpAfterMs, d.giveUpAfterMs, INF),
    maxRtoMs: checkBound('maxRtoMs', options.maxRtoMs, d.maxRtoMs),
    startTimeoutMs: checkBound('startTimeoutMs', options.startTimeoutMs, d.startTimeoutMs, INF),
    maxPayloadBytes: checkBound('maxPayloadBytes', options.maxPayloadBytes, d.maxPayloadBytes),
  };
}

/**
 * Options of {@link connectDataChannel}: the groups a caller fills in, their checks, and what each layer
 * takes from them.
 */
import type { ChannelLogger, ReconnectContext, StreamCredentials, TerminalSize } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import {
  ClientEngineDefaults,
  type ClientEngineOptions,
  resolveClientOptions,
} from '../protocol/client-options.js';
import { TRANSPORT_DEFAULTS, type TransportSettings } from '../transport/transport-options.js';
import { checkStreamUrl } from '../transport/url-policy.js';
import { MAX_TIMER_DELAY_MS } from './deadline-timer.js';
import { RECONNECT_DEFAULTS, type ReconnectPolicy } from './reconnect-policy.js';

/** Options of {@link connectDataChannel}: the credentials, a few common settings, and three groups. */
export interface ConnectDataChannelOptions extends StreamCredentials {
  /** Closes the channel (or aborts the connection) when aborted. */
  signal?: AbortSignal;
  /** Terminal size sent when the session starts. @default none: nothing is sent until `resize()` */
  terminalSize?: TerminalSize;
  /** Diagnostics; messages never contain the token. */
  logger?: ChannelLogger;
  /** How a lost connection is resumed. Without it a lost connection ends the channel with `CONNECTION_LOST`. */
  reconnect?: ReconnectOptions;
  /** How long each wait may last. */
  timeouts?: ChannelTimeouts;
  /** How much memory the channel may hold, and the largest message it accepts. */
  limits?: ChannelLimits;
}

/** `reconnect`: resuming the same session on a new connection after an unexpected loss. */
export interface ReconnectOptions {
  /**
   * Returns fresh credentials for the same session (for SSM, `ResumeSession`; for GameLift Streams, a new
   * `CreateStreamSessionAdminShell`). A rejection ends the channel with `RECONNECT_FAILED`.
   */
  credentials(context: ReconnectContext): Promise<StreamCredentials>;
  /** Connection attempts after one loss before `RECONNECT_FAILED`. @default 6 */
  maxAttempts?: number;
  /** Delay before the first attempt after a loss (jittered up to twice that). @default 100 */
  initialDelayMs?: number;
  /** Largest delay between two attempts. @default 5000 */
  maxDelayMs?: number;
  /**
   * Longest wait for one call of `credentials`; past it the call's `signal` is aborted and the channel ends
   * with `RECONNECT_FAILED`. @default 120000
   */
  credentialsTimeoutMs?: number;
}

/** `timeouts`: every bounded wait of the channel, in milliseconds (whole numbers up to 2^31 − 1). */
export interface ChannelTimeouts {
  /** Each WebSocket connection: TCP, TLS and the upgrade. @default 10000 */
  connectMs?: number;
  /** From the connection to the start of the session (HandshakeComplete or the first output). @default 30000 */
  startMs?: number;
  /**
   * How long the agent may make no progress at all, acknowledging none of the input sent to it
   * (`RETRANSMIT_GIVE_UP`) or taking none of the bytes queued for it on the socket
   * (`BUFFER_LIMIT_EXCEEDED`), before the channel ends. A slow agent never gets either. @default 300000
   */
  stallMs?: number;
  /** Interval of WebSocket keepalive pings (while the socket is read). @default 20000 */
  pingIntervalMs?: number;
  /** A ping unanswered this long ends the connection with `PEER_UNRESPONSIVE`. @default 20000 */
  pongMs?: number;
}

/** `limits`: memory the channel may hold for one session, in bytes. */
export interface ChannelLimits {
  /**
   * Output (stdout and stderr) received and not yet read; past it the channel stops reading the socket, and
   * the agent's output waits in TCP buffers. @default 1048576
   */
  outputBufferBytes?: number;
  /** Input sent and not yet acknowledged by the agent; writes wait beyond it. @default 262144 */
  inputWindowBytes?: number;
  /** Output received out of order, held until the gap is filled. @default 1048576 */
  reorderBufferBytes?: number;
  /** Largest WebSocket message accepted (agent messages are about 1.2 KB); a larger one is `FRAME_TOO_LARGE`. @default 1048576 */
  maxMessageBytes?: number;
}

/** The defaults of the option groups of {@link connectDataChannel}. */
export const CHANNEL_DEFAULTS = {
  timeouts: {
    connectMs: TRANSPORT_DEFAULTS.connectMs,
    startMs: ClientEngineDefaults.startTimeoutMs,
    stallMs: TRANSPORT_DEFAULTS.stallMs,
    pingIntervalMs: TRANSPORT_DEFAULTS.pingIntervalMs,
    pongMs: TRANSPORT_DEFAULTS.pongMs,
  },
  limits: {
    outputBufferBytes: ClientEngineDefaults.receiveBudgetBytes,
    inputWindowBytes: ClientEngineDefaults.maxUnackedBytes,
    reorderBufferBytes: ClientEngineDefaults.maxReorderBytes,
    maxMessageBytes: TRANSPORT_DEFAULTS.maxMessageBytes,
  },
  reconnect: RECONNECT_DEFAULTS,
} as const satisfies {
  timeouts: Required<ChannelTimeouts>;
  limits: Required<ChannelLimits>;
  reconnect: Required<Omit<ReconnectOptions, 'credentials'>>;
};

/** The options of {@link connectDataChannel} other than the credentials. */
export type DataChannelSettings = Omit<ConnectDataChannelOptions, 'streamUrl' | 'tokenValue'>;

/** The options, checked, as each layer takes them. */
export interface ResolvedChannelOptions {
  signal: AbortSignal | undefined;
  logger: ChannelLogger | undefined;
  reconnect: ReconnectPolicy | undefined;
  /** The engine's options besides its callbacks. */
  engine: Partial<ClientEngineOptions>;
  transport: TransportSettings;
}

/** The option keys a face accepts: at the top level and in each group. */
interface OptionShape {
  topLevel: readonly string[];
  groups: Record<'reconnect' | 'timeouts' | 'limits', readonly string[]>;
}

/** The options of `connectDataChannel`. */
const NODE_SHAPE: OptionShape = {
  topLevel: [
    'streamUrl',
    'tokenValue',
    'signal',
    'terminalSize',
    'logger',
    'reconnect',
    'timeouts',
    'limits',
  ],
  groups: {
    reconnect: ['credentials', 'maxAttempts', 'initialDelayMs', 'maxDelayMs', 'credentialsTimeoutMs'],
    timeouts: ['connectMs', 'startMs', 'stallMs', 'pingIntervalMs', 'pongMs'],
    limits: ['outputBufferBytes', 'inputWindowBytes', 'reorderBufferBytes', 'maxMessageBytes'],
  },
};

/** The options of `connectWebDataChannel`: the same, with `WebSocket`, and no pings (the API has none). */
export const WEB_SHAPE: OptionShape = {
  topLevel: [...NODE_SHAPE.topLevel, 'WebSocket'],
  groups: { ...NODE_SHAPE.groups, timeouts: ['connectMs', 'startMs', 'stallMs'] },
};

function invalid(message: string): SsmChannelError {
  return new SsmChannelError('INVALID_ARGUMENT', message);
}

/** Refuses keys that are not options (a misspelling, or an option of an older version). */
function checkKeys(value: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalid(`${where}${key} is not an option (options: ${known.join(', ')})`);
  }
}

/** A group: absent, or an object with known keys only. */
function group(
  settings: DataChannelSettings,
  name: keyof OptionShape['groups'],
  shape: OptionShape,
): Record<string, unknown> {
  const value: unknown = settings[name];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw invalid(`${name} must be an object`);
  checkKeys(value, shape.groups[name], `${name}.`);
  return value as Record<string, unknown>;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${name} must be a positive integer`);
  }
  if (name.endsWith('Ms') && value > MAX_TIMER_DELAY_MS) {
    throw invalid(`${name} must be at most ${MAX_TIMER_DELAY_MS} ms`);
  }
  return value;
}

/**
 * Checks every option of {@link connectDataChannel} except the credentials, so that a caller who obtains
 * the credentials first (an API call) can refuse bad settings before starting anything.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`
 */
export function checkChannelSettings(settings: DataChannelSettings): void {
  resolveChannelSettings(settings);
}

/**
 * Checks every option, the credentials and the URL policy included, and resolves the defaults.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`, `INSECURE_URL`
 */
export function resolveConnectOptions(
  options: ConnectDataChannelOptions,
  shape: OptionShape = NODE_SHAPE,
): ResolvedChannelOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('the data channel options must be an object');
  }
  const resolved = resolveChannelSettings(options, shape);
  checkCredentials(options);
  return resolved;
}

function resolveChannelSettings(
  settings: DataChannelSettings,
  shape: OptionShape = NODE_SHAPE,
): ResolvedChannelOptions {
  if (typeof settings !== 'object' || settings === null) {
    throw invalid('the data channel options must be an object');
  }
  checkKeys(settings, shape.topLevel, '');
  if (settings.signal !== undefined && !(settings.signal instanceof AbortSignal)) {
    throw invalid('signal must be an AbortSignal');
  }
  const reconnect = group(settings, 'reconnect', shape);
  const timeouts = group(settings, 'timeouts', shape);
  const limits = group(settings, 'limits', shape);
  const t = CHANNEL_DEFAULTS.timeouts;
  const l = CHANNEL_DEFAULTS.limits;
  const stallMs = positiveInteger('timeouts.stallMs', timeouts.stallMs, t.stallMs);
  const engine: Partial<ClientEngineOptions> = {
    startTimeoutMs: positiveInteger('timeouts.startMs', timeouts.startMs, t.startMs),
    giveUpAfterMs: stallMs,
    receiveBudgetBytes: positiveInteger(
      'limits.outputBufferBytes',
      limits.outputBufferBytes,
      l.outputBufferBytes,
    ),
    maxUnackedBytes: positiveInteger('limits.inputWindowBytes', limits.inputWindowBytes, l.inputWindowBytes),
    maxReorderBytes: positiveInteger(
      'limits.reorderBufferBytes',
      limits.reorderBufferBytes,
      l.reorderBufferBytes,
    ),
  };
  if (settings.terminalSize !== undefined) engine.terminalSize = settings.terminalSize;
  // The engine checks the terminal size (and everything else once more) as it will when the channel starts.
  resolveClientOptions({
    ...engine,
    sendFrame: () => undefined,
    onOutput: () => undefined,
    onClose: () => undefined,
    onError: () => undefined,
  });
  return {
    signal: settings.signal,
    logger: settings.logger,
    reconnect: settings.reconnect === undefined ? undefined : resolveReconnect(reconnect),
    engine,
    transport: {
      connectMs: positiveInteger('timeouts.connectMs', timeouts.connectMs, t.connectMs),
      maxMessageBytes: positiveInteger('limits.maxMessageBytes', limits.maxMessageBytes, l.maxMessageBytes),
      pingIntervalMs: positiveInteger('timeouts.pingIntervalMs', timeouts.pingIntervalMs, t.pingIntervalMs),
      pongMs: positiveInteger('timeouts.pongMs', timeouts.pongMs, t.pongMs),
      stallMs,
    },
  };
}

function resolveReconnect(reconnect: Record<string, unknown>): ReconnectPolicy {
  const credentials = reconnect.credentials;
  if (typeof credentials !== 'function') throw invalid('reconnect.credentials must be a function');
  const r = CHANNEL_DEFAULTS.reconnect;
  return {
    credentials: credentials as ReconnectOptions['credentials'],
    maxAttempts: positiveInteger('reconnect.maxAttempts', reconnect.maxAttempts, r.maxAttempts),
    initialDelayMs: positiveInteger('reconnect.initialDelayMs', reconnect.initialDelayMs, r.initialDelayMs),
    maxDelayMs: positiveInteger('reconnect.maxDelayMs', reconnect.maxDelayMs, r.maxDelayMs),
    credentialsTimeoutMs: positiveInteger(
      'reconnect.credentialsTimeoutMs',
      reconnect.credentialsTimeoutMs,
      r.credentialsTimeoutMs,
    ),
  };
}

/**
 * Checks a `{ streamUrl, tokenValue }` pair (the URL policy too) without ever echoing the token.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`, `INSECURE_URL`
 */
export function checkCredentials(credentials: StreamCredentials): void {
  if (typeof credentials !== 'object' || credentials === null) {
    throw invalid('credentials must be an object { streamUrl, tokenValue }');
  }
  if (typeof credentials.streamUrl !== 'string' || credentials.streamUrl === '') {
    throw invalid('streamUrl must be a non-empty string');
  }
  if (typeof credentials.tokenValue !== 'string' || credentials.tokenValue === '') {
    throw invalid('tokenValue must be a non-empty string');
  }
  checkStreamUrl(credentials.streamUrl);
}

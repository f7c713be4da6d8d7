/**
 * Options of {@link connectDataChannel}, checked and split into the parts each layer takes.
 */
import type { ChannelLogger, ReconnectContext, StreamCredentials, TerminalSize } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { type ClientEngineOptions, resolveClientOptions } from '../protocol/client-options.js';
import { resolveTransportSettings, type TransportOptions } from '../transport/transport-options.js';
import { checkStreamUrl } from '../transport/url-policy.js';
import { MAX_TIMER_DELAY_MS } from './deadline-timer.js';
import { RECONNECT_DEFAULTS, type ReconnectPolicy } from './reconnect-policy.js';

/** Options of {@link connectDataChannel}. Every bound has a documented default. */
export interface ConnectDataChannelOptions extends StreamCredentials {
  /** Closes the channel (or aborts the connection) when aborted. */
  signal?: AbortSignal;
  /** Terminal size sent when the session starts. @default none: nothing is sent until `resize()` */
  terminalSize?: TerminalSize;
  /**
   * Returns fresh credentials for the same session after an unexpected connection loss (for SSM,
   * `ResumeSession`; for GameLift Streams, a new `CreateStreamSessionAdminShell`). Without it a lost
   * connection ends the channel with `CONNECTION_LOST`.
   */
  reconnect?: (context: ReconnectContext) => Promise<StreamCredentials>;
  /** Diagnostics; messages never contain the token. */
  logger?: ChannelLogger;
  /** Time allowed for each WebSocket connection (TCP, TLS, upgrade). @default 10000 */
  connectTimeoutMs?: number;
  /** Time from the connection to the start of the session (handshake or first output). @default 30000 */
  startTimeoutMs?: number;
  /** Largest inbound WebSocket message. @default 1048576 */
  maxPayload?: number;
  /** Interval of WebSocket keepalive pings. @default 20000 */
  pingIntervalMs?: number;
  /** A ping unanswered this long ends the connection with `PEER_UNRESPONSIVE`. @default 20000 */
  pongTimeoutMs?: number;
  /** ClientVersion announced to the service and the agent. @default '1.0.0.0' */
  clientVersion?: string;
  /** Most unacknowledged input messages; writes wait beyond it. @default 1024 */
  maxUnackedMessages?: number;
  /** Most unacknowledged input bytes (frames); writes wait beyond it. @default 262144 */
  maxUnackedBytes?: number;
  /** Output messages held out of order. @default 1024 */
  maxReorderMessages?: number;
  /** Output bytes held out of order. @default 1048576 */
  maxReorderBytes?: number;
  /**
   * Output a reader (the stream itself, `stderr`) may leave untaken, counted as bytes plus 320 per message
   * held; beyond it the channel stops taking output and leaves it unacknowledged, so the agent holds it and
   * resends later, and stops reading the socket until the reader took what was held. @default 1048576
   */
  receiveBudgetBytes?: number;
  /** Time without acknowledgement progress before `RETRANSMIT_GIVE_UP`. @default 300000 */
  giveUpAfterMs?: number;
  /** Reconnection attempts after one loss before `RECONNECT_FAILED`. @default 6 */
  maxReconnectAttempts?: number;
  /** Delay before the first reconnection attempt (jittered up to twice that). @default 100 */
  reconnectInitialDelayMs?: number;
  /** Largest delay between reconnection attempts. @default 5000 */
  reconnectMaxDelayMs?: number;
  /**
   * Longest wait for one call of `reconnect`; past it the call's `signal` is aborted and the channel ends
   * with `RECONNECT_FAILED`. @default 120000
   */
  reconnectTimeoutMs?: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new SsmChannelError('INVALID_ARGUMENT', `${name} must be a positive integer`);
  }
  if (name.endsWith('Ms') && value > MAX_TIMER_DELAY_MS) {
    throw new SsmChannelError('INVALID_ARGUMENT', `${name} must be at most ${MAX_TIMER_DELAY_MS} ms`);
  }
  return value;
}

/** The options of {@link connectDataChannel} other than the credentials. */
export type DataChannelSettings = Omit<ConnectDataChannelOptions, 'streamUrl' | 'tokenValue'>;

/**
 * Checks every option of {@link connectDataChannel} except the credentials, so that a caller who obtains
 * the credentials first (an API call) can refuse bad settings before starting anything.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`
 */
export function checkChannelSettings(settings: DataChannelSettings): void {
  resolveChannelSettings(settings);
}

/**
 * Checks the options that must be right before anything starts.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`, `INSECURE_URL`
 */
export function checkConnectOptions(options: ConnectDataChannelOptions): ReconnectPolicy {
  const policy = resolveChannelSettings(options);
  checkCredentials(options);
  return policy;
}

function resolveChannelSettings(options: DataChannelSettings): ReconnectPolicy {
  if (typeof options !== 'object' || options === null) {
    throw new SsmChannelError('INVALID_ARGUMENT', 'the data channel options must be an object');
  }
  if (options.reconnect !== undefined && typeof options.reconnect !== 'function') {
    throw new SsmChannelError('INVALID_ARGUMENT', 'reconnect must be a function');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new SsmChannelError('INVALID_ARGUMENT', 'signal must be an AbortSignal');
  }
  positiveInteger('receiveBudgetBytes', options.receiveBudgetBytes, 1);
  // Every layer checks its own options again when it starts; a bad one must fail here, at once.
  resolveTransportSettings({
    ...transportSettings(options),
    streamUrl: 'ws://127.0.0.1/',
    openFrame: '-',
    onFrame: () => undefined,
    onClose: () => undefined,
  });
  resolveClientOptions({
    ...engineLimits(options),
    sendFrame: () => undefined,
    onOutput: () => undefined,
    onClose: () => undefined,
    onError: () => undefined,
  });
  return {
    maxAttempts: positiveInteger(
      'maxReconnectAttempts',
      options.maxReconnectAttempts,
      RECONNECT_DEFAULTS.maxAttempts,
    ),
    initialDelayMs: positiveInteger(
      'reconnectInitialDelayMs',
      options.reconnectInitialDelayMs,
      RECONNECT_DEFAULTS.initialDelayMs,
    ),
    maxDelayMs: positiveInteger(
      'reconnectMaxDelayMs',
      options.reconnectMaxDelayMs,
      RECONNECT_DEFAULTS.maxDelayMs,
    ),
    callbackTimeoutMs: positiveInteger(
      'reconnectTimeoutMs',
      options.reconnectTimeoutMs,
      RECONNECT_DEFAULTS.callbackTimeoutMs,
    ),
  };
}

/** The transport options taken from the channel options, without the keys the caller left out. */
export function transportSettings(
  o: DataChannelSettings,
): Pick<TransportOptions, 'connectTimeoutMs' | 'maxPayload' | 'pingIntervalMs' | 'pongTimeoutMs' | 'logger'> {
  return {
    ...(o.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: o.connectTimeoutMs }),
    ...(o.maxPayload === undefined ? {} : { maxPayload: o.maxPayload }),
    ...(o.pingIntervalMs === undefined ? {} : { pingIntervalMs: o.pingIntervalMs }),
    ...(o.pongTimeoutMs === undefined ? {} : { pongTimeoutMs: o.pongTimeoutMs }),
    ...(o.logger === undefined ? {} : { logger: o.logger }),
  };
}

/** The engine options taken from the channel options, without the keys the caller left out. */
export function engineLimits(o: DataChannelSettings): Partial<ClientEngineOptions> {
  const limits: Partial<ClientEngineOptions> = {};
  if (o.terminalSize !== undefined) limits.terminalSize = o.terminalSize;
  if (o.clientVersion !== undefined) limits.clientVersion = o.clientVersion;
  if (o.maxUnackedMessages !== undefined) limits.maxUnackedMessages = o.maxUnackedMessages;
  if (o.maxUnackedBytes !== undefined) limits.maxUnackedBytes = o.maxUnackedBytes;
  if (o.maxReorderMessages !== undefined) limits.maxReorderMessages = o.maxReorderMessages;
  if (o.maxReorderBytes !== undefined) limits.maxReorderBytes = o.maxReorderBytes;
  // The output feeds hold the budget; the engine follows them through setReadPaused().
  limits.receiveBudgetBytes = Number.POSITIVE_INFINITY;
  if (o.giveUpAfterMs !== undefined) limits.giveUpAfterMs = o.giveUpAfterMs;
  if (o.startTimeoutMs !== undefined) limits.startTimeoutMs = o.startTimeoutMs;
  return limits;
}

/**
 * Checks a `{ streamUrl, tokenValue }` pair (the URL policy too) without ever echoing the token.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`, `INSECURE_URL`
 */
export function checkCredentials(credentials: StreamCredentials): void {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new SsmChannelError('INVALID_ARGUMENT', 'credentials must be an object { streamUrl, tokenValue }');
  }
  if (typeof credentials.streamUrl !== 'string' || credentials.streamUrl === '') {
    throw new SsmChannelError('INVALID_ARGUMENT', 'streamUrl must be a non-empty string');
  }
  if (typeof credentials.tokenValue !== 'string' || credentials.tokenValue === '') {
    throw new SsmChannelError('INVALID_ARGUMENT', 'tokenValue must be a non-empty string');
  }
  checkStreamUrl(credentials.streamUrl);
}

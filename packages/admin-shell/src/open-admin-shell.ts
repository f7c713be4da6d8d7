import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import {
  CHANNEL_DEFAULTS,
  type ChannelLimits,
  type ChannelTimeouts,
  checkChannelSettings,
  connectDataChannel,
  type DataChannel,
  type ReconnectContext,
  type ReconnectOptions,
  SsmChannelError,
  type StreamCredentials,
  type TerminalSize,
} from 'ssm-channel';
import { ACCESS_DEFAULTS, type AdminShellAccess, requestAdminShellAccess } from './access-request.js';
import { type RetryOptions, resolveRetryOptions } from './backoff.js';
import { channelErrorCode, mapChannelError } from './channel-errors.js';
import { guardClientEndpoint } from './endpoint-guard.js';
import { AdminShellError } from './errors.js';
import { type CheckedIdentifiers, checkIdentifiers, checkRegion, checkRegionName } from './identifiers.js';
import { linkSignals } from './linked-signal.js';
import type { AdminShellLogger } from './logger.js';
import { checkMilliseconds, checkSignal, MAX_TIMER_MS, shownValue } from './option-checks.js';
import { printableText } from './printable-text.js';
import {
  CLIENT_DEFAULTS,
  type ClientSettings,
  createGameLiftStreamsClient,
  resolveClientRegion,
} from './sdk-client.js';

/** Options of {@link openAdminShell}: the stream session, a few common settings, and two groups. */
export interface OpenAdminShellOptions {
  /** The stream group: `sg-1AB2C3De4` or its ARN. */
  streamGroupId: string;
  /** The stream session: `ABC123def4567` or its ARN (which names the stream group too). */
  streamSessionId: string;
  /** Aborts the API calls, the connection and the open shell. */
  signal?: AbortSignal;
  /** The initial terminal size, sent once the channel is open. */
  terminalSize?: TerminalSize;
  /** Diagnostics: each API call, connect, handshake and reconnect. The token never appears. */
  logger?: AdminShellLogger;
  /** How the GameLift Streams API is called. */
  api?: ApiOptions;
  /** The data channel's timeouts, limits and reconnection, as `connectDataChannel` takes them. */
  channel?: ChannelOptions;
}

/**
 * `api`: the GameLift Streams API calls (CreateStreamSessionAdminShell, and GetStreamSession for clearer
 * errors). Either `client`, or the settings to build one from (`region`, `profile`, `endpoint`,
 * `credentials`), not both.
 */
export interface ApiOptions extends Omit<ClientSettings, 'connectionTimeoutMs' | 'requestTimeoutMs'> {
  /**
   * The client to call the API with. When absent, one is built from the settings and the SDK's usual chain
   * (with the region of an ARN when nothing else names one), and destroyed when the shell closes. An
   * injected client gets the endpoint rule of {@link ClientSettings.endpoint} too (a middleware, added once).
   */
  client?: GameLiftStreamsClient;
  /** How 409 (not ready) and 429 (throttled) answers are retried. */
  retry?: RetryOptions;
  /**
   * The longest time one API call may take (each attempt), even with an injected `client` that has no
   * timeouts of its own; past it the call is aborted and the promise rejects with `NETWORK_ERROR`. A client
   * built here also gives up on a TCP connection after 10 s at most. A whole number from 1 to 2^31 − 1.
   * @default 15_000
   */
  callTimeoutMs?: number;
}

/**
 * `channel`: the data channel's groups (see `ssm-channel`'s `connectDataChannel`). `timeouts.connectMs` is
 * further cut to what is left of the StreamUrl's 60 s lifetime; `reconnect.credentialsTimeoutMs` defaults
 * to what the API calls of one reconnection may take (`api.retry.maxWaitMs` plus two calls and 5 s).
 */
export interface ChannelOptions {
  timeouts?: ChannelTimeouts;
  limits?: ChannelLimits;
  /** How a lost connection is resumed; the fresh credentials come from a new API call. */
  reconnect?: Omit<ReconnectOptions, 'credentials'>;
}

/** What CreateStreamSessionAdminShell returned, minus the token, and what it was called for. */
export interface AdminShellInfo {
  /** The Session Manager session ID of the terminal session. */
  readonly sessionId: string;
  /** The WebSocket URL of the first connection (it expires 60 s after the call). */
  readonly streamUrl: string;
  /** The stream group ID (not the ARN). */
  readonly streamGroupId: string;
  /** The stream session ID (not the ARN). */
  readonly streamSessionId: string;
  /** The region the API was called in. */
  readonly region: string;
}

/** An open admin shell: the data channel (a Duplex of raw terminal bytes) plus {@link AdminShellInfo}. */
export type AdminShell = DataChannel & AdminShellInfo;

/** How long a StreamUrl and its token stay usable for a new connection, from the API's answer. */
const URL_LIFETIME_MS = 60_000;

const TOP_LEVEL = ['streamGroupId', 'streamSessionId', 'signal', 'terminalSize', 'logger', 'api', 'channel'];
const API_KEYS = ['client', 'region', 'profile', 'endpoint', 'credentials', 'retry', 'callTimeoutMs'];
const CHANNEL_KEYS = ['timeouts', 'limits', 'reconnect'];
const CLIENT_SETTINGS = ['region', 'profile', 'endpoint', 'credentials'] as const;
// Connect failures that a fresh URL and token can cure (the first ones may have expired in flight).
const RETRY_WITH_FRESH_URL = new Set(['AUTH_FAILED', 'CONNECT_TIMEOUT']);

/**
 * An options group: absent, or an object of known keys only (a misspelling, or an option of an older
 * version, is named rather than ignored).
 * @throws {AdminShellError} `INVALID_ARGUMENT`
 */
function optionGroup(value: unknown, known: readonly string[], where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw new AdminShellError('INVALID_ARGUMENT', `${where} must be an object, not ${shownValue(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new AdminShellError(
        'INVALID_ARGUMENT',
        `${where === 'options' ? '' : `${where}.`}${key} is not an option (options: ${known.join(', ')}).`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/**
 * Checks the data-channel settings as `connectDataChannel` will, so that a bad one fails before any call.
 * @throws {AdminShellError} `INVALID_ARGUMENT` with the channel's message.
 */
function checkChannel(options: OpenAdminShellOptions): void {
  optionGroup(options.channel, CHANNEL_KEYS, 'channel');
  const { terminalSize } = options;
  const { timeouts, limits, reconnect } = options.channel ?? {};
  try {
    checkChannelSettings({
      ...(timeouts === undefined ? {} : { timeouts }),
      ...(limits === undefined ? {} : { limits }),
      ...(reconnect === undefined ? {} : { reconnect: { ...reconnect, credentials: noCredentials } }),
      ...(terminalSize === undefined ? {} : { terminalSize }),
    });
  } catch (cause) {
    if (!(cause instanceof SsmChannelError)) throw cause;
    throw new AdminShellError('INVALID_ARGUMENT', `channel settings: ${cause.message}`, { cause });
  }
}

function noCredentials(): Promise<StreamCredentials> {
  return Promise.reject(new Error('no credentials'));
}

/**
 * Opens the admin shell of a GameLift Streams stream session: checks both identifiers, calls
 * CreateStreamSessionAdminShell (retrying 409 and 429 within `retry.maxWaitMs`), and connects the SSM data
 * channel within the URL's lifetime.
 *
 * Reconnection: when the WebSocket drops, the channel asks for fresh credentials and this calls the API
 * again. If the service answers with a **different SessionId**, that is a new terminal session with a new
 * shell, not the one the bytes so far came from: the reconnection fails with `SESSION_REPLACED` (the channel
 * ends with that error as the cause), and nothing of the new shell is ever read, so two shells are never
 * spliced into one stream. The unused new session expires on the service side.
 *
 * @throws {AdminShellError} at once, before any call, for bad arguments (`INVALID_IDENTIFIER`,
 *   `IDENTIFIER_MISMATCH`, `REGION_MISMATCH`, `INVALID_ARGUMENT`: a region that is not a region name, a
 *   number option that is not a whole number in its range, a `signal` that is not an AbortSignal, bad
 *   `retry` or `channel` settings, a non-loopback `http://` endpoint); the promise rejects with an
 *   `AdminShellError` for every failure of the API call or the connection (codes in the package README).
 *   An `http://` endpoint that the SDK takes from the environment or a profile rejects with
 *   `INVALID_ARGUMENT` before anything is sent.
 */
export function openAdminShell(options: OpenAdminShellOptions): Promise<AdminShell> {
  if (typeof options !== 'object' || options === null) {
    throw new AdminShellError('INVALID_ARGUMENT', 'openAdminShell needs an options object.');
  }
  optionGroup(options, TOP_LEVEL, 'options');
  const api: ApiOptions = optionGroup(options.api, API_KEYS, 'api');
  const ids = checkIdentifiers(options.streamGroupId, options.streamSessionId);
  const callTimeoutMs = checkMilliseconds(
    'api.callTimeoutMs',
    api.callTimeoutMs,
    ACCESS_DEFAULTS.callTimeoutMs,
  );
  const signal = checkSignal(options.signal);
  const { maxWaitMs } = resolveRetryOptions(api.retry);
  checkChannel(options);
  if (api.client !== undefined) {
    const both = CLIENT_SETTINGS.filter((key) => api[key] !== undefined);
    if (both.length > 0) {
      throw new AdminShellError(
        'INVALID_ARGUMENT',
        `Pass either api.client or api.${both.join(', api.')}: the client already has its own settings.`,
      );
    }
  }
  if (api.region !== undefined) checkRegion(ids, checkRegionName(api.region));
  if (api.client !== undefined) guardClientEndpoint(api.client);
  if (signal?.aborted) {
    return Promise.reject(new AdminShellError('ABORTED', 'The operation was aborted.'));
  }
  const ownClient = api.client === undefined;
  const client =
    api.client ??
    createGameLiftStreamsClient({
      ...(api.region === undefined
        ? ids.region === undefined
          ? {}
          : { region: ids.region }
        : { region: api.region }),
      ...(api.profile === undefined ? {} : { profile: api.profile }),
      ...(api.endpoint === undefined ? {} : { endpoint: api.endpoint }),
      ...(api.credentials === undefined ? {} : { credentials: api.credentials }),
      connectionTimeoutMs: Math.min(CLIENT_DEFAULTS.connectionTimeoutMs, callTimeoutMs),
      // A backstop: the call's own deadline comes first and says how long it waited.
      requestTimeoutMs: Math.min(MAX_TIMER_MS, callTimeoutMs + 1_000),
    });
  // A reconnection makes the API request again: its retries wait up to maxWaitMs, then its last call and a
  // status lookup take up to callTimeoutMs each.
  const credentialsTimeoutMs = Math.min(MAX_TIMER_MS, maxWaitMs + 2 * callTimeoutMs + 5_000);
  return open(client, ids, options, { callTimeoutMs, credentialsTimeoutMs }).then(
    (shell) => {
      if (ownClient) {
        const destroy = (): void => client.destroy();
        shell.whenClosed.then(destroy, destroy);
      }
      return shell;
    },
    (error: unknown) => {
      if (ownClient) client.destroy();
      throw error;
    },
  );
}

async function open(
  client: GameLiftStreamsClient,
  ids: CheckedIdentifiers,
  options: OpenAdminShellOptions,
  derived: { callTimeoutMs: number; credentialsTimeoutMs: number },
): Promise<AdminShell> {
  const { signal, logger } = options;
  const retry = options.api?.retry;
  const settings: ChannelOptions = options.channel ?? {};
  const region = await resolveClientRegion(client);
  checkRegion(ids, region);
  const request = (requestSignal: AbortSignal | undefined): Promise<AdminShellAccess> =>
    requestAdminShellAccess(client, ids, {
      region,
      signal: requestSignal,
      retry,
      logger,
      callTimeoutMs: derived.callTimeoutMs,
    });

  let access = await request(signal);
  let connectedSessionId = access.sessionId;
  let replaced: AdminShellError | undefined;
  let opened: DataChannel | undefined;

  const reconnect = async (context: ReconnectContext): Promise<StreamCredentials> => {
    if (replaced !== undefined) throw replaced;
    logger?.info?.('reconnecting: asking for a fresh stream URL', { attempt: context.attempt });
    const both = linkSignals(context.signal, signal);
    const fresh = await request(both.signal).finally(both.release);
    if (fresh.sessionId !== connectedSessionId) {
      replaced = new AdminShellError(
        'SESSION_REPLACED',
        `The connection dropped, and the service answered with a new terminal session ` +
          `(${printableText(fresh.sessionId, 100)}) ` +
          `instead of ${printableText(connectedSessionId, 100)}: the shell you were using is gone. Open the admin ` +
          'shell again.',
      );
      logger?.warn?.('the service replaced the terminal session; not reconnecting', {
        was: connectedSessionId,
        now: fresh.sessionId,
      });
      // End the channel now rather than after the channel's remaining reconnection attempts.
      opened?.destroy(
        new SsmChannelError('RECONNECT_FAILED', 'the service replaced the terminal session', {
          cause: replaced,
        }),
      );
      throw replaced;
    }
    return { streamUrl: fresh.streamUrl, tokenValue: fresh.tokenValue };
  };

  const connect = (creds: AdminShellAccess): Promise<DataChannel> => {
    const remaining = creds.receivedAt + URL_LIFETIME_MS - Date.now();
    logger?.info?.('connecting the data channel', { sessionId: creds.sessionId, msLeft: remaining });
    const connectMs = settings.timeouts?.connectMs ?? CHANNEL_DEFAULTS.timeouts.connectMs;
    return connectDataChannel({
      streamUrl: creds.streamUrl,
      tokenValue: creds.tokenValue,
      reconnect: {
        credentialsTimeoutMs: derived.credentialsTimeoutMs,
        ...settings.reconnect,
        credentials: reconnect,
      },
      timeouts: {
        ...settings.timeouts,
        connectMs: Math.max(1, Math.floor(Math.min(connectMs, remaining))),
      },
      ...(settings.limits === undefined ? {} : { limits: settings.limits }),
      ...(signal === undefined ? {} : { signal }),
      ...(options.terminalSize === undefined ? {} : { terminalSize: options.terminalSize }),
      ...(logger === undefined ? {} : { logger }),
    });
  };

  let channel: DataChannel;
  try {
    channel = await connect(access);
  } catch (error) {
    const code = channelErrorCode(error);
    if (signal?.aborted || code === undefined || !RETRY_WITH_FRESH_URL.has(code))
      throw mapChannelError(error);
    logger?.info?.('the first connection failed; trying once more with a fresh stream URL', { code });
    access = await request(signal);
    connectedSessionId = access.sessionId;
    try {
      channel = await connect(access);
    } catch (again) {
      throw mapChannelError(again);
    }
  }
  opened = channel;
  const started = channel.session;
  logger?.info?.(started?.handshake ? 'handshake complete' : 'session started without a handshake', {
    ...(started?.agentVersion === undefined ? {} : { agentVersion: started.agentVersion }),
    ...(started?.sessionType === undefined ? {} : { sessionType: started.sessionType }),
  });
  logger?.info?.('admin shell open', { sessionId: access.sessionId });
  const info: AdminShellInfo = {
    sessionId: access.sessionId,
    streamUrl: access.streamUrl,
    streamGroupId: ids.streamGroup.id,
    streamSessionId: ids.streamSession.id,
    region,
  };
  for (const [key, value] of Object.entries(info)) {
    Object.defineProperty(channel, key, { value, enumerable: true, writable: false, configurable: false });
  }
  return channel as AdminShell;
}

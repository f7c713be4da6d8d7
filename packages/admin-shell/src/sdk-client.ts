import { GameLiftStreamsClient, type GameLiftStreamsClientConfig } from '@aws-sdk/client-gameliftstreams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AdminShellError } from './errors.js';
import { isLoopbackHost } from './loopback.js';

/** How to build a `GameLiftStreamsClient` when none is injected. Unset fields use the SDK's usual chain. */
export interface ClientSettings {
  /** AWS region, e.g. `us-west-2`. Default: `AWS_REGION`, then the profile's `region`. */
  region?: string;
  /** Named profile of the shared config and credentials files. Default: `AWS_PROFILE`, then `default`. */
  profile?: string;
  /**
   * Endpoint URL. `https://` for any host; `http://` only for a loopback host (`127.0.0.0/8`, `::1`,
   * `localhost`), e.g. `http://127.0.0.1:4566` for an emulator, since requests are signed and the answer
   * carries the token. Default: the region's public endpoint.
   */
  endpoint?: string;
  /** Credentials or a credentials provider. Default: the SDK's default provider chain. */
  credentials?: GameLiftStreamsClientConfig['credentials'];
  /**
   * The longest wait for the TCP connection to the endpoint to be established, in ms.
   * @default 10_000
   */
  connectionTimeoutMs?: number;
  /**
   * The longest time one HTTP request may take, from sending it to the end of the answer, in ms. An endpoint
   * that accepts the connection and never answers fails with `NETWORK_ERROR` after this long.
   * @default 15_000
   */
  requestTimeoutMs?: number;
}

/** Defaults of the timeouts in {@link ClientSettings}. */
export const CLIENT_DEFAULTS = { connectionTimeoutMs: 10_000, requestTimeoutMs: 15_000 } as const;

function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new AdminShellError('INVALID_ARGUMENT', `${name} must be a positive number of milliseconds.`);
  }
  return value;
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The endpoint URL ${JSON.stringify(endpoint)} is not a URL. Give e.g. https://gameliftstreams.us-west-2.amazonaws.com.`,
      { cause },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The endpoint URL must start with https:// or http://, not ${url.protocol}//.`,
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The endpoint URL uses http:// for ${url.hostname}, which would send the signed request and the ` +
        'session token in clear. Use https://; http:// is allowed only for 127.0.0.1, ::1 or localhost.',
    );
  }
}

/**
 * Builds a `GameLiftStreamsClient` from explicit settings and the SDK's usual chain. The SDK's own retries
 * are turned off (`maxAttempts: 1`): 409 and 429 answers are retried by this package, with a bounded wait.
 * Every request is bounded by `connectionTimeoutMs` and `requestTimeoutMs`; a timeout surfaces as a
 * `TimeoutError`, which this package maps to `NETWORK_ERROR`.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for an endpoint that is not an http(s) URL, an `http://`
 *   endpoint whose host is not loopback, or a timeout that is not a positive number.
 */
export function createGameLiftStreamsClient(settings: ClientSettings): GameLiftStreamsClient {
  const connectionTimeout = timeout(
    'connectionTimeoutMs',
    settings.connectionTimeoutMs,
    CLIENT_DEFAULTS.connectionTimeoutMs,
  );
  const requestTimeout = timeout(
    'requestTimeoutMs',
    settings.requestTimeoutMs,
    CLIENT_DEFAULTS.requestTimeoutMs,
  );
  if (settings.endpoint !== undefined) checkEndpoint(settings.endpoint);
  const config: GameLiftStreamsClientConfig = {
    maxAttempts: 1,
    // throwOnRequestTimeout: without it the handler only logs (to the console) and keeps waiting.
    requestHandler: new NodeHttpHandler({ connectionTimeout, requestTimeout, throwOnRequestTimeout: true }),
  };
  if (settings.region !== undefined) config.region = settings.region;
  if (settings.profile !== undefined) config.profile = settings.profile;
  if (settings.credentials !== undefined) config.credentials = settings.credentials;
  if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;
  return new GameLiftStreamsClient(config);
}

/**
 * Resolves the client's region (from its config or the SDK's chain).
 * @throws {AdminShellError} `REGION_MISSING` when there is none.
 */
export async function resolveClientRegion(client: GameLiftStreamsClient): Promise<string> {
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch (cause) {
    throw regionMissing(cause);
  }
  if (typeof region !== 'string' || region.length === 0) throw regionMissing(undefined);
  return region;
}

function regionMissing(cause: unknown): AdminShellError {
  return new AdminShellError(
    'REGION_MISSING',
    'No AWS region is configured. Pass --region (or the region option), set AWS_REGION, give a region in ' +
      'your profile, or use ARNs, which name their region.',
    { cause },
  );
}

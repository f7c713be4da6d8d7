import type { GameLiftStreamsClient, GameLiftStreamsClientConfig } from '@aws-sdk/client-gameliftstreams';
import { checkEndpoint, guardClientEndpoint } from './endpoint-guard.js';
import { AdminShellError, mention } from './errors.js';
import { checkRegionName } from './identifiers.js';
import { checkMilliseconds } from './option-checks.js';
import { printableText } from './printable-text.js';
import { httpHandler, sdk } from './sdk.js';

/** How to build a `GameLiftStreamsClient` when none is injected. Unset fields use the SDK's usual chain. */
export interface ClientSettings {
  /**
   * AWS region, e.g. `us-west-2`; a value that is not a region name is refused with `INVALID_ARGUMENT`.
   * Default: `AWS_REGION`, then the profile's `region`.
   */
  region?: string;
  /** Named profile of the shared config and credentials files. Default: `AWS_PROFILE`, then `default`. */
  profile?: string;
  /**
   * Endpoint URL. `https://` for any host; `http://` only for a loopback host (`127.0.0.0/8`, `::1`,
   * `localhost`), e.g. `http://127.0.0.1:4566` for an emulator, since requests are signed and the answer
   * carries the token. The same rule holds, at each request, for an endpoint the SDK takes from
   * `AWS_ENDPOINT_URL_GAMELIFTSTREAMS`, `AWS_ENDPOINT_URL` or the profile's `endpoint_url` (a middleware
   * of the client checks it).
   * Default: the region's public endpoint.
   */
  endpoint?: string;
  /** Credentials or a credentials provider. Default: the SDK's default provider chain. */
  credentials?: GameLiftStreamsClientConfig['credentials'];
  /**
   * The longest wait for the TCP connection to the endpoint to be established, in ms (1 to 2^31 − 1).
   * @default 10_000
   */
  connectionTimeoutMs?: number;
  /**
   * The longest time one HTTP request may take, from sending it to the end of the answer, in ms. An endpoint
   * that accepts the connection and never answers fails with `NETWORK_ERROR` after this long (1 to 2^31 − 1).
   * @default 15_000
   */
  requestTimeoutMs?: number;
}

/** Defaults of the timeouts in {@link ClientSettings}. */
export const CLIENT_DEFAULTS = { connectionTimeoutMs: 10_000, requestTimeoutMs: 15_000 } as const;

/**
 * Builds a `GameLiftStreamsClient` from explicit settings and the SDK's usual chain. The SDK's own retries
 * are turned off (`maxAttempts: 1`): 409 and 429 answers are retried by this package, with a bounded wait.
 * Every request is bounded by `connectionTimeoutMs` and `requestTimeoutMs`; a timeout surfaces as a
 * `TimeoutError`, which this package maps to `NETWORK_ERROR`. Every request obeys the endpoint rule
 * (checked by the client's `gameliftAdminShellEndpointGuard` middleware), whatever the source of the endpoint.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for an endpoint that is not an http(s) URL, an `http://`
 *   endpoint whose host is not loopback, a region that is not a region name, or a timeout that is not a
 *   whole number from 1 to 2^31 − 1.
 */
export function createGameLiftStreamsClient(settings: ClientSettings): GameLiftStreamsClient {
  const connectionTimeout = checkMilliseconds(
    'connectionTimeoutMs',
    settings.connectionTimeoutMs,
    CLIENT_DEFAULTS.connectionTimeoutMs,
  );
  const requestTimeout = checkMilliseconds(
    'requestTimeoutMs',
    settings.requestTimeoutMs,
    CLIENT_DEFAULTS.requestTimeoutMs,
  );
  if (settings.endpoint !== undefined) checkEndpoint(settings.endpoint);
  if (settings.region !== undefined) checkRegionName(settings.region);
  const config: GameLiftStreamsClientConfig = {
    maxAttempts: 1,
    // throwOnRequestTimeout: without it the handler only logs (to the console) and keeps waiting.
    requestHandler: new httpHandler.NodeHttpHandler({
      connectionTimeout,
      requestTimeout,
      throwOnRequestTimeout: true,
    }),
  };
  if (settings.region !== undefined) config.region = settings.region;
  if (settings.profile !== undefined) config.profile = settings.profile;
  if (settings.credentials !== undefined) config.credentials = settings.credentials;
  if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;
  const client = new sdk.GameLiftStreamsClient(config);
  guardClientEndpoint(client);
  return client;
}

/** The named profile a client's default credentials come from, and where that name was set. */
export interface ClientProfile {
  readonly name: string;
  readonly from: 'option' | 'AWS_PROFILE';
}

/**
 * The profile the SDK takes the client's credentials from, when one is named: the client's `profile`
 * setting, else `AWS_PROFILE`. Either makes the SDK skip `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
 */
export function clientProfile(client: GameLiftStreamsClient): ClientProfile | undefined {
  const configured = (client.config as { profile?: unknown }).profile;
  if (typeof configured === 'string' && configured !== '') return { name: configured, from: 'option' };
  const fromEnv = process.env.AWS_PROFILE;
  return fromEnv === undefined || fromEnv === '' ? undefined : { name: fromEnv, from: 'AWS_PROFILE' };
}

/**
 * Resolves the client's region (from its config or the SDK's chain).
 * @throws {AdminShellError} `REGION_MISSING` when there is none; `INVALID_ARGUMENT` when the SDK refuses the
 *   configured one (e.g. `AWS_REGION="us west"`).
 */
export async function resolveClientRegion(client: GameLiftStreamsClient): Promise<string> {
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch (cause) {
    throw regionRefused(cause) ?? regionMissing(cause);
  }
  if (typeof region !== 'string' || region.length === 0) throw regionMissing(undefined);
  return region;
}

function regionMissing(cause: unknown): AdminShellError {
  return new AdminShellError(
    'REGION_MISSING',
    `No AWS region is configured. Give ${mention('region')}, set AWS_REGION, give a region in ` +
      'your profile, or use ARNs, which name their region.',
    { cause },
  );
}

/** The SDK refuses a region that is not a host name label ("Region not accepted: region=…"). */
function regionRefused(cause: unknown): AdminShellError | undefined {
  const message = cause instanceof Error ? cause.message : '';
  if (!message.startsWith('Region not accepted')) return undefined;
  const value = /region="(.*)"/s.exec(message)?.[1];
  const shown = value === undefined ? '' : ` ${JSON.stringify(printableText(value, 40))}`;
  return new AdminShellError(
    'INVALID_ARGUMENT',
    `The configured AWS region${shown} is not a region name (e.g. us-west-2). Check AWS_REGION and the ` +
      'region of your profile.',
    { cause },
  );
}

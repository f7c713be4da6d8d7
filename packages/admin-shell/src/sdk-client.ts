import { GameLiftStreamsClient, type GameLiftStreamsClientConfig } from '@aws-sdk/client-gameliftstreams';
import { AdminShellError } from './errors.js';

/** How to build a `GameLiftStreamsClient` when none is injected. Unset fields use the SDK's usual chain. */
export interface ClientSettings {
  /** AWS region, e.g. `us-west-2`. Default: `AWS_REGION`, then the profile's `region`. */
  region?: string;
  /** Named profile of the shared config and credentials files. Default: `AWS_PROFILE`, then `default`. */
  profile?: string;
  /** Endpoint URL, e.g. `http://127.0.0.1:4566` for an emulator. Default: the region's public endpoint. */
  endpoint?: string;
  /** Credentials or a credentials provider. Default: the SDK's default provider chain. */
  credentials?: GameLiftStreamsClientConfig['credentials'];
}

/**
 * Builds a `GameLiftStreamsClient` from explicit settings and the SDK's usual chain. The SDK's own retries
 * are turned off (`maxAttempts: 1`): 409 and 429 answers are retried by this package, with a bounded wait.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for an endpoint that is not an http(s) URL.
 */
export function createGameLiftStreamsClient(settings: ClientSettings): GameLiftStreamsClient {
  const config: GameLiftStreamsClientConfig = { maxAttempts: 1 };
  if (settings.region !== undefined) config.region = settings.region;
  if (settings.profile !== undefined) config.profile = settings.profile;
  if (settings.credentials !== undefined) config.credentials = settings.credentials;
  if (settings.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(settings.endpoint);
    } catch (cause) {
      throw new AdminShellError(
        'INVALID_ARGUMENT',
        `The endpoint URL ${JSON.stringify(settings.endpoint)} is not a URL. Give e.g. https://gameliftstreams.us-west-2.amazonaws.com.`,
        { cause },
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AdminShellError(
        'INVALID_ARGUMENT',
        `The endpoint URL must start with https:// or http://, not ${url.protocol}//.`,
      );
    }
    config.endpoint = settings.endpoint;
  }
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

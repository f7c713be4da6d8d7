import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import type { TerminalSize } from 'ssm-channel';
import type { RetryOptions } from '../backoff.js';
import { AdminShellError } from '../errors.js';
import { parseStreamGroupIdentifier, parseStreamSessionIdentifier } from '../identifiers.js';
import type { AdminShellLogger } from '../logger.js';
import type { ApiOptions, OpenAdminShellOptions } from '../open-admin-shell.js';
import { createGameLiftStreamsClient } from '../sdk-client.js';
import type { CliArgs } from './args.js';
import type { CliIo, Diagnostics } from './cli-io.js';

/** What every mode of the command works with. */
export interface CliContext {
  readonly args: CliArgs;
  readonly io: CliIo;
  readonly diag: Diagnostics;
  /** Ends the command (SIGINT, SIGTERM, SIGHUP, stdout closed). */
  readonly signal: AbortSignal | undefined;
  /** Present with --verbose. */
  readonly logger: AdminShellLogger | undefined;
}

/** The stream group the arguments name: --stream-group, else the one in a stream session ARN. */
export function streamGroupOf(args: CliArgs): string | undefined {
  if (args.streamGroup !== undefined) return args.streamGroup;
  if (args.streamSession?.startsWith('arn:')) {
    const parsed = parseStreamSessionIdentifier(args.streamSession);
    return parsed.region === undefined
      ? parsed.streamGroupId
      : `arn:aws:gameliftstreams:${parsed.region}:${parsed.accountId}:streamgroup/${parsed.streamGroupId}`;
  }
  return undefined;
}

/** The stream group and stream session of a single-session run. */
export function singleTarget(args: CliArgs): { streamGroupId: string; streamSessionId: string } {
  if (args.streamSession === undefined) {
    throw new AdminShellError('INVALID_ARGUMENT', '--stream-session is required. See --help.');
  }
  const streamGroupId = streamGroupOf(args);
  if (streamGroupId === undefined) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      '--stream-group is required (unless --stream-session is an ARN). See --help.',
    );
  }
  return { streamGroupId, streamSessionId: args.streamSession };
}

/**
 * How 409 and 429 answers are retried: within --wait, saying once on stderr that it waits (unless --verbose
 * shows every retry, or `quiet`).
 */
function retryOptions(ctx: CliContext, quiet: boolean): RetryOptions {
  let said = false;
  const { waitSeconds } = ctx.args;
  return {
    ...(waitSeconds === undefined ? {} : { maxWaitMs: Math.round(waitSeconds * 1000) }),
    onRetry: (progress) => {
      if (said || quiet || ctx.logger !== undefined) return;
      said = true;
      const what =
        progress.reason === 'not_ready' ? 'the admin shell is not ready yet' : 'the API is throttling';
      ctx.diag.say(`${what}; retrying for up to ${Math.round(progress.maxWaitMs / 1000)} s...`);
    },
  };
}

/**
 * The API settings of a single-session run: the flags, for a client that openAdminShell builds (with an
 * ARN's region when no region is given).
 */
export function singleApi(ctx: CliContext): ApiOptions {
  const { args } = ctx;
  return {
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
    ...(args.endpointUrl === undefined ? {} : { endpoint: args.endpointUrl }),
    retry: retryOptions(ctx, false),
  };
}

/**
 * A client shared by every call of a run on many sessions (one connection pool, one credentials lookup),
 * with an ARN's region when no region is given. The caller destroys it.
 */
export function sharedClient(ctx: CliContext): GameLiftStreamsClient {
  const { args } = ctx;
  const group = args.streamGroup === undefined ? undefined : parseStreamGroupIdentifier(args.streamGroup);
  const region = args.region ?? group?.region;
  return createGameLiftStreamsClient({
    ...(region === undefined ? {} : { region }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
    ...(args.endpointUrl === undefined ? {} : { endpoint: args.endpointUrl }),
  });
}

/** The API settings of a run on many sessions: the shared client, retries within --wait, said by no one. */
export function sharedApi(ctx: CliContext, client: GameLiftStreamsClient): ApiOptions {
  return { client, retry: retryOptions(ctx, true) };
}

/**
 * The options of openAdminShell for one stream session. The one place that builds them: every mode opens
 * its sessions with these.
 */
export function shellOptions(
  ctx: CliContext,
  target: { streamGroupId: string; streamSessionId: string },
  api: ApiOptions,
  terminalSize?: TerminalSize,
): OpenAdminShellOptions {
  return {
    streamGroupId: target.streamGroupId,
    streamSessionId: target.streamSessionId,
    api,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(ctx.logger === undefined ? {} : { logger: ctx.logger }),
    ...(terminalSize === undefined ? {} : { terminalSize }),
  };
}

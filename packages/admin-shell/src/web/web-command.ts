/**
 * `gamelift-admin-shell web`: the admin shell in a browser page. The command checks the identifiers, the
 * region and the credentials, serves the page on 127.0.0.1 (`web-server.ts`), prints its one-time address,
 * calls CreateStreamSessionAdminShell whenever the page asks (the first connection and each reconnection),
 * and ends when the page says the session ended, with the exit status the terminal command would give.
 * Loaded only for `web` (the rest of the command never imports it).
 */
import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { SsmChannelError, type SsmChannelErrorCode } from 'ssm-channel';
import { type AdminShellAccess, requestAdminShellAccess } from '../access-request.js';
import type { Diagnostics } from '../cli/cli-io.js';
import { ExitCode, exitCodeFor } from '../cli/exit-codes.js';
import { exitCodeForClose } from '../cli/session-end.js';
import { type CliContext, singleTarget } from '../cli/session-options.js';
import { AdminShellError } from '../errors.js';
import { type CheckedIdentifiers, checkIdentifiers, checkRegion, checkRegionName } from '../identifiers.js';
import { linkSignals } from '../linked-signal.js';
import { clientProfile, createGameLiftStreamsClient, resolveClientRegion } from '../sdk-client.js';
import { mapServiceError } from '../service-errors.js';
import { loadPageAssets } from './web-assets.js';
import {
  type EndReport,
  startWebTerminalServer,
  type WebTerminalServer,
  type WebTerminalServerOptions,
} from './web-server.js';

/** What the page needs besides the server: the checked identifiers and a client for the API calls. */
interface Target {
  readonly ids: CheckedIdentifiers;
  readonly region: string;
  readonly client: GameLiftStreamsClient;
}

/**
 * Runs `gamelift-admin-shell web` (the arguments are parsed and checked by `parseCliArgs`).
 * @returns the exit status (the table of `--help`).
 * @throws {AdminShellError} for bad identifiers, a region, credentials or a page that is missing; the
 *   command reports them.
 */
export async function runWebMode(ctx: CliContext): Promise<number> {
  const { args } = ctx;
  const { streamGroupId, streamSessionId } = singleTarget(args);
  const ids = checkIdentifiers(streamGroupId, streamSessionId);
  if (args.region !== undefined) checkRegion(ids, checkRegionName(args.region));
  const region = args.region ?? ids.region;
  const client = createGameLiftStreamsClient({
    ...(region === undefined ? {} : { region }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
    ...(args.endpointUrl === undefined ? {} : { endpoint: args.endpointUrl }),
  });
  try {
    const target: Target = { ids, region: await resolveClientRegion(client), client };
    checkRegion(ids, target.region);
    await checkCredentials(target);
    return await serve(target, ctx);
  } finally {
    client.destroy();
  }
}

/** Resolves the credentials before the address is printed, so that their absence is told at once. */
async function checkCredentials({ client, ids, region }: Target): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    const profile = clientProfile(client);
    throw mapServiceError(error, {
      operation: 'CreateStreamSessionAdminShell',
      streamGroup: ids.streamGroup.id,
      streamSession: ids.streamSession.id,
      region,
      ...(profile === undefined ? {} : { profile }),
    });
  }
}

async function serve(target: Target, ctx: CliContext): Promise<number> {
  const { ids, region, client } = target;
  const { args, diag, logger, signal } = ctx;
  const assets = await loadPageAssets();
  let resolveEnded!: (report: EndReport | undefined) => void;
  const ended = new Promise<EndReport | undefined>((resolve) => {
    resolveEnded = resolve;
  });
  let lastApiFailure: AdminShellError | undefined;
  let calls = 0;
  const server = await listenOn(args.port, {
    assets,
    handlers: {
      claimed: () => {
        diag.say('the page opened the address (it no longer works for anyone else).');
        return { streamGroupId: ids.streamGroup.id, streamSessionId: ids.streamSession.id, region };
      },
      credentials: async (callSignal) => {
        calls += 1;
        const both = linkSignals(callSignal, signal);
        let access: AdminShellAccess;
        try {
          access = await requestAdminShellAccess(client, ids, {
            region,
            signal: both.signal,
            ...(args.waitSeconds === undefined ? {} : { retry: { maxWaitMs: args.waitSeconds * 1000 } }),
            ...(logger === undefined ? {} : { logger }),
          });
        } catch (error) {
          if (error instanceof AdminShellError) lastApiFailure = error;
          diag.say(error instanceof Error ? error.message : String(error));
          throw error;
        } finally {
          both.release();
        }
        diag.say(
          calls === 1
            ? `terminal session ${access.sessionId}: the page connects to it directly.`
            : `reconnecting: a fresh stream URL for terminal session ${access.sessionId}.`,
        );
        return access;
      },
      ended: (report) => resolveEnded(report),
    },
  });
  const onAbort = (): void => resolveEnded(undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    diag.say(`open the admin shell of stream session ${ids.streamSession.id} in a browser on this machine:`);
    diag.line(`\n  ${server.url}\n`);
    diag.say('the address works once. The command ends with the session; Ctrl-C ends both.');
    const report = await ended;
    if (report === undefined) {
      diag.say('stopped; the session in the page ends too.');
      return ExitCode.INTERRUPTED;
    }
    return exitCodeForReport(report, lastApiFailure, diag);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await server.close();
  }
}

/**
 * Starts the local server on `port` (a free one when undefined); a port that cannot be had is the user's to
 * change, and said so.
 */
async function listenOn(
  port: number | undefined,
  options: Omit<WebTerminalServerOptions, 'port'>,
): Promise<WebTerminalServer> {
  try {
    return await startWebTerminalServer({ ...options, port: port ?? 0 });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (port !== undefined && (code === 'EADDRINUSE' || code === 'EACCES')) {
      throw new AdminShellError(
        'INVALID_ARGUMENT',
        code === 'EADDRINUSE'
          ? `--port ${port} is in use on 127.0.0.1: choose another port, or leave --port out for a free one.`
          : `--port ${port} is not open to this user: choose a port above 1023, or leave --port out for a free one.`,
      );
    }
    throw error;
  }
}

/** The exit status for how the page says the session ended, as the terminal command would give it. */
function exitCodeForReport(
  report: EndReport,
  apiFailure: AdminShellError | undefined,
  diag: Diagnostics,
): number {
  switch (report.reason) {
    case 'channel_closed': {
      const code = exitCodeForClose(
        {
          reason: 'channel_closed',
          ...(report.exitCode === undefined ? {} : { exitCode: report.exitCode }),
          ...(report.output === undefined ? {} : { output: report.output }),
        },
        diag,
      );
      diag.say(`the session ended (exit status ${code}).`);
      return code;
    }
    case 'local':
      diag.say('the session was closed in the page.');
      return ExitCode.OK;
    case 'page_closed':
      // The page cannot end the shell on its way out (a shell session has no terminate message): say only
      // what is known.
      diag.say('the page was closed.');
      return ExitCode.OK;
    case 'aborted':
      return ExitCode.INTERRUPTED;
    case 'error': {
      // The API call failed: already said when it did.
      if (apiFailure !== undefined && report.code === apiFailure.code) return exitCodeFor(apiFailure.code);
      const error = new SsmChannelError(
        (report.code ?? 'CONNECTION_LOST') as SsmChannelErrorCode,
        report.message ?? '',
      );
      return exitCodeForClose({ reason: 'error', error }, diag);
    }
  }
}

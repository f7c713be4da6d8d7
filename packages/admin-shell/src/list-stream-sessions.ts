import type { GameLiftStreamsClient, ListStreamSessionsCommandOutput } from '@aws-sdk/client-gameliftstreams';
import { ACCESS_DEFAULTS } from './access-request.js';
import { type RetryOptions, retryWithBackoff } from './backoff.js';
import { startCallDeadline } from './call-deadline.js';
import { guardClientEndpoint } from './endpoint-guard.js';
import { AdminShellError } from './errors.js';
import { parseStreamGroupIdentifier } from './identifiers.js';
import type { AdminShellLogger } from './logger.js';
import type { ApiOptions } from './open-admin-shell.js';
import { checkMilliseconds, checkSignal } from './option-checks.js';
import { printableText } from './printable-text.js';
import { sdk } from './sdk.js';
import { clientProfile, createGameLiftStreamsClient, resolveClientRegion } from './sdk-client.js';
import { mapServiceError, serviceErrorName, serviceHttpStatus } from './service-errors.js';
import { SHELL_READY_STATUSES } from './session-status.js';

/** Options of {@link listStreamSessions}. */
export interface ListStreamSessionsOptions {
  /** The stream group: `sg-1AB2C3De4` or its ARN. */
  streamGroupId: string;
  /** Only sessions in this status (the API's filter). */
  status?: string;
  signal?: AbortSignal;
  logger?: AdminShellLogger;
  /** How the GameLift Streams API is called, as for `openAdminShell`. */
  api?: ApiOptions;
}

/** One stream session of a stream group, as ListStreamSessions describes it. */
export interface StreamSessionListing {
  /** The stream session ID (the last part of its ARN). */
  readonly streamSessionId: string;
  readonly arn: string;
  /** `ACTIVE`, `CONNECTED`, … (`UNKNOWN` when the service left it out). */
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt?: Date;
  readonly lastUpdatedAt?: Date;
  /** The location (AWS Region or Local Zone) the session runs in. */
  readonly location?: string;
  readonly userId?: string;
  /** Whether the status allows an admin shell ({@link SHELL_READY_STATUSES}). */
  readonly adminShell: boolean;
}

/** The most pages read: a service that keeps answering with a NextToken cannot loop forever. */
const MAX_PAGES = 10_000;

/**
 * Lists every stream session of a stream group with ListStreamSessions, following NextToken page by page.
 * Throttling (429) is retried with backoff and jitter within `api.retry.maxWaitMs` per page. The order is
 * the service's (it promises none).
 * @throws {AdminShellError} at once for a bad identifier or option (`INVALID_IDENTIFIER`,
 *   `INVALID_ARGUMENT`); the promise rejects with the codes of the API errors (`NOT_FOUND`, `ACCESS_DENIED`,
 *   `THROTTLED`, `NETWORK_ERROR`, `SERVICE_ERROR`, …) or `ABORTED`.
 */
export function listStreamSessions(options: ListStreamSessionsOptions): Promise<StreamSessionListing[]> {
  if (typeof options !== 'object' || options === null) {
    throw new AdminShellError('INVALID_ARGUMENT', 'listStreamSessions needs an options object.');
  }
  const group = parseStreamGroupIdentifier(options.streamGroupId);
  const signal = checkSignal(options.signal);
  const api = options.api ?? {};
  const callTimeoutMs = checkMilliseconds('callTimeoutMs', api.callTimeoutMs, ACCESS_DEFAULTS.callTimeoutMs);
  const { client, retry } = api;
  const own = client === undefined;
  const used =
    client ??
    createGameLiftStreamsClient({
      ...api,
      ...(api.region === undefined && group.region !== undefined ? { region: group.region } : {}),
    });
  if (!own) guardClientEndpoint(used);
  const done = (): void => {
    if (own) used.destroy();
  };
  return listAll(used, group.value, group.id, { ...options, signal, callTimeoutMs, retry }).then(
    (items) => {
      done();
      return items;
    },
    (error: unknown) => {
      done();
      throw error;
    },
  );
}

async function listAll(
  client: GameLiftStreamsClient,
  identifier: string,
  groupId: string,
  options: Omit<ListStreamSessionsOptions, 'signal'> & {
    signal: AbortSignal | undefined;
    callTimeoutMs: number;
    retry: RetryOptions | undefined;
  },
): Promise<StreamSessionListing[]> {
  const { signal, logger, callTimeoutMs } = options;
  const region = await resolveClientRegion(client);
  const profile = clientProfile(client);
  const items: StreamSessionListing[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const started = Date.now();
    let out: ListStreamSessionsCommandOutput;
    try {
      out = await retryWithBackoff(
        async (attempt) => {
          logger?.info?.('calling ListStreamSessions', { page, attempt });
          const deadline = startCallDeadline(callTimeoutMs, signal);
          try {
            return await client.send(
              new sdk.ListStreamSessionsCommand({
                Identifier: identifier,
                ...(nextToken === undefined ? {} : { NextToken: nextToken }),
                ...(options.status === undefined ? {} : { Status: options.status as never }),
              }),
              { abortSignal: deadline.signal },
            );
          } catch (error) {
            if (deadline.expired()) {
              throw new AdminShellError(
                'NETWORK_ERROR',
                `The GameLift Streams endpoint in ${region} did not answer ListStreamSessions within ` +
                  `${callTimeoutMs / 1000} s. Check the network and the region, then try again.`,
                { cause: error },
              );
            }
            throw error;
          } finally {
            deadline.clear();
          }
        },
        (error) =>
          serviceErrorName(error) === 'ThrottlingException' || serviceHttpStatus(error) === 429
            ? 'throttled'
            : undefined,
        {
          ...options.retry,
          signal,
          onRetry: (progress) => {
            logger?.info?.('throttled; retrying', { attempt: progress.attempt, delayMs: progress.delayMs });
            options.retry?.onRetry?.(progress);
          },
        },
      );
    } catch (error) {
      if (error instanceof AdminShellError) throw error;
      if (signal?.aborted)
        throw new AdminShellError('ABORTED', 'The operation was aborted.', { cause: error });
      throw mapServiceError(error, {
        operation: 'ListStreamSessions',
        streamGroup: groupId,
        region,
        waitedMs: Date.now() - started,
        ...(profile === undefined ? {} : { profile }),
      });
    }
    for (const item of out.Items ?? []) items.push(listing(item));
    nextToken = out.NextToken || undefined;
    if (nextToken === undefined) return items;
    if (seenTokens.has(nextToken)) {
      throw new AdminShellError(
        'SERVICE_ERROR',
        'ListStreamSessions answered with a NextToken it had given before; the listing would never end.',
      );
    }
    seenTokens.add(nextToken);
  }
  throw new AdminShellError('SERVICE_ERROR', `ListStreamSessions had more than ${MAX_PAGES} pages.`);
}

type Summary = NonNullable<ListStreamSessionsCommandOutput['Items']>[number];

function listing(item: Summary): StreamSessionListing {
  // The service's text: no terminal escapes in what the command may print.
  const arn = printableText(item.Arn ?? '', 300);
  const id = arn.split('/').pop() ?? '';
  const status = printableText(item.Status ?? 'UNKNOWN', 40);
  return {
    streamSessionId: id,
    arn,
    status,
    ...(item.StatusReason === undefined ? {} : { statusReason: printableText(item.StatusReason, 100) }),
    ...(item.CreatedAt === undefined ? {} : { createdAt: item.CreatedAt }),
    ...(item.LastUpdatedAt === undefined ? {} : { lastUpdatedAt: item.LastUpdatedAt }),
    ...(item.Location === undefined ? {} : { location: printableText(item.Location, 60) }),
    ...(item.UserId === undefined ? {} : { userId: printableText(item.UserId, 100) }),
    adminShell: (SHELL_READY_STATUSES as readonly string[]).includes(status),
  };
}

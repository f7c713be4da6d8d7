import {
  CreateStreamSessionAdminShellCommand,
  type GameLiftStreamsClient,
} from '@aws-sdk/client-gameliftstreams';
import { type RetryOptions, type RetryReason, type RetryRuntime, retryWithBackoff } from './backoff.js';
import { AdminShellError } from './errors.js';
import type { CheckedIdentifiers } from './identifiers.js';
import type { AdminShellLogger } from './logger.js';
import { mapServiceError, serviceErrorName, serviceHttpStatus } from './service-errors.js';
import { FINAL_STATUSES, lookUpSessionStatus, statusError } from './session-status.js';

/** What CreateStreamSessionAdminShell returned. `tokenValue` is secret: never log it. */
export interface AdminShellAccess {
  readonly sessionId: string;
  readonly streamUrl: string;
  readonly tokenValue: string;
  /** `Date.now()` when the answer arrived; the URL is valid for a limited time from then. */
  readonly receivedAt: number;
}

/** Options of {@link requestAdminShellAccess}. */
export interface AccessRequestOptions {
  readonly region?: string;
  readonly signal?: AbortSignal | undefined;
  readonly retry?: RetryOptions | undefined;
  readonly logger?: AdminShellLogger | undefined;
  readonly runtime?: RetryRuntime;
}

function classify(error: unknown): RetryReason | undefined {
  const name = serviceErrorName(error);
  if (name === 'StreamSessionAccessNotReadyException') return 'not_ready';
  if (name === 'ThrottlingException' || serviceHttpStatus(error) === 429) return 'throttled';
  return undefined;
}

/** Cuts anything after the path from a URL for logs: a query string may carry credentials. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * Calls CreateStreamSessionAdminShell, retrying 409 (StreamSessionAccessNotReady) and 429 with backoff and
 * jitter within `retry.maxWaitMs`. When the session is in a status that allows no admin shell, the error says
 * which status (looked up with GetStreamSession).
 * @throws {AdminShellError} with a code from the service error (see the package README).
 */
export async function requestAdminShellAccess(
  client: GameLiftStreamsClient,
  ids: CheckedIdentifiers,
  options: AccessRequestOptions = {},
): Promise<AdminShellAccess> {
  const { signal, logger } = options;
  const context = {
    operation: 'CreateStreamSessionAdminShell' as const,
    streamGroup: ids.streamGroup.id,
    streamSession: ids.streamSession.id,
    ...(options.region === undefined ? {} : { region: options.region }),
  };
  const explain = async (error: unknown): Promise<AdminShellError | undefined> => {
    const found = await lookUpSessionStatus(client, ids, signal);
    logger?.debug?.('GetStreamSession', { status: found?.status ?? 'unknown' });
    return found === undefined ? undefined : statusError(ids, found, error);
  };
  const call = async (attempt: number): Promise<AdminShellAccess> => {
    logger?.info?.('calling CreateStreamSessionAdminShell', {
      attempt,
      streamGroup: ids.streamGroup.value,
      streamSession: ids.streamSession.value,
    });
    try {
      const out = await client.send(
        new CreateStreamSessionAdminShellCommand({
          Identifier: ids.streamGroup.value,
          StreamSessionIdentifier: ids.streamSession.value,
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
      const { SessionId, StreamUrl, TokenValue } = out;
      if (!SessionId || !StreamUrl || !TokenValue) {
        const missing = [!SessionId && 'SessionId', !StreamUrl && 'StreamUrl', !TokenValue && 'TokenValue']
          .filter(Boolean)
          .join(', ');
        throw new AdminShellError(
          'SERVICE_ERROR',
          `CreateStreamSessionAdminShell answered without ${missing}. Try again; if it persists, report it.`,
        );
      }
      logger?.info?.('CreateStreamSessionAdminShell answered', {
        sessionId: SessionId,
        streamUrl: describeUrl(StreamUrl),
        tokenValue: '[redacted]',
      });
      return { sessionId: SessionId, streamUrl: StreamUrl, tokenValue: TokenValue, receivedAt: Date.now() };
    } catch (error) {
      if (signal?.aborted)
        throw new AdminShellError('ABORTED', 'The operation was aborted.', { cause: error });
      const reason = classify(error);
      logger?.debug?.('CreateStreamSessionAdminShell failed', {
        error: serviceErrorName(error) ?? 'unknown',
        status: serviceHttpStatus(error) ?? 'none',
      });
      // A session that has ended never becomes ready: find out at the first 409 instead of waiting in vain.
      if (reason === 'not_ready' && attempt === 1) {
        const found = await lookUpSessionStatus(client, ids, signal);
        logger?.debug?.('GetStreamSession', { status: found?.status ?? 'unknown' });
        if (found !== undefined && (FINAL_STATUSES as readonly string[]).includes(found.status)) {
          throw statusError(ids, found, error);
        }
      }
      throw error;
    }
  };
  const started = Date.now();
  try {
    return await retryWithBackoff(
      call,
      classify,
      {
        ...options.retry,
        signal,
        onRetry: (progress) => {
          logger?.info?.(`${progress.reason === 'not_ready' ? 'not ready' : 'throttled'}; retrying`, {
            attempt: progress.attempt,
            delayMs: progress.delayMs,
          });
          options.retry?.onRetry?.(progress);
        },
      },
      options.runtime,
    );
  } catch (error) {
    if (error instanceof AdminShellError) throw error;
    if (signal?.aborted) throw new AdminShellError('ABORTED', 'The operation was aborted.', { cause: error });
    const name = serviceErrorName(error);
    if (
      name === 'StreamSessionAccessNotReadyException' ||
      name === 'ValidationException' ||
      name === 'ConflictException'
    ) {
      const explained = await explain(error);
      if (explained !== undefined) throw explained;
    }
    throw mapServiceError(error, { ...context, waitedMs: Date.now() - started });
  }
}

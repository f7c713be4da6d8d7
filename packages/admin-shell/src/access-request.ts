import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { type AdminShellAccess, createAdminShellAccess } from './admin-shell-access.js';
import {
  type RetryOptions,
  type RetryReason,
  type RetryRuntime,
  resolveRetryOptions,
  retryWithBackoff,
} from './backoff.js';
import { startCallDeadline } from './call-deadline.js';
import { guardClientEndpoint, requestTargetOf } from './endpoint-guard.js';
import { AdminShellError, mention } from './errors.js';
import type { CheckedIdentifiers } from './identifiers.js';
import type { AdminShellLogger } from './logger.js';
import { checkMilliseconds, checkSignal } from './option-checks.js';
import { sdk } from './sdk.js';
import { clientProfile } from './sdk-client.js';
import { mapServiceError, serviceErrorName, serviceHttpStatus } from './service-errors.js';
import { FINAL_STATUSES, lookUpSessionStatus, statusError } from './session-status.js';

export type { AdminShellAccess } from './admin-shell-access.js';

/** Options of {@link requestAdminShellAccess}. */
export interface AccessRequestOptions {
  /** The client's region, named in error messages. */
  readonly region?: string;
  /** Aborts the calls and the waits between them (the promise rejects with `ABORTED`). */
  readonly signal?: AbortSignal | undefined;
  /** How 409 and 429 answers are retried. */
  readonly retry?: RetryOptions | undefined;
  /** Diagnostics; never given the token. */
  readonly logger?: AdminShellLogger | undefined;
  /**
   * The longest time one API call (each attempt, and the GetStreamSession lookup) may take, whatever the
   * client's own timeouts; past it the call is aborted and the promise rejects with `NETWORK_ERROR`.
   * A whole number from 1 to 2^31 − 1.
   * @default 15_000
   */
  readonly callTimeoutMs?: number | undefined;
  /** @internal Clock, randomness and sleep of the retries, for tests. */
  readonly runtime?: RetryRuntime;
}

/** Defaults of {@link AccessRequestOptions}. */
export const ACCESS_DEFAULTS = { callTimeoutMs: 15_000 } as const;

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

function callTimedOut(operation: string, timeoutMs: number, region: string | undefined, cause: unknown) {
  const where = region === undefined ? '' : ` in ${region}`;
  const target = requestTargetOf(cause);
  const at = target === undefined ? '' : ` ${target}`;
  return new AdminShellError(
    'NETWORK_ERROR',
    `The GameLift Streams endpoint${at}${where} did not answer ${operation} within ${timeoutMs / 1000} s. Check ` +
      `the network, the region and ${mention('endpoint')}, then try again.`,
    { cause },
  );
}

/**
 * Calls CreateStreamSessionAdminShell, retrying 409 (StreamSessionAccessNotReady) and 429 with backoff and
 * jitter within `retry.maxWaitMs`. When the session is in a status that allows no admin shell, the error says
 * which status (looked up with GetStreamSession). Each call is bounded by `callTimeoutMs`.
 * The answer's `tokenValue` is not enumerable and is redacted from `util.inspect` and `JSON.stringify`.
 * The endpoint rule of `createGameLiftStreamsClient` is enforced on `client` too (see `guardClientEndpoint`).
 * @throws {AdminShellError} with a code from the service error (see the package README); `NETWORK_ERROR`
 *   when a call times out; `ABORTED` when `signal` aborts; `INVALID_ARGUMENT`, before any call, for a bad
 *   `callTimeoutMs`, `signal` or `retry`, or when the request would go to a non-loopback `http://` endpoint.
 */
export async function requestAdminShellAccess(
  client: GameLiftStreamsClient,
  ids: CheckedIdentifiers,
  options: AccessRequestOptions = {},
): Promise<AdminShellAccess> {
  const { logger } = options;
  const signal = checkSignal(options.signal);
  const callTimeoutMs = checkMilliseconds(
    'callTimeoutMs',
    options.callTimeoutMs,
    ACCESS_DEFAULTS.callTimeoutMs,
  );
  resolveRetryOptions(options.retry);
  guardClientEndpoint(client);
  const profile = clientProfile(client);
  const context = {
    operation: 'CreateStreamSessionAdminShell' as const,
    streamGroup: ids.streamGroup.id,
    streamSession: ids.streamSession.id,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(profile === undefined ? {} : { profile }),
  };
  const explain = async (error: unknown): Promise<AdminShellError | undefined> => {
    const found = await lookUpSessionStatus(client, ids, signal, callTimeoutMs);
    logger?.debug?.('GetStreamSession', { status: found?.status ?? 'unknown' });
    return found === undefined ? undefined : statusError(ids, found, error);
  };
  const call = async (attempt: number): Promise<AdminShellAccess> => {
    logger?.info?.('calling CreateStreamSessionAdminShell', {
      attempt,
      streamGroup: ids.streamGroup.value,
      streamSession: ids.streamSession.value,
    });
    const deadline = startCallDeadline(callTimeoutMs, signal);
    try {
      const out = await client.send(
        new sdk.CreateStreamSessionAdminShellCommand({
          Identifier: ids.streamGroup.value,
          StreamSessionIdentifier: ids.streamSession.value,
        }),
        { abortSignal: deadline.signal },
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
      return createAdminShellAccess({
        sessionId: SessionId,
        streamUrl: StreamUrl,
        tokenValue: TokenValue,
        receivedAt: Date.now(),
      });
    } catch (error) {
      if (signal?.aborted)
        throw new AdminShellError('ABORTED', 'The operation was aborted.', { cause: error });
      if (deadline.expired()) throw callTimedOut(context.operation, callTimeoutMs, options.region, error);
      const reason = classify(error);
      logger?.debug?.('CreateStreamSessionAdminShell failed', {
        error: serviceErrorName(error) ?? 'unknown',
        status: serviceHttpStatus(error) ?? 'none',
      });
      // A session that has ended never becomes ready: find out at the first 409 instead of waiting in vain.
      if (reason === 'not_ready' && attempt === 1) {
        const found = await lookUpSessionStatus(client, ids, signal, callTimeoutMs);
        logger?.debug?.('GetStreamSession', { status: found?.status ?? 'unknown' });
        if (found !== undefined && (FINAL_STATUSES as readonly string[]).includes(found.status)) {
          throw statusError(ids, found, error);
        }
      }
      throw error;
    } finally {
      deadline.clear();
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

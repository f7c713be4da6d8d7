import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { afterEach, describe, expect, it } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import type { RetryProgress } from '../src/backoff.js';
import { AdminShellError } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { createGameLiftStreamsClient } from '../src/sdk-client.js';
import {
  type GameLiftStreamsEmulator,
  type GameLiftStreamsEmulatorOptions,
  startGameLiftStreamsEmulator,
} from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDEXAMPLE0000001',
  secretAccessKey: 'secret-key-for-tests-only-000000000000',
};
const FAST = { initialDelayMs: 10, maxDelayMs: 20, maxWaitMs: 300 };

let emulator: GameLiftStreamsEmulator | undefined;
let client: GameLiftStreamsClient | undefined;
afterEach(async () => {
  client?.destroy();
  await emulator?.close();
  emulator = client = undefined;
});

async function setUp(options: GameLiftStreamsEmulatorOptions = {}) {
  emulator = await startGameLiftStreamsEmulator({ credentials: CREDS, ...options });
  client = createGameLiftStreamsClient({
    region: emulator.region,
    endpoint: emulator.endpoint,
    credentials: CREDS,
  });
  return { em: emulator, c: client, ids: checkIdentifiers(emulator.streamGroupId, emulator.streamSessionId) };
}

async function failure(promise: Promise<unknown>): Promise<AdminShellError> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminShellError);
  return error as AdminShellError;
}

describe('requestAdminShellAccess against the API emulator', () => {
  it('keeps retrying 409 and 429 with a progress callback, then reports the next error', async () => {
    const { em, c, ids } = await setUp({
      notReadyTimes: 2,
      faults: [
        { status: 429, times: 1 },
        { status: 403, times: 1 },
      ],
    });
    const progress: RetryProgress[] = [];
    const error = await failure(
      requestAdminShellAccess(c, ids, { retry: { ...FAST, onRetry: (p) => progress.push(p) } }),
    );
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('gameliftstreams:CreateStreamSessionAdminShell');
    expect(progress.map((p) => p.reason)).toEqual(['not_ready', 'not_ready', 'throttled']);
    expect(
      em.calls
        .filter((call) => call.operation === 'CreateStreamSessionAdminShell')
        .map((call) => call.httpStatus),
    ).toEqual([409, 409, 429, 403]);
  });

  it('a service that keeps answering 409 ends in NOT_READY within the bounded wait', async () => {
    const { c, ids } = await setUp({ notReadyTimes: Number.POSITIVE_INFINITY });
    const started = Date.now();
    const error = await failure(requestAdminShellAccess(c, ids, { retry: FAST }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('NOT_READY');
    expect(error.message).toMatch(/not ready yet.*try again/i);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('an ACTIVATING session: NOT_READY that names the status', async () => {
    const { c, ids } = await setUp({ status: 'ACTIVATING' });
    const error = await failure(requestAdminShellAccess(c, ids, { retry: FAST }));
    expect(error.code).toBe('NOT_READY');
    expect(error.message).toContain('is ACTIVATING');
  });

  it('a TERMINATED session: SESSION_NOT_USABLE that names the status and reason, without waiting', async () => {
    const { em, c, ids } = await setUp({ status: 'TERMINATED' });
    em.setStatus('TERMINATED', 'apiTerminated');
    const error = await failure(requestAdminShellAccess(c, ids, { retry: { maxWaitMs: 60_000 } }));
    expect(error.code).toBe('SESSION_NOT_USABLE');
    expect(error.message).toContain('is TERMINATED (reason: apiTerminated)');
    expect(error.message).toContain('ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION, RECONNECTING');
    expect(em.calls.map((call) => call.operation)).toEqual([
      'CreateStreamSessionAdminShell',
      'GetStreamSession',
    ]);
  });

  it('a 409 for a session that has ended stops at the first answer', async () => {
    const { em, c, ids } = await setUp({ notReadyTimes: Number.POSITIVE_INFINITY });
    em.setStatus('ERROR', 'internalError');
    const error = await failure(requestAdminShellAccess(c, ids, { retry: { maxWaitMs: 60_000 } }));
    expect(error.code).toBe('SESSION_NOT_USABLE');
    expect(error.message).toContain('is ERROR');
  });

  it('maps 404, 500 and an unknown session', async () => {
    const { c, ids, em } = await setUp({ faults: [{ status: 500, times: 1 }] });
    const internal = await failure(requestAdminShellAccess(c, ids, { retry: FAST }));
    expect(internal.code).toBe('SERVICE_ERROR');
    expect(internal.message).toContain('Try again');
    const unknown = await failure(
      requestAdminShellAccess(c, checkIdentifiers(em.streamGroupId, 'NoSuchSession1'), { region: em.region }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toContain(
      `stream session NoSuchSession1 of stream group ${em.streamGroupId} was not found in us-west-2`,
    );
  });

  it('maps bad credentials and an unreachable endpoint', async () => {
    const { em, ids } = await setUp();
    const bad = createGameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: { ...CREDS, secretAccessKey: 'wrong-secret-0000000000000000000000000' },
    });
    const rejected = await failure(requestAdminShellAccess(bad, ids));
    bad.destroy();
    expect(rejected.code).toBe('CREDENTIALS_INVALID');
    const nowhere = createGameLiftStreamsClient({
      region: em.region,
      endpoint: 'http://127.0.0.1:9',
      credentials: CREDS,
    });
    const unreachable = await failure(requestAdminShellAccess(nowhere, ids));
    nowhere.destroy();
    expect(unreachable.code).toBe('NETWORK_ERROR');
    expect(unreachable.message).toContain('ECONNREFUSED');
  });

  it('an abort during the wait rejects with ABORTED', async () => {
    const { c, ids } = await setUp({ notReadyTimes: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(
      requestAdminShellAccess(c, ids, { signal: controller.signal, retry: { initialDelayMs: 5_000 } }),
    );
    expect(error.code).toBe('ABORTED');
  });
});

import { SsmChannelError } from 'ssm-channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import { RETRY_DEFAULTS, resolveRetryOptions, retryWithBackoff } from '../src/backoff.js';
import { AdminShellError } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { type ApiOptions, type OpenAdminShellOptions, openAdminShell } from '../src/open-admin-shell.js';
import { checkMilliseconds, checkSignal, MAX_TIMER_MS } from '../src/option-checks.js';
import { createGameLiftStreamsClient } from '../src/sdk-client.js';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDOPTIONSTEST00001',
  secretAccessKey: 'option-test-secret-key-0000000000000000',
};

let em: GameLiftStreamsEmulator;
beforeAll(async () => {
  // Never ready: a call that slips through bad options is retried, and so is seen in `calls`.
  em = await startGameLiftStreamsEmulator({ credentials: CREDS, notReadyTimes: 3 });
});
afterAll(async () => {
  await em.close();
});
const savedRegion = process.env.AWS_REGION;
afterEach(() => {
  if (savedRegion === undefined) delete process.env.AWS_REGION;
  else process.env.AWS_REGION = savedRegion;
});

function base(
  extra: Partial<OpenAdminShellOptions> = {},
  api: Partial<ApiOptions> = {},
): OpenAdminShellOptions {
  return {
    streamGroupId: em.streamGroupId,
    streamSessionId: em.streamSessionId,
    api: {
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
      retry: { initialDelayMs: 10, maxDelayMs: 20, maxWaitMs: 200 },
      ...api,
    },
    ...extra,
  };
}

/** `openAdminShell(options)` must throw INVALID_ARGUMENT synchronously, before any API call. */
function refusedAtOnce(options: OpenAdminShellOptions): AdminShellError {
  const callsBefore = em.calls.length;
  let result: unknown;
  try {
    result = openAdminShell(options);
  } catch (error) {
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
    expect(em.calls.length).toBe(callsBefore);
    return error as AdminShellError;
  }
  // It did not throw: settle what it started, so that nothing runs on after the test.
  (result as Promise<{ destroy(): void }>).then(
    (shell) => shell.destroy(),
    () => undefined,
  );
  return expect.unreachable('expected a synchronous INVALID_ARGUMENT');
}

async function rejectedBeforeAnyCall(promise: Promise<unknown>): Promise<AdminShellError> {
  const callsBefore = em.calls.length;
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminShellError);
  expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
  expect(em.calls.length).toBe(callsBefore);
  return error as AdminShellError;
}

describe('retry options', () => {
  const bad = [
    { initialDelayMs: Number.NaN, maxWaitMs: 1000 },
    { initialDelayMs: 0 },
    { initialDelayMs: 5 },
    { initialDelayMs: 10.5 },
    { initialDelayMs: -100 },
    { maxDelayMs: Number.NaN },
    { initialDelayMs: 200, maxDelayMs: 100 },
    { maxWaitMs: Number.POSITIVE_INFINITY },
    { maxWaitMs: -1 },
    { maxWaitMs: 2 ** 31 },
    { maxWaitMs: '1000' as unknown as number },
    { onRetry: 'log' as unknown as () => void },
  ];

  it.each(bad)('retryWithBackoff(%o) rejects with INVALID_ARGUMENT before the first call', async (retry) => {
    let calls = 0;
    const error = await retryWithBackoff(
      async () => {
        calls++;
        throw new Error(calls < 50 ? 'retryable' : 'stop');
      },
      (e) => ((e as Error).message === 'retryable' ? 'throttled' : undefined),
      retry,
      { now: () => 0, random: () => 0.5, sleep: async () => undefined },
    ).then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => e,
    );
    expect(calls).toBe(0);
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toMatch(/^retry\./);
  });

  it.each(bad)('openAdminShell({ api: { retry: %o } }) throws at once', (retry) => {
    refusedAtOnce(base({}, { retry }));
  });

  it('requestAdminShellAccess with NaN delays makes no call', async () => {
    const client = createGameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
    });
    try {
      const ids = checkIdentifiers(em.streamGroupId, em.streamSessionId);
      const error = await rejectedBeforeAnyCall(
        requestAdminShellAccess(client, ids, { retry: { initialDelayMs: Number.NaN, maxWaitMs: 1000 } }),
      );
      expect(error.message).toContain('retry.initialDelayMs');
      expect(error.message).toContain('NaN');
    } finally {
      client.destroy();
    }
  });

  it('accepts the edges and fills in the defaults', () => {
    expect(resolveRetryOptions(undefined)).toEqual(RETRY_DEFAULTS);
    expect(resolveRetryOptions({ maxWaitMs: 0 })).toEqual({ ...RETRY_DEFAULTS, maxWaitMs: 0 });
    expect(resolveRetryOptions({ initialDelayMs: 10, maxDelayMs: 10, maxWaitMs: MAX_TIMER_MS })).toEqual({
      initialDelayMs: 10,
      maxDelayMs: 10,
      maxWaitMs: MAX_TIMER_MS,
    });
    // A first wait above the default cap raises the cap rather than being refused.
    expect(resolveRetryOptions({ initialDelayMs: 10_000 }).maxDelayMs).toBe(10_000);
  });
});

describe('data-channel settings are checked before any call', () => {
  it.each([
    ['terminalSize', { terminalSize: { cols: 0, rows: 0 } }],
    ['limits.maxMessageBytes', { channel: { limits: { maxMessageBytes: -1 } } }],
    ['timeouts.startMs', { channel: { timeouts: { startMs: 1.5 } } }],
    ['limits.inputWindowBytes', { channel: { limits: { inputWindowBytes: 0 } } }],
    ['reconnect.maxAttempts', { channel: { reconnect: { maxAttempts: 0 } } }],
    ['timeouts.connectTimeoutMs', { channel: { timeouts: { connectTimeoutMs: 5 } } }],
  ] as const)('bad %s: INVALID_ARGUMENT with the channel message', (name, extra) => {
    const error = refusedAtOnce(base(extra as Partial<OpenAdminShellOptions>));
    expect(error.cause).toBeInstanceOf(SsmChannelError);
    expect(error.message).toBe(`channel settings: ${(error.cause as Error).message}`);
    expect(error.message).toContain(name === 'terminalSize' ? 'cols and rows' : name);
  });

  it('a channel that is not an object, or a key that is not an option', () => {
    let error = refusedAtOnce(
      base({ channel: 'fast' as unknown as NonNullable<OpenAdminShellOptions['channel']> }),
    );
    expect(error.message).toContain('channel must be an object');
    error = refusedAtOnce(
      base({ channel: { maxPayload: 5 } as NonNullable<OpenAdminShellOptions['channel']> }),
    );
    expect(error.message).toBe('channel.maxPayload is not an option (options: timeouts, limits, reconnect).');
  });

  it('options of the earlier, flat shape are named, not ignored', () => {
    for (const key of ['region', 'retry', 'callTimeoutMs', 'connectTimeoutMs', 'client']) {
      const error = refusedAtOnce(base({ [key]: 1 } as Partial<OpenAdminShellOptions>));
      expect(error.message).toContain(`${key} is not an option`);
    }
    const error = refusedAtOnce(base({}, { requestTimeoutMs: 5 } as Partial<ApiOptions>));
    expect(error.message).toContain('api.requestTimeoutMs is not an option');
  });
});

describe('timeouts and the signal', () => {
  it.each([2 ** 32, 1.5, 0])(
    'openAdminShell refuses api.callTimeoutMs: %d at once, naming the option and the value',
    (value) => {
      const error = refusedAtOnce(base({}, { callTimeoutMs: value }));
      expect(error.message).toContain('api.callTimeoutMs');
      expect(error.message).toContain(String(value));
      expect(error.message).toContain(String(MAX_TIMER_MS));
    },
  );

  it('openAdminShell refuses a signal that is not an AbortSignal', () => {
    const error = refusedAtOnce(base({ signal: 'nope' as unknown as AbortSignal }));
    expect(error.message).toBe('signal must be an AbortSignal, not "nope".');
  });

  it('requestAdminShellAccess refuses a bad callTimeoutMs or signal before any call', async () => {
    const client = createGameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
    });
    try {
      const ids = checkIdentifiers(em.streamGroupId, em.streamSessionId);
      for (const options of [
        { callTimeoutMs: 2 ** 32 },
        { callTimeoutMs: 0.5 },
        { signal: {} as AbortSignal },
      ]) {
        await rejectedBeforeAnyCall(requestAdminShellAccess(client, ids, options));
      }
    } finally {
      client.destroy();
    }
  });

  it('createGameLiftStreamsClient refuses timeouts that are not whole milliseconds within the timer range', () => {
    for (const bad of [2 ** 31, 1.5, Number.NaN, 0]) {
      expect(() => createGameLiftStreamsClient({ requestTimeoutMs: bad })).toThrow(/requestTimeoutMs/);
      expect(() => createGameLiftStreamsClient({ connectionTimeoutMs: bad })).toThrow(/connectionTimeoutMs/);
    }
  });

  it('the shared helpers', () => {
    expect(checkMilliseconds('x', undefined, 7)).toBe(7);
    expect(checkMilliseconds('x', MAX_TIMER_MS, 7)).toBe(MAX_TIMER_MS);
    expect(checkMilliseconds('x', 0, 7, 0)).toBe(0);
    expect(() => checkMilliseconds('x', MAX_TIMER_MS + 1, 7)).toThrow(AdminShellError);
    expect(() => checkMilliseconds('x', 2 ** 53, 7)).toThrow(AdminShellError);
    const controller = new AbortController();
    expect(checkSignal(controller.signal)).toBe(controller.signal);
    expect(checkSignal(undefined)).toBeUndefined();
    expect(() => checkSignal({ aborted: false })).toThrow(/signal must be an AbortSignal/);
  });
});

describe('a malformed region', () => {
  it('openAdminShell: INVALID_ARGUMENT naming the value, not a missing region', () => {
    const error = refusedAtOnce(base({}, { region: 'us west' }));
    expect(error.message).toBe('The region "us west" is not a region name. Give one such as us-west-2.');
  });

  it('the value is made printable and cut short', () => {
    const error = refusedAtOnce(base({}, { region: `\u001b[31mus-${'x'.repeat(200)}` }));
    expect(error.message).not.toContain('\u001b');
    expect(error.message).toContain('...');
    expect(error.message.length).toBeLessThan(150);
  });

  it('createGameLiftStreamsClient refuses it too', () => {
    expect(() => createGameLiftStreamsClient({ region: 'us west' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    createGameLiftStreamsClient({ region: 'us-gov-west-1' }).destroy();
  });

  it('AWS_REGION="us west": INVALID_ARGUMENT, not REGION_MISSING', async () => {
    process.env.AWS_REGION = 'us west';
    const options = base();
    delete options.api?.region;
    const error = await rejectedBeforeAnyCall(openAdminShell(options));
    expect(error.message).toContain('"us west" is not a region name');
    expect(error.message).toContain('AWS_REGION');
  });
});

import { request } from 'node:http';
import { GameLiftStreamsClient, GetStreamSessionCommand } from '@aws-sdk/client-gameliftstreams';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminShellError } from '../src/errors.js';
import { openAdminShell } from '../src/open-admin-shell.js';
import {
  type GameLiftStreamsEmulator,
  type GameLiftStreamsEmulatorOptions,
  type InjectedFault,
  startGameLiftStreamsEmulator,
} from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDEMUOPTIONS000001',
  secretAccessKey: 'emulator-options-secret-000000000000000',
};

let emulator: GameLiftStreamsEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function refusal(options: GameLiftStreamsEmulatorOptions): Promise<AdminShellError> {
  const error = await startGameLiftStreamsEmulator(options).then(
    async (started) => {
      await started.close();
      return expect.unreachable('expected the emulator to refuse these options');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminShellError);
  expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
  return error as AdminShellError;
}

const fault = (f: Record<string, unknown>) => f as unknown as InjectedFault;

describe('startGameLiftStreamsEmulator refuses bad options before starting', () => {
  it.each([
    ['faults', { faults: [fault({ status: 418 })] }, 'fault.status'],
    ['faults', { faults: [fault({ status: '403' })] }, 'fault.status'],
    ['faults', { faults: [fault({ status: 403, times: -3 })] }, 'fault.times'],
    ['faults', { faults: [fault({ status: 403, times: 1.5 })] }, 'fault.times'],
    ['faults', { faults: [fault({ status: 403, times: 0 })] }, 'fault.times'],
    ['faults', { faults: [fault({ status: 403, operation: 'DeleteEverything' })] }, 'fault.operation'],
    ['faults', { faults: [fault({ status: 403, message: 42 })] }, 'fault.message'],
    ['faults', { faults: 'all' as unknown as InjectedFault[] }, 'faults must be an array'],
    ['faults', { faults: [null as unknown as InjectedFault] }, 'a fault must be an object'],
    ['notReadyTimes', { notReadyTimes: -1 }, 'notReadyTimes'],
    ['notReadyTimes', { notReadyTimes: Number.NaN }, 'notReadyTimes'],
    ['notReadyTimes', { notReadyTimes: 0.5 }, 'notReadyTimes'],
    ['status', { status: 'WHATEVER' as 'ACTIVE' }, 'status must be one of ACTIVATING, ACTIVE'],
    ['region', { region: 'nope region' }, '"nope region" is not a region name'],
    ['streamGroupId', { streamGroupId: 'bad id!' }, 'streamGroupId must be 1 to 128'],
    ['streamSessionId', { streamSessionId: '' }, 'streamSessionId must be 1 to 128'],
    ['accountId', { accountId: '1234' }, 'accountId must be 12 digits'],
    ['credentials', { credentials: { accessKeyId: '', secretAccessKey: 'x' } }, 'credentials must be'],
    ['port', { port: 70_000 }, 'port must be'],
  ] as const)('bad %s (%o): INVALID_ARGUMENT', async (_name, options, text) => {
    const error = await refusal(options as GameLiftStreamsEmulatorOptions);
    expect(error.message).toContain(text);
  });

  it('accepts the edges: Infinity counts, every status, 0 not-ready answers', async () => {
    emulator = await startGameLiftStreamsEmulator({
      notReadyTimes: 0,
      status: 'PENDING_CLIENT_RECONNECTION',
      faults: [
        { status: 429, times: Number.POSITIVE_INFINITY, operation: 'GetStreamSession' },
        { status: 500, times: 1 },
      ],
    });
    expect(emulator.calls).toHaveLength(0);
  });
});

describe('changes at run time are checked too', () => {
  it('injectFault and setStatus throw INVALID_ARGUMENT and change nothing', async () => {
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS });
    const em = emulator;
    expect(() => em.injectFault(fault({ status: 418 }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => em.setStatus('WHATEVER' as 'ACTIVE')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    // The service still answers normally, and every answer is recorded.
    const client = new GameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
      maxAttempts: 1,
    });
    try {
      const out = await client.send(
        new GetStreamSessionCommand({
          Identifier: em.streamGroupId,
          StreamSessionIdentifier: em.streamSessionId,
        }),
      );
      expect(out.Status).toBe('ACTIVE');
      expect(em.calls.map((call) => call.httpStatus)).toEqual([200]);
    } finally {
      client.destroy();
    }
  });
});

describe('a request the emulator fails to handle', () => {
  it('is answered 500 and recorded in calls', async () => {
    emulator = await startGameLiftStreamsEmulator();
    const em = emulator;
    // A body over the emulator's 64 KiB limit makes the handler fail.
    await new Promise<void>((resolve) => {
      const req = request(`${em.endpoint}/streamgroups/sg-1/streamsessions/S1/access`, { method: 'POST' });
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      req.end(Buffer.alloc(200 * 1024, 0x61));
    });
    for (let i = 0; i < 50 && em.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(em.calls).toEqual([
      {
        operation: 'unknown',
        httpStatus: 500,
        errorType: 'InternalServerException',
        failure: new Error('request body too large'),
      },
    ]);
  });

  it('says what failed, and openAdminShell reports it with the cause', async () => {
    // One terminal session at most: once it has ended, the next call cannot start another.
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS, agent: { maxSessions: 1 } });
    const em = emulator;
    const session = await em.terminalSession();
    session.terminate();
    await session.ended;
    await new Promise((resolve) => setImmediate(resolve));
    const client = new GameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
    });
    try {
      const error = await openAdminShell({
        api: { client },
        streamGroupId: em.streamGroupId,
        streamSessionId: em.streamSessionId,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdminShellError);
      expect((error as AdminShellError).code).toBe('SERVICE_ERROR');
      expect((error as AdminShellError).message).toContain(
        'The emulator failed to handle the request: INVALID_ARGUMENT: the emulator holds at most 1 sessions',
      );
      expect(em.calls.at(-1)).toMatchObject({ httpStatus: 500, failure: { code: 'INVALID_ARGUMENT' } });
    } finally {
      client.destroy();
    }
  });
});

describe('the agent emulator behind it', () => {
  it('is started with it, so a bad agent option is refused at once', async () => {
    const error = await refusal({ agent: { maxSessions: 0 } });
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^the agent emulator did not start: .*maxSessions/);
  });
});

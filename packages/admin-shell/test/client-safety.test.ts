import { inspect } from 'node:util';
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { afterEach, describe, expect, it } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import { AdminShellError, commandLineMessage } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { openAdminShell } from '../src/open-admin-shell.js';
import { CLIENT_DEFAULTS, createGameLiftStreamsClient } from '../src/sdk-client.js';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { type SilentServer, startSilentServer } from './helpers/silent-server.js';

const CREDS = {
  accessKeyId: 'AKIDSAFETYTEST000001',
  secretAccessKey: 'safety-test-secret-key-000000000000000',
};
const IDS = checkIdentifiers('sg-1AB2C3De4', 'ABC123def4567');

let silent: SilentServer | undefined;
let emulator: GameLiftStreamsEmulator | undefined;
const clients: GameLiftStreamsClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await silent?.close();
  await emulator?.close();
  silent = emulator = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<AdminShellError> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminShellError);
  return error as AdminShellError;
}

describe('an endpoint that accepts the connection and never answers', () => {
  it('the built client gives up after requestTimeoutMs: NETWORK_ERROR that says what to do', async () => {
    silent = await startSilentServer();
    const client = createGameLiftStreamsClient({
      region: 'us-west-2',
      endpoint: silent.endpoint,
      credentials: CREDS,
      requestTimeoutMs: 400,
    });
    clients.push(client);
    const started = Date.now();
    const error = await rejection(requestAdminShellAccess(client, IDS, { region: 'us-west-2' }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3_000);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('did not answer CreateStreamSessionAdminShell in time');
    // The library names its own option; the command (commandLineMessage) names the flag.
    expect(error.message).toMatch(
      /endpoint http:\/\/127\.0\.0\.1:\d+ in us-west-2 .*the endpoint option, then try again\.$/,
    );
    expect(error.message).not.toContain('--');
    expect(commandLineMessage(error)).toContain('the region and --endpoint-url, then try again.');
    expect(silent.accepted()).toBe(1);
  });

  it('an injected client without timeouts is bounded by callTimeoutMs', async () => {
    silent = await startSilentServer();
    const client = new GameLiftStreamsClient({
      region: 'us-west-2',
      endpoint: silent.endpoint,
      credentials: CREDS,
      maxAttempts: 1,
    });
    clients.push(client);
    const started = Date.now();
    const error = await rejection(
      requestAdminShellAccess(client, IDS, { region: 'us-west-2', callTimeoutMs: 300 }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('did not answer CreateStreamSessionAdminShell within 0.3 s');
  });

  it('the caller aborting during the call is still ABORTED, not a timeout', async () => {
    silent = await startSilentServer();
    const client = createGameLiftStreamsClient({
      region: 'us-west-2',
      endpoint: silent.endpoint,
      credentials: CREDS,
    });
    clients.push(client);
    const error = await rejection(
      requestAdminShellAccess(client, IDS, { signal: AbortSignal.timeout(200), callTimeoutMs: 10_000 }),
    );
    expect(error.code).toBe('ABORTED');
  });

  it('timeouts have documented defaults and are checked', () => {
    expect(CLIENT_DEFAULTS).toEqual({ connectionTimeoutMs: 10_000, requestTimeoutMs: 15_000 });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createGameLiftStreamsClient({ requestTimeoutMs: bad })).toThrow(/requestTimeoutMs/);
      expect(() => createGameLiftStreamsClient({ connectionTimeoutMs: bad })).toThrow(/connectionTimeoutMs/);
    }
    const client = new GameLiftStreamsClient({ region: 'us-west-2' });
    clients.push(client);
    expect(() =>
      openAdminShell({
        api: { client, region: 'us-west-2' },
        streamGroupId: 'sg-1AB2C3De4',
        streamSessionId: 'S1',
      }),
    ).toThrow(/Pass either api.client or api.region/);
  });
});

describe('http:// endpoints', () => {
  it.each([
    'http://127.0.0.1:4566',
    'http://127.1.2.3',
    'http://localhost:8080/',
    'http://LOCALHOST/x',
    'http://[::1]:4566',
    'http://[::ffff:127.0.0.1]:1',
    'https://gameliftstreams.us-west-2.amazonaws.com',
    'https://example.com:8443',
  ])('%s is accepted', (endpoint) => {
    const client = createGameLiftStreamsClient({ endpoint, region: 'us-west-2' });
    clients.push(client);
  });

  it.each([
    'http://gameliftstreams.us-west-2.amazonaws.com',
    'http://10.0.0.1:4566',
    'http://128.0.0.1',
    'http://127.0.0.1.example.com',
    'http://localhost.example.com',
    'http://localhost.',
    'http://[::2]',
    'http://[::ffff:10.0.0.1]',
    'http://0.0.0.0',
  ])('%s is refused with INVALID_ARGUMENT that says to use https', (endpoint) => {
    try {
      createGameLiftStreamsClient({ endpoint, region: 'us-west-2' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AdminShellError);
      expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toContain('Use https://');
      expect((error as Error).message).toContain('in clear');
    }
  });

  it('openAdminShell refuses a non-loopback http:// endpoint before any call', () => {
    expect(() =>
      openAdminShell({
        streamGroupId: 'sg-1AB2C3De4',
        streamSessionId: 'ABC123def4567',
        api: { region: 'us-west-2', endpoint: 'http://gameliftstreams.example.com' },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('the token of requestAdminShellAccess', () => {
  it('is readable but never printed, serialised or copied', async () => {
    const token = 'TOKEN-abc123-DO-NOT-PRINT-0123456789';
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS, tokenValue: token });
    const client = createGameLiftStreamsClient({
      region: emulator.region,
      endpoint: emulator.endpoint,
      credentials: CREDS,
    });
    clients.push(client);
    const ids = checkIdentifiers(emulator.streamGroupId, emulator.streamSessionId);
    const access = await requestAdminShellAccess(client, ids);
    expect(access.tokenValue).toBe(token);
    expect(access.sessionId.length).toBeGreaterThan(0);
    expect(access.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);

    expect(Object.keys(access)).not.toContain('tokenValue');
    expect(Object.getOwnPropertyNames(access)).not.toContain('tokenValue');
    const views = [
      inspect(access),
      inspect(access, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      inspect({ nested: [access] }, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      // Even without the custom view, the token is a private field behind a getter that is not called.
      inspect(access, { showHidden: true, depth: Number.POSITIVE_INFINITY, customInspect: false }),
      JSON.stringify(access),
      JSON.stringify({ nested: [access] }),
      JSON.stringify({ ...access }),
      `${String(access)}`,
    ];
    for (const view of views) expect(view).not.toContain(token);
    expect(inspect(access)).toContain("tokenValue: '[redacted]'");
    expect(inspect(access)).toContain(access.sessionId);
    expect(JSON.parse(JSON.stringify(access))).toEqual({
      sessionId: access.sessionId,
      streamUrl: access.streamUrl,
      tokenValue: '[redacted]',
      receivedAt: access.receivedAt,
    });
  });
});

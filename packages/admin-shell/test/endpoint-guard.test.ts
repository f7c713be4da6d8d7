import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import { ENDPOINT_GUARD_MIDDLEWARE, guardClientEndpoint } from '../src/endpoint-guard.js';
import { AdminShellError } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { openAdminShell } from '../src/open-admin-shell.js';
import { createGameLiftStreamsClient } from '../src/sdk-client.js';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDGUARDTEST0000001',
  secretAccessKey: 'guard-test-secret-key-00000000000000000',
};
const IDS = checkIdentifiers('sg-1AB2C3De4', 'ABC123def4567');
// TEST-NET-1 (RFC 5737): nothing answers there, so a connection attempt would hang until callTimeoutMs.
const REMOTE_HTTP = 'http://192.0.2.2:1';
const CALL_TIMEOUT_MS = 3_000;
const ENV_KEYS = [
  'AWS_ENDPOINT_URL_GAMELIFTSTREAMS',
  'AWS_ENDPOINT_URL',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
] as const;

const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
const clients: GameLiftStreamsClient[] = [];
let emulator: GameLiftStreamsEmulator | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  for (const key of ENV_KEYS) {
    const value = savedEnv[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const client of clients.splice(0)) client.destroy();
  await emulator?.close();
  emulator = undefined;
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

function track<T extends GameLiftStreamsClient>(client: T): T {
  clients.push(client);
  return client;
}

/** Counts what reaches the client's HTTP handler (what would go on the wire). */
function watchWire(client: GameLiftStreamsClient) {
  const handler = client.config.requestHandler as { handle: (...args: unknown[]) => unknown };
  return vi.spyOn(handler, 'handle');
}

async function refusal(promise: Promise<unknown>): Promise<AdminShellError> {
  const started = Date.now();
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  // Well before callTimeoutMs: no connection was attempted.
  expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS / 2);
  expect(error).toBeInstanceOf(AdminShellError);
  const coded = error as AdminShellError;
  expect(coded.code).toBe('INVALID_ARGUMENT');
  expect(coded.message).toContain('in clear');
  expect(coded.message).toContain('192.0.2.2');
  expect(coded.message).toContain('AWS_ENDPOINT_URL_GAMELIFTSTREAMS');
  return coded;
}

describe('an http:// endpoint from outside the endpoint option', () => {
  it.each(['AWS_ENDPOINT_URL_GAMELIFTSTREAMS', 'AWS_ENDPOINT_URL'] as const)(
    '%s=http://<not loopback>: refused before anything is sent',
    async (variable) => {
      process.env[variable] = REMOTE_HTTP;
      const client = track(createGameLiftStreamsClient({ region: 'us-west-2', credentials: CREDS }));
      const wire = watchWire(client);
      await refusal(requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }));
      expect(wire).not.toHaveBeenCalled();
    },
  );

  it("a profile's endpoint_url (AWS_PROFILE): refused before anything is sent", async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'endpoint-guard-'));
    const config = join(tempDir, 'config');
    writeFileSync(config, `[profile guarded]\nendpoint_url = ${REMOTE_HTTP}\nregion = us-west-2\n`);
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(tempDir, 'credentials');
    process.env.AWS_PROFILE = 'guarded';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const client = track(createGameLiftStreamsClient({ region: 'us-west-2', credentials: CREDS }));
    const wire = watchWire(client);
    await refusal(requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }));
    expect(wire).not.toHaveBeenCalled();
  });

  it('openAdminShell with the environment variable: INVALID_ARGUMENT, not NETWORK_ERROR', async () => {
    process.env.AWS_ENDPOINT_URL_GAMELIFTSTREAMS = REMOTE_HTTP;
    await refusal(
      openAdminShell({
        streamGroupId: IDS.streamGroup.value,
        streamSessionId: IDS.streamSession.value,
        api: { region: 'us-west-2', credentials: CREDS, callTimeoutMs: CALL_TIMEOUT_MS },
      }),
    );
  });

  it('a loopback http:// endpoint from the environment is allowed', async () => {
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS });
    process.env.AWS_ENDPOINT_URL_GAMELIFTSTREAMS = emulator.endpoint;
    const client = track(createGameLiftStreamsClient({ region: emulator.region, credentials: CREDS }));
    const ids = checkIdentifiers(emulator.streamGroupId, emulator.streamSessionId);
    const access = await requestAdminShellAccess(client, ids);
    expect(access.sessionId.length).toBeGreaterThan(0);
    expect(emulator.calls.map((call) => call.httpStatus)).toEqual([200]);
  });

  it('an https:// endpoint from the environment is not refused by the guard', async () => {
    // Nothing listens on port 1: the connection is refused at once, after the guard let the request go.
    process.env.AWS_ENDPOINT_URL_GAMELIFTSTREAMS = 'https://127.0.0.1:1';
    const client = track(createGameLiftStreamsClient({ region: 'us-west-2', credentials: CREDS }));
    const wire = watchWire(client);
    const error = await requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }).then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => e as AdminShellError,
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(wire).toHaveBeenCalledTimes(1);
  });
});

describe('an injected client', () => {
  const remoteClient = () =>
    track(
      new GameLiftStreamsClient({
        region: 'us-west-2',
        endpoint: REMOTE_HTTP,
        credentials: CREDS,
        maxAttempts: 1,
      }),
    );

  it('openAdminShell refuses its non-loopback http:// endpoint before anything is sent', async () => {
    const client = remoteClient();
    const wire = watchWire(client);
    await refusal(
      openAdminShell({
        api: { client, callTimeoutMs: CALL_TIMEOUT_MS },
        streamGroupId: IDS.streamGroup.value,
        streamSessionId: IDS.streamSession.value,
      }),
    );
    expect(wire).not.toHaveBeenCalled();
  });

  it('requestAdminShellAccess refuses it too', async () => {
    const client = remoteClient();
    const wire = watchWire(client);
    await refusal(requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }));
    expect(wire).not.toHaveBeenCalled();
  });

  it('gets the guard once, however often it is used', async () => {
    const client = remoteClient();
    const guards = () =>
      client.middlewareStack.identify().filter((entry) => entry.startsWith(`${ENDPOINT_GUARD_MIDDLEWARE} `));
    guardClientEndpoint(client);
    guardClientEndpoint(client);
    await refusal(requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }));
    await refusal(requestAdminShellAccess(client, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }));
    expect(guards()).toEqual([`${ENDPOINT_GUARD_MIDDLEWARE} - build`]);
  });

  it('a loopback client works as before (IPv4 and [::1] host names pass the guard)', async () => {
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS });
    const client = track(
      new GameLiftStreamsClient({
        region: emulator.region,
        endpoint: emulator.endpoint,
        credentials: CREDS,
        maxAttempts: 1,
      }),
    );
    const ids = checkIdentifiers(emulator.streamGroupId, emulator.streamSessionId);
    await expect(requestAdminShellAccess(client, ids)).resolves.toMatchObject({
      sessionId: expect.any(String),
    });
    // [::1]: nothing listens there, so the guard lets it through and the connection fails.
    const v6 = track(
      new GameLiftStreamsClient({
        region: 'us-west-2',
        endpoint: 'http://[::1]:1',
        credentials: CREDS,
        maxAttempts: 1,
      }),
    );
    const error = await requestAdminShellAccess(v6, IDS, { callTimeoutMs: CALL_TIMEOUT_MS }).then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => e as AdminShellError,
    );
    expect(error.code).toBe('NETWORK_ERROR');
  });

  it('something that is not a client is refused with INVALID_ARGUMENT', () => {
    expect(() =>
      openAdminShell({
        api: { client: {} as GameLiftStreamsClient },
        streamGroupId: IDS.streamGroup.value,
        streamSessionId: IDS.streamSession.value,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

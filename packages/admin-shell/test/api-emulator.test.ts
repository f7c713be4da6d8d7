import {
  AccessDeniedException,
  CreateStreamSessionAdminShellCommand,
  GameLiftStreamsClient,
  GetStreamSessionCommand,
  InternalServerException,
  ResourceNotFoundException,
  StreamSessionAccessNotReadyException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-gameliftstreams';
import { connectDataChannel } from 'ssm-channel';
import { afterEach, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDEXAMPLE0000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

let emulator: GameLiftStreamsEmulator | undefined;
const clients: GameLiftStreamsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await emulator?.close();
  emulator = undefined;
});

function client(em: GameLiftStreamsEmulator, overrides: Partial<typeof CREDS> & { region?: string } = {}) {
  const c = new GameLiftStreamsClient({
    region: overrides.region ?? em.region,
    endpoint: em.endpoint,
    maxAttempts: 1,
    credentials: { ...CREDS, ...overrides },
  });
  clients.push(c);
  return c;
}

const get = (em: GameLiftStreamsEmulator, group = em.streamGroupId, session = em.streamSessionId) =>
  new GetStreamSessionCommand({ Identifier: group, StreamSessionIdentifier: session });
const create = (em: GameLiftStreamsEmulator, group = em.streamGroupId, session = em.streamSessionId) =>
  new CreateStreamSessionAdminShellCommand({ Identifier: group, StreamSessionIdentifier: session });

describe('GameLift Streams API emulator, through the real SDK', () => {
  it('describes itself with IDs and ARNs in the documented forms', async () => {
    emulator = await startGameLiftStreamsEmulator({ region: 'eu-central-1' });
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.streamGroupId).toMatch(/^sg-[A-Za-z0-9]{9}$/);
    expect(emulator.streamSessionId).toMatch(/^[A-Za-z0-9]{13}$/);
    expect(emulator.streamGroupArn).toBe(
      `arn:aws:gameliftstreams:eu-central-1:111122223333:streamgroup/${emulator.streamGroupId}`,
    );
    expect(emulator.streamSessionArn).toBe(
      `arn:aws:gameliftstreams:eu-central-1:111122223333:streamsession/${emulator.streamGroupId}/${emulator.streamSessionId}`,
    );
  });

  it('serves GetStreamSession by ID and by ARN, with a real SigV4 verification', async () => {
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS, status: 'CONNECTED' });
    const c = client(emulator);
    const byId = await c.send(get(emulator));
    expect(byId).toMatchObject({
      Status: 'CONNECTED',
      StreamGroupId: emulator.streamGroupId,
      Arn: emulator.streamSessionArn,
    });
    expect(byId.CreatedAt).toBeInstanceOf(Date);
    const byArn = await c.send(get(emulator, emulator.streamGroupArn, emulator.streamSessionArn));
    expect(byArn.Status).toBe('CONNECTED');
    expect(emulator.calls.map((call) => call.httpStatus)).toEqual([200, 200]);
  });

  it('refuses a wrong secret, an unknown key id and a request scoped to another region', async () => {
    emulator = await startGameLiftStreamsEmulator({ credentials: CREDS });
    const wrongSecret = await client(emulator, { secretAccessKey: 'x'.repeat(40) })
      .send(get(emulator))
      .catch((e) => e);
    expect(wrongSecret.name).toBe('InvalidSignatureException');
    expect(wrongSecret.$metadata.httpStatusCode).toBe(403);
    const wrongKey = await client(emulator, { accessKeyId: 'AKIDOTHER000000001' })
      .send(get(emulator))
      .catch((e) => e);
    expect(wrongKey.name).toBe('UnrecognizedClientException');
    const wrongRegion = await client(emulator, { region: 'us-east-1' })
      .send(get(emulator))
      .catch((e) => e);
    expect(wrongRegion.name).toBe('InvalidSignatureException');
    expect(wrongRegion.message).toContain('us-west-2');
  });

  it('requires a SigV4 Authorization header', async () => {
    emulator = await startGameLiftStreamsEmulator();
    const path = `/streamgroups/${emulator.streamGroupId}/streamsessions/${emulator.streamSessionId}`;
    const unsigned = await fetch(`${emulator.endpoint}${path}`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const garbled = await fetch(`${emulator.endpoint}${path}`, { headers: { authorization: 'Basic abc' } });
    expect(garbled.status).toBe(403);
    expect(garbled.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    // Without configured credentials, any well-formed signature in the right scope passes.
    const ok = await client(emulator, { secretAccessKey: 'anything-at-all' }).send(get(emulator));
    expect(ok.Status).toBe('ACTIVE');
  });

  it('raises the SDK exception classes for injected 403, 404, 429, 500 and for 409', async () => {
    emulator = await startGameLiftStreamsEmulator({
      notReadyTimes: 1,
      faults: [
        { status: 403, times: 1 },
        { status: 404, times: 1 },
        { status: 429, times: 1 },
        { status: 500, times: 1 },
        { status: 404, operation: 'GetStreamSession', times: 1 },
      ],
    });
    const c = client(emulator);
    for (const Expected of [
      StreamSessionAccessNotReadyException,
      AccessDeniedException,
      ResourceNotFoundException,
      ThrottlingException,
      InternalServerException,
    ]) {
      const error = await c.send(create(emulator)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Expected);
    }
    await expect(c.send(get(emulator))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(c.send(get(emulator))).resolves.toMatchObject({ Status: 'ACTIVE' });
    expect(emulator.calls.map((call) => call.httpStatus)).toEqual([409, 403, 404, 429, 500, 404, 200]);
  });

  it('answers unknown sessions with 404, malformed identifiers with 400, and ended sessions with 400', async () => {
    emulator = await startGameLiftStreamsEmulator({ status: 'TERMINATED' });
    const c = client(emulator);
    await expect(c.send(get(emulator, emulator.streamGroupId, 'NOSUCHSESSION1'))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(c.send(get(emulator, 'sg_bad!'))).rejects.toBeInstanceOf(ValidationException);
    await expect(c.send(create(emulator))).rejects.toBeInstanceOf(ValidationException);
    emulator.setStatus('ACTIVATING');
    await expect(c.send(create(emulator))).rejects.toBeInstanceOf(StreamSessionAccessNotReadyException);
  });

  it('with a fixed tokenValue, every answer carries it and the agent emulator accepts only it', async () => {
    const fixed = 'api-emulator.fixed-token_0123456789';
    emulator = await startGameLiftStreamsEmulator({ tokenValue: fixed });
    const c = client(emulator);
    const first = await c.send(create(emulator));
    const second = await c.send(create(emulator));
    expect(first.TokenValue).toBe(fixed);
    expect(second.TokenValue).toBe(fixed);
    expect(emulator.issuedTokens).toEqual([fixed, fixed]);
    const streamUrl = first.StreamUrl as string;

    const refused = await connectDataChannel({ streamUrl, tokenValue: 'not-the-fixed-token' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'AUTH_FAILED' });

    const channel = await connectDataChannel({ streamUrl, tokenValue: fixed });
    const chunks: Buffer[] = [];
    channel.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => channel.once('end', resolve).once('close', resolve));
    channel.write('echo "fixed-$((40+2))"; exit\n');
    await ended;
    expect((await channel.whenClosed).reason).toBe('channel_closed');
    expect(Buffer.concat(chunks).toString()).toMatch(/fixed-42\r?\n/);
    expect((await emulator.agent()).stats()).toMatchObject({ connections: 1, authFailures: 1 });
  });

  it('refuses a bad tokenValue at start, without quoting it', async () => {
    for (const tokenValue of ['', 'has a secret space', 'line\nbreak']) {
      const error = await startGameLiftStreamsEmulator({ tokenValue }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AdminShellError', code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

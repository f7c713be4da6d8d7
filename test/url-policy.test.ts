/**
 * One loopback rule everywhere: the table below is judged by `ssm-channel`'s `isLoopbackHost`, its `ws:` check
 * (`connectDataChannel`), and `gamelift-admin-shell`'s `http:` endpoint rule, both where an endpoint is given
 * (`createGameLiftStreamsClient`) and at each request (the SDK middleware of an injected client).
 */
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { createGameLiftStreamsClient, openAdminShell } from 'gamelift-admin-shell';
import { connectDataChannel, isLoopbackHost } from 'ssm-channel';
import { describe, expect, it } from 'vitest';

/** Host as written in a URL, and whether it names this machine. */
const HOSTS: readonly [string, boolean][] = [
  ['localhost', true],
  ['LocalHost', true],
  ['127.0.0.1', true],
  ['127.255.0.9', true],
  ['127.1', true],
  ['0x7f.1', true],
  ['2130706433', true],
  ['[::1]', true],
  ['[0:0:0:0:0:0:0:1]', true],
  ['[::ffff:127.0.0.1]', true],
  ['[::ffff:7f00:1]', true],
  ['[::FFFF:127.9.8.7]', true],
  ['localhost.', false],
  ['app.localhost', false],
  ['localhost.example.com', false],
  ['127.example', false],
  ['1.127.0.0', false],
  ['128.0.0.1', false],
  ['10.0.0.1', false],
  ['0.0.0.0', false],
  ['[::]', false],
  ['[::2]', false],
  ['[fe80::1]', false],
  ['[::ffff:10.0.0.1]', false],
  ['[::ffff:128.0.0.1]', false],
  ['example.com', false],
];

const CREDS = {
  accessKeyId: 'AKIDURLPOLICYTEST001',
  secretAccessKey: 'url-policy-test-secret-000000000000000',
};

function codeOf(run: () => unknown): string | undefined {
  try {
    const result = run();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  return undefined;
}

describe('the loopback rule, one table for both packages', () => {
  it.each(HOSTS)('%s: loopback %s', async (host, loopback) => {
    const url = new URL(`http://${host}/`);
    expect(isLoopbackHost(url.hostname)).toBe(loopback);
    // A bare IPv6 address (as some request objects carry it) is judged the same.
    if (url.hostname.startsWith('[')) expect(isLoopbackHost(url.hostname.slice(1, -1))).toBe(loopback);

    // ssm-channel: ws:// only to loopback (a loopback one gets as far as dialling port 1, refused).
    const ws = codeOf(() => connectDataChannel({ streamUrl: `ws://${host}:1/x`, tokenValue: 't' }));
    expect(ws).toBe(loopback ? undefined : 'INSECURE_URL');

    // gamelift-admin-shell: an http:// endpoint only to loopback.
    const given = codeOf(() =>
      createGameLiftStreamsClient({ endpoint: `http://${host}:1`, region: 'us-west-2' }).destroy(),
    );
    expect(given).toBe(loopback ? undefined : 'INVALID_ARGUMENT');

    // ... and at each request of an injected client, whatever its endpoint came from.
    const client = new GameLiftStreamsClient({
      endpoint: `http://${host}:1`,
      region: 'us-west-2',
      credentials: CREDS,
      maxAttempts: 1,
    });
    try {
      const error = await openAdminShell({
        streamGroupId: 'sg-1AB2C3De4',
        streamSessionId: 'ABC123def4567',
        api: { client, callTimeoutMs: 5_000, retry: { maxWaitMs: 0 } },
      }).then(
        () => expect.unreachable('nothing listens on port 1'),
        (e: unknown) => e as { code?: string; message: string },
      );
      if (loopback) expect(error.code).not.toBe('INVALID_ARGUMENT');
      else
        expect(error).toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/Nothing was sent/),
        });
    } finally {
      client.destroy();
    }
  });
});

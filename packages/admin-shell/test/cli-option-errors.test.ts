import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

describe('gamelift-admin-shell: option errors of the library, as the command reports them', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
  });
  afterAll(async () => {
    await em.close();
  });
  const ids = () => ['--stream-group', em.streamGroupId, '--stream-session', em.streamSessionId];

  it('--region "us west": a usage error (64) that names the value, not a missing region', async () => {
    const run = await runBuilt(['--endpoint-url', em.endpoint, '--region', 'us west', ...ids()]);
    expect(run.stderr).toContain('The region "us west" is not a region name');
    expect(run.code, run.stderr).toBe(64);
    expect(em.calls).toHaveLength(0);
  });

  it('AWS_ENDPOINT_URL_GAMELIFTSTREAMS=http://<not loopback>: a usage error (64), nothing sent', async () => {
    const started = Date.now();
    const run = await runBuilt(['--region', 'us-west-2', ...ids()], {
      env: awsEnv({ AWS_ENDPOINT_URL_GAMELIFTSTREAMS: 'http://192.0.2.2:18555' }),
    });
    expect(run.stderr).toContain('in clear');
    expect(run.stderr).toContain('AWS_ENDPOINT_URL_GAMELIFTSTREAMS');
    expect(run.code, run.stderr).toBe(64);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('--profile nope with keys in the environment: names the profile (exit 78)', async () => {
    const run = await runBuilt([
      '--endpoint-url',
      em.endpoint,
      '--region',
      em.region,
      '--profile',
      'nope',
      ...ids(),
    ]);
    expect(run.stderr).toContain('No AWS credentials were found for profile "nope"');
    expect(run.stderr).not.toContain('Set AWS_ACCESS_KEY_ID');
    expect(run.code, run.stderr).toBe(78);
    expect(em.calls).toHaveLength(0);
  });

  it('web --port <a port in use>: a usage error (64) that says what to do, not an internal error', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const { port } = taken.address() as AddressInfo;
      const run = await runBuilt([
        'web',
        '--endpoint-url',
        em.endpoint,
        '--region',
        em.region,
        ...ids(),
        '--port',
        `${port}`,
      ]);
      expect(run.stderr).toContain(
        `--port ${port} is in use on 127.0.0.1: choose another port, or leave --port out`,
      );
      expect(run.stderr).not.toContain('internal error');
      expect(run.code, run.stderr).toBe(64);
    } finally {
      taken.close();
    }
  });
});

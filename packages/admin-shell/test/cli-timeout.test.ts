import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_DEFAULTS } from '../src/access-request.js';
import { runBuilt } from './helpers/built-cli.js';
import { type SilentServer, startSilentServer } from './helpers/silent-server.js';

describe('gamelift-admin-shell against an endpoint that never answers', () => {
  let silent: SilentServer;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent.close();
  });

  it('exits 74 after the call timeout, saying what to do', async () => {
    const started = Date.now();
    const run = await runBuilt(
      [
        '--endpoint-url',
        silent.endpoint,
        '--region',
        'us-west-2',
        '--stream-group',
        'sg-1AB2C3De4',
        '--stream-session',
        'ABC123def4567',
      ],
      { timeoutMs: ACCESS_DEFAULTS.callTimeoutMs + 15_000 },
    );
    const elapsed = Date.now() - started;
    expect(run.signal, 'the command hung and was killed').toBeNull();
    expect(run.code, run.stderr).toBe(74);
    expect(elapsed).toBeGreaterThanOrEqual(ACCESS_DEFAULTS.callTimeoutMs - 500);
    expect(elapsed).toBeLessThan(ACCESS_DEFAULTS.callTimeoutMs + 8_000);
    expect(run.stderr).toMatch(
      /^gamelift-admin-shell: The GameLift Streams endpoint http:\/\/127\.0\.0\.1:\d+ in us-west-2 did not answer CreateStreamSessionAdminShell within 15 s\. Check the network, the region and --endpoint-url, then try again\.\n$/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout.length).toBe(0);
    expect(silent.accepted()).toBe(1);
  }, 40_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, BUILT, type CliRun, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

/** Every failure: one sentence on stderr, nothing on stdout, no stack trace, the documented exit code. */
function expectFailure(run: CliRun, code: number, message: string | RegExp): void {
  expect(run.stdout.length, `stdout: ${run.stdout}`).toBe(0);
  expect(run.stderr).toMatch(typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message);
  expect(run.stderr).toMatch(/^gamelift-admin-shell: /);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/Error:|Exception:/);
  expect(run.code, run.stderr).toBe(code);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.skipIf(!BUILT)('gamelift-admin-shell: usage and service errors', () => {
  let em: GameLiftStreamsEmulator;
  let base: string[];
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
    base = ['--endpoint-url', em.endpoint, '--region', em.region];
  });
  afterAll(async () => {
    await em.close();
  });
  const ids = () => ['--stream-group', em.streamGroupId, '--stream-session', em.streamSessionId];

  it('--help and --version print to stdout and exit 0', async () => {
    const help = await runBuilt(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toContain('Usage: gamelift-admin-shell');
    expect(help.stdout.toString()).toContain('Exit status:');
    const version = await runBuilt(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.toString()).toMatch(/^gamelift-admin-shell \d+\.\d+\.\d+\n$/);
  });

  it('usage errors exit 64', async () => {
    expectFailure(await runBuilt(['--bogus']), 64, 'Unknown option "--bogus"');
    expectFailure(await runBuilt(['--stream-group', 'sg-1']), 64, '--stream-session is required');
    expectFailure(await runBuilt(['--stream-session', 'ABC123']), 64, '--stream-group is required');
    expectFailure(
      await runBuilt(['--stream-group', 'sg 1', '--stream-session', 'ABC']),
      64,
      'The stream group identifier "sg 1" is not valid',
    );
    expectFailure(
      await runBuilt([
        '--stream-group',
        'sg-OTHER0001',
        '--stream-session',
        'arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567',
      ]),
      64,
      'names stream group sg-1AB2C3De4',
    );
    expectFailure(
      await runBuilt([
        '--region',
        'eu-west-1',
        '--stream-session',
        'arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567',
      ]),
      64,
      'The identifiers name region us-west-2, but the client is configured for eu-west-1',
    );
    expect(em.calls).toHaveLength(0);
  });

  it('an unknown session exits 68', async () => {
    const run = await runBuilt([
      ...base,
      '--stream-group',
      em.streamGroupId,
      '--stream-session',
      'NoSuchSession1',
    ]);
    expectFailure(
      run,
      68,
      `stream session NoSuchSession1 of stream group ${em.streamGroupId} was not found in us-west-2`,
    );
  });

  it('access denied exits 77, rejected credentials too', async () => {
    em.injectFault({ status: 403, times: 1 });
    expectFailure(await runBuilt([...base, ...ids()]), 77, 'gameliftstreams:CreateStreamSessionAdminShell');
    const wrong = awsEnv({ AWS_SECRET_ACCESS_KEY: 'not-the-right-secret-000000000000000000' });
    expectFailure(await runBuilt([...base, ...ids()], { env: wrong }), 77, 'AWS rejected the credentials');
  });

  it('no credentials and no region exit 78', async () => {
    const noCreds = awsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expectFailure(await runBuilt([...base, ...ids()], { env: noCreds }), 78, 'No AWS credentials were found');
    const noRegion = await runBuilt(['--endpoint-url', em.endpoint, ...ids()], { env: awsEnv() });
    expectFailure(noRegion, 78, 'No AWS region is configured');
  });

  it('a service that keeps answering 409 exits 75 after --wait, saying so', async () => {
    const never = await startGameLiftStreamsEmulator({ notReadyTimes: Number.POSITIVE_INFINITY });
    try {
      const started = Date.now();
      const run = await runBuilt([
        '--endpoint-url',
        never.endpoint,
        '--region',
        never.region,
        '--stream-group',
        never.streamGroupId,
        '--stream-session',
        never.streamSessionId,
        '--wait',
        '2',
      ]);
      expect(Date.now() - started).toBeLessThan(10_000);
      expectFailure(run, 75, /not ready yet; retrying for up to 2 s[\s\S]*is not ready yet/);
      expect(never.calls.length).toBeGreaterThan(2);
    } finally {
      await never.close();
    }
  });

  it('an expired stream URL exits 76 and says what to do', async () => {
    const expiring = await startGameLiftStreamsEmulator({ agent: { tokenValidityMs: 1 } });
    try {
      await expiring.agent();
      const run = await runBuilt([
        '--endpoint-url',
        expiring.endpoint,
        '--region',
        expiring.region,
        '--stream-group',
        expiring.streamGroupId,
        '--stream-session',
        expiring.streamSessionId,
      ]);
      expectFailure(run, 76, /refused the stream URL and token.*valid for 60 s.*run the command again/);
    } finally {
      await expiring.close();
    }
  });

  it('a terminated session exits 69 and names its status', async () => {
    em.setStatus('TERMINATED', 'apiTerminated');
    try {
      expectFailure(await runBuilt([...base, ...ids()]), 69, 'is TERMINATED (reason: apiTerminated)');
    } finally {
      em.setStatus('ACTIVE');
    }
  });

  it('a service error and an unreachable endpoint exit 74', async () => {
    em.injectFault({ status: 500, times: 1 });
    expectFailure(await runBuilt([...base, ...ids()]), 74, 'internal error on CreateStreamSessionAdminShell');
    const nowhere = await runBuilt([
      '--endpoint-url',
      'http://127.0.0.1:9',
      '--region',
      'us-west-2',
      ...ids(),
    ]);
    expectFailure(nowhere, 74, 'Could not reach the GameLift Streams endpoint in us-west-2 (ECONNREFUSED)');
  });
});

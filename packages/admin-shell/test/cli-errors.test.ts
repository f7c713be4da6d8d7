import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, type CliRun, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

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

describe('gamelift-admin-shell: usage and service errors', () => {
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
    expect(help.stdout.toString()).toMatch(/^Usage:\n {2}gamelift-admin-shell /);
    for (const word of [
      '--command CMD',
      'cp SRC DST',
      ' ls ',
      '--all-sessions',
      '--parallel N',
      '--json',
      '-t, --tty',
      '--record FILE',
    ]) {
      expect(help.stdout.toString()).toContain(word);
    }
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
    // The message names the URL it could not reach, and the flag (not the library's option) to fix it.
    expectFailure(
      nowhere,
      74,
      /Could not reach the GameLift Streams endpoint http:\/\/127\.0\.0\.1:\d+ in us-west-2 \(ECONNREFUSED\)\. Check the network, the region and --endpoint-url\.$/m,
    );
  });

  it('an http:// endpoint that is not loopback is a usage error (64), before any call', async () => {
    for (const endpoint of ['http://gameliftstreams.us-west-2.amazonaws.com', 'http://10.1.2.3:4566']) {
      expectFailure(
        await runBuilt(['--endpoint-url', endpoint, '--region', 'us-west-2', ...ids()]),
        64,
        /would send the signed request and the session token in clear\. Use https:\/\//,
      );
    }
  });

  it('terminal escapes in service text never reach stderr', async () => {
    em.injectFault({ status: 500, times: 1, message: 'boom\u001b]0;pwned\u0007\u001b[2J\u009b31m\r\nend' });
    const run = await runBuilt([...base, ...ids()]);
    expectFailure(run, 74, '(service: boom ]0;pwned [2J 31m end)');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    expect(run.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    em.setStatus('TERMINATED', 'gone\u001b[31m\u0007red');
    try {
      const status = await runBuilt([...base, ...ids()]);
      expectFailure(status, 69, 'is TERMINATED (reason: gone [31m red)');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
      expect(status.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      em.setStatus('ACTIVE');
    }
  });

  it('a session that requires KMS encryption exits 79 and says what to do', async () => {
    const kms = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { handshake: { kms: true } },
    });
    try {
      const run = await runBuilt([
        '--endpoint-url',
        kms.endpoint,
        '--region',
        kms.region,
        '--stream-group',
        kms.streamGroupId,
        '--stream-session',
        kms.streamSessionId,
      ]);
      expectFailure(run, 79, /requires KMS encryption, which this client does not support yet/);
      expect(run.stderr).toContain('session-manager-plugin');
      expect(run.stderr).not.toContain('Check the network');
    } finally {
      await kms.close();
    }
  });
});

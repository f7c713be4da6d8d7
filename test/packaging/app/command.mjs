// The installed `gamelift-admin-shell` command against the API emulator: one command, its output and its
// exit status, with credentials from the environment as a user's shell would have them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

const emulator = await startGameLiftStreamsEmulator();
try {
  const args = [
    ...['--endpoint-url', emulator.endpoint, '--region', emulator.region],
    ...['--stream-group', emulator.streamGroupId, '--stream-session', emulator.streamSessionId],
    ...['--command', 'echo "command-$((6 * 7))"; exit 5'],
  ];
  const child = spawn('node_modules/.bin/gamelift-admin-shell', args, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'AKIDPACKAGINGTEST002',
      AWS_SECRET_ACCESS_KEY: 'packaging-test-secret',
      // No shared config or credentials file of this machine.
      AWS_CONFIG_FILE: 'no-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: 'no-aws-credentials',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = await new Promise((resolve) => child.once('close', (...end) => resolve(end)));
  clearTimeout(timer);
  assert.equal(stdout, 'command-42\n', stderr);
  assert.equal(stderr, '');
  assert.equal(code, 5);
  process.stdout.write(`gamelift-admin-shell --command: ${JSON.stringify(stdout)}, exit status ${code}\n`);
} finally {
  await emulator.close();
}

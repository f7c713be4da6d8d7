// Runs where both tarballs and node-pty are installed: pipes a command into a real shell through each
// package and its emulator, and checks what the shell printed and the exit status it reported.
import assert from 'node:assert/strict';
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { openAdminShell } from 'gamelift-admin-shell';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { connectDataChannel } from 'ssm-channel';
import { startAgentEmulator } from 'ssm-channel/testing';

// The shell computes the marker, so finding it proves the command ran (the echoed input does not hold it).
const COMMAND = 'echo "piped-$((6 * 7))"; exit 3\n';
const MARKER = 'piped-42';

async function drain(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

async function check(name, stream) {
  stream.end(COMMAND);
  const output = await drain(stream);
  const closed = await stream.whenClosed;
  assert.ok(output.includes(MARKER), `${name}: no ${MARKER} in ${JSON.stringify(output)}`);
  assert.equal(closed.reason, 'channel_closed', `${name}: ${closed.error?.stack}`);
  assert.equal(closed.exitCode, 3, name);
  process.stdout.write(`${name}: ${MARKER}, exit status ${closed.exitCode}\n`);
}

// gamelift-admin-shell: the real SDK client signs CreateStreamSessionAdminShell to the API emulator, whose
// agent emulator runs the shell.
const api = await startGameLiftStreamsEmulator({ agent: { sendExitCode: true } });
const client = new GameLiftStreamsClient({
  region: api.region,
  endpoint: api.endpoint,
  credentials: { accessKeyId: 'AKIDPACKAGINGTEST001', secretAccessKey: 'packaging-test-secret' },
});
try {
  const shell = await openAdminShell({
    api: { client },
    streamGroupId: api.streamGroupId,
    streamSessionId: api.streamSessionId,
    signal: AbortSignal.timeout(30_000),
  });
  await check('openAdminShell', shell);
} finally {
  client.destroy();
  await api.close();
}

// ssm-channel alone: the data channel straight to an agent emulator.
const agent = await startAgentEmulator({ mode: 'shell', sendExitCode: true });
try {
  const channel = await connectDataChannel({
    streamUrl: agent.url,
    tokenValue: agent.tokenValue,
    signal: AbortSignal.timeout(30_000),
  });
  await check('connectDataChannel', channel);
} finally {
  await agent.close();
}

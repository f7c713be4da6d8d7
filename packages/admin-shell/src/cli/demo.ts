#!/usr/bin/env node
/**
 * The local demo: the GameLift Streams API emulator and the SSM agent emulator (a real shell on this machine,
 * in a pseudo-terminal), with the gamelift-admin-shell command connected to your terminal. Every layer is
 * the real one: the AWS SDK signs and sends CreateStreamSessionAdminShell over HTTP, the data channel speaks
 * the Session Manager protocol over a WebSocket, and your keys reach a shell.
 */
import { existsSync } from 'node:fs';
import { startGameLiftStreamsEmulator } from '../testing/index.js';
import { ExitCode } from './exit-codes.js';
import { restoreAllTerminals } from './raw-mode.js';
import { runCli } from './run-cli.js';

// Local, made-up credentials: the emulator verifies the SigV4 signature made with them.
const credentials = {
  accessKeyId: 'AKIDLOCALDEMO0000001',
  secretAccessKey: 'local-demo-secret-not-an-aws-key',
};
process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const extra = process.argv.slice(2);
// bash when there is one, without the user's rc files, with a prompt that says where you are.
const bash = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));
const shell =
  bash === undefined
    ? { file: '/bin/sh', env: { PS1: 'admin-shell$ ' } }
    : { file: bash, args: ['--noprofile', '--norc', '-i'], env: { PS1: 'admin-shell:\\w\\$ ' } };
const emulator = await startGameLiftStreamsEmulator({ credentials, agent: { shell } });
const argv = [
  '--stream-group',
  emulator.streamGroupId,
  '--stream-session',
  emulator.streamSessionId,
  '--region',
  emulator.region,
  '--endpoint-url',
  emulator.endpoint,
  ...extra,
];
const interactive = process.stdin.isTTY === true && !extra.includes('--command');
process.stderr.write(
  [
    'gamelift-admin-shell demo',
    `  GameLift Streams API emulator: ${emulator.endpoint} (stream group ${emulator.streamGroupId}, stream session ${emulator.streamSessionId})`,
    '  SSM agent emulator: a real shell on this machine, in a pseudo-terminal',
    `  command: gamelift-admin-shell ${argv.map(shellQuoted).join(' ')}`,
    interactive ? "  Type `ls` to see this machine's files; `exit` or Enter ~ . ends the session.\n" : '',
  ].join('\n'),
);

const controller = new AbortController();
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => controller.abort());
let code: number = ExitCode.INTERNAL;
try {
  code = await runCli(
    argv,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    {
      signal: controller.signal,
    },
  );
} finally {
  restoreAllTerminals();
  await emulator.close();
}
if (interactive) process.stderr.write(`demo: the session ended (exit status ${code}).\n`);
process.exit(code);

/** `word` as a POSIX shell reads it back: unchanged when plain, else in single quotes. */
function shellQuoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

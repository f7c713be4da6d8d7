/**
 * What both demos (`pnpm demo`, `pnpm demo:web`) set up: made-up local credentials, which the API emulator
 * verifies the SigV4 signature against, and the GameLift Streams API emulator with a real shell behind it.
 */
import { existsSync } from 'node:fs';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../testing/index.js';
import { runCli } from './run-cli.js';

/** Local, made-up credentials: the emulator verifies the SigV4 signature made with them. */
const credentials = {
  accessKeyId: 'AKIDLOCALDEMO0000001',
  secretAccessKey: 'local-demo-secret-not-an-aws-key',
};

/**
 * Points the AWS SDK of this process at the demo credentials (and nothing else: no profile, no instance
 * metadata), then starts the emulator with a shell: bash without the user's rc files when there is one.
 */
export async function startDemoEmulator(): Promise<GameLiftStreamsEmulator> {
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const bash = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));
  const shell =
    bash === undefined
      ? { file: '/bin/sh', env: { PS1: 'admin-shell$ ' } }
      : { file: bash, args: ['--noprofile', '--norc', '-i'], env: { PS1: 'admin-shell:\\w\\$ ' } };
  return startGameLiftStreamsEmulator({ credentials, agent: { shell } });
}

/** The command's arguments that point it at `emulator`. */
export function emulatorArgs(emulator: GameLiftStreamsEmulator): string[] {
  return [
    '--stream-group',
    emulator.streamGroupId,
    '--stream-session',
    emulator.streamSessionId,
    '--region',
    emulator.region,
    '--endpoint-url',
    emulator.endpoint,
  ];
}

/** `word` as a POSIX shell reads it back: unchanged when plain, else in single quotes. */
export function shellQuoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What a demo prints before the command starts: the emulators, the command line, and `hint` if any. */
export function demoBanner(
  title: string,
  emulator: GameLiftStreamsEmulator,
  argv: readonly string[],
  hint = '',
): string {
  return [
    title,
    `  GameLift Streams API emulator: ${emulator.endpoint} (stream group ${emulator.streamGroupId}, stream session ${emulator.streamSessionId})`,
    '  SSM agent emulator: a real shell on this machine, in a pseudo-terminal',
    `  command: gamelift-admin-shell ${argv.map(shellQuoted).join(' ')}`,
    hint,
  ].join('\n');
}

/** Runs the command on this process's standard streams; SIGINT, SIGTERM and SIGHUP stop it. */
export function runDemoCommand(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => controller.abort());
  return runCli(
    argv,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    { signal: controller.signal },
  );
}

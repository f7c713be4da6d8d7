/**
 * The examples, built (`pnpm build` compiles them to examples/dist) and run as users would, against the
 * emulators: each must do what its header says and end by itself.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { afterEach, describe, expect, it } from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../examples/dist/', import.meta.url));
// The examples run as built, as users run them: without the build they fail here, loudly, rather than skip.
for (const example of ['emulated-session.js', 'admin-shell-pipe.js', 'group-diagnostics.js']) {
  if (!existsSync(`${EXAMPLES}${example}`)) {
    throw new Error(
      `examples/dist/${example} is missing: run \`pnpm run build\` first (\`pnpm test\` does).`,
    );
  }
}

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLETEST00001',
  secretAccessKey: 'example-test-secret-key-000000000000000',
} as const;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> ...args` with `input` on stdin (then closed); killed after 20 s. */
function runExample(script: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${EXAMPLES}${script}`, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('examples', () => {
  let em: GameLiftStreamsEmulator | undefined;
  afterEach(async () => {
    await em?.close();
    em = undefined;
  });

  it('emulated-session: runs a command, resizes the terminal, and ends with the shell', async () => {
    const run = await runExample('emulated-session.js', [], '', { PATH: process.env.PATH });
    expect(run.stderr).toContain('session ended: channel_closed');
    expect(run.stdout).toMatch(/^40 120\r?$/m);
    // The shell's prompt may come after the echo of the typed line, so before the output on its line.
    expect(run.stdout).toMatch(/^(# )?30 100\r?$/m);
    expect(run.code).toBe(0);
  });

  it('admin-shell-pipe: pipes stdin to the admin shell of a stream session and ends with stdin', async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: CREDENTIALS,
      agent: { shell: { file: '/bin/sh', env: { PS1: '$ ' } } },
    });
    const env = {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_GAMELIFTSTREAMS: em.endpoint,
    };
    const run = await runExample(
      'admin-shell-pipe.js',
      [em.streamGroupId, em.streamSessionId, em.region],
      'echo "answer-$((6*7))"\n',
      env,
    );
    expect(run.stdout).toContain('answer-42');
    expect(run.stderr).toContain(`connected to ${em.streamSessionId}`);
    expect(run.code).toBe(0);
  });

  it('group-diagnostics: runs a command on every session that allows an admin shell, one line each', async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: CREDENTIALS,
      moreSessions: [{ status: 'TERMINATED' }, { runtime: 'windows' }, {}],
    });
    const env = {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_GAMELIFTSTREAMS: em.endpoint,
    };
    const run = await runExample(
      'group-diagnostics.js',
      [em.streamGroupId, em.region, 'echo "diag ok"'],
      '',
      env,
    );
    const [first, terminated, windows, last] = em.streamSessionIds;
    expect(run.stdout).toContain(`${first} exit=0 diag ok\n`);
    expect(run.stdout).toContain(`${last} exit=0 diag ok\n`);
    expect(run.stdout).toContain(`${windows} UNSUPPORTED_SHELL\n`);
    expect(run.stdout).not.toContain(terminated as string);
    expect(run.code).toBe(1);
  });
});

// What the admin-shell benchmarks share: the built command, and an environment for it against an emulator.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `gamelift-admin-shell` command. */
export const MAIN = fileURLToPath(new URL('../packages/admin-shell/dist/cli/main.js', import.meta.url));

/** Credentials the API emulator verifies signatures with. */
export const CREDENTIALS = {
  accessKeyId: 'AKIDBENCH00000000001',
  secretAccessKey: 'bench-secret-key-000000000000000000000',
};

/** The environment of a run: those credentials, no profile, no shared files, no instance metadata. */
export function benchEnv() {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The flags that point the command at an emulator's endpoint, region and stream group (and session). */
export function emulatorFlags(em, { session = true } = {}) {
  return [
    '--endpoint-url',
    em.endpoint,
    '--region',
    em.region,
    '--stream-group',
    em.streamGroupId,
    ...(session ? ['--stream-session', em.streamSessionId] : []),
  ];
}

/**
 * Runs a program to its end, stdin closed and output discarded (or collected), and times it from spawn to
 * exit in ms.
 * @returns {Promise<{ ms: number, code: number | null, stdout: string, stderr: string }>}
 */
export function timeRun(file, args, { env = benchEnv(), collect = false, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { env, stdio: ['ignore', collect ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, stdout, stderr });
    });
  });
}

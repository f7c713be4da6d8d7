import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import type { GameLiftStreamsEmulator } from '../../src/testing/index.js';

/** The built command, as users run it. */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const DEMO = fileURLToPath(new URL('../../dist/cli/demo.js', import.meta.url));

// The CLI tests run the built command, as users do: without it they fail here, loudly, rather than skip.
if (!existsSync(MAIN)) {
  throw new Error(
    `The command is not built (${MAIN} is missing): run \`pnpm run build\` first (\`pnpm test\` does).`,
  );
}

/** Test credentials; the API emulator verifies signatures made with them. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDCLITEST000000001',
  secretAccessKey: 'cli-test-secret-key-0000000000000000000',
} as const;

/** The options that point the command at `em`'s endpoint, region, stream group and stream session. */
export function emulatorArgs(em: GameLiftStreamsEmulator): string[] {
  return [
    '--endpoint-url',
    em.endpoint,
    '--region',
    em.region,
    '--stream-group',
    em.streamGroupId,
    '--stream-session',
    em.streamSessionId,
  ];
}

/** A clean AWS environment: the test credentials, no profile, no shared files, no instance metadata. */
export function awsEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** What a finished run of the built command produced. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** The largest resident set size seen (sampled every 100 ms from /proc), in KB; 0 when not sampled. */
  peakRssKb: number;
}

/** The resident set size of `pid` in KB, from /proc (Linux), or 0. */
function residentKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/**
 * Runs the built command with pipes (no terminal): `input` is written to stdin, then stdin is closed.
 * Killed after `timeoutMs` (the test then fails on the code).
 */
export function runBuilt(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    input?: string | Buffer;
    timeoutMs?: number;
    /** Runs the command through this program (e.g. `unshare`), given the node command line as words. */
    wrap?: (command: string[]) => [string, string[]];
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [file, argv] = options.wrap?.([process.execPath, MAIN, ...args]) ?? [
      process.execPath,
      [MAIN, ...args],
    ];
    const child = spawn(file, argv, {
      env: options.env ?? awsEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let peakRssKb = 0;
    const sampler = setInterval(() => {
      peakRssKb = Math.max(peakRssKb, residentKb(child.pid));
    }, 100);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        peakRssKb,
      });
    });
    child.stdin.on('error', () => {
      // The command may exit before reading all input.
    });
    if (options.input !== undefined) child.stdin.write(options.input);
    child.stdin.end();
  });
}

/** The built command (or any program) in a real pseudo-terminal, with helpers to drive it. */
export interface PtyRun {
  readonly output: () => string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Resolves when the output (from `from` on) matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<RegExpMatchArray>;
  readonly exited: Promise<{ exitCode: number; signal?: number | undefined }>;
  kill(): void;
}

/** Starts `file args` in a pty of `cols`×`rows`. */
export function runInPty(
  file: string,
  args: string[],
  options: { env?: Record<string, string>; cols?: number; rows?: number; cwd?: string } = {},
): PtyRun {
  const term = pty.spawn(file, args, {
    name: 'xterm-256color',
    cols: options.cols ?? 100,
    rows: options.rows ?? 30,
    env: options.env ?? awsEnv(),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  let output = '';
  const waiters = new Set<() => void>();
  term.onData((data) => {
    output += data;
    for (const check of [...waiters]) check();
  });
  const exited = new Promise<{ exitCode: number; signal?: number | undefined }>((resolve) => {
    term.onExit((e) => resolve(e));
  });
  return {
    output: () => output,
    write: (data) => term.write(data),
    resize: (cols, rows) => term.resize(cols, rows),
    waitFor(pattern, waitOptions = {}) {
      const from = waitOptions.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = output.slice(from).match(pattern);
          if (match) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output.slice(-2000)}`));
        }, waitOptions.timeoutMs ?? 15_000);
        waiters.add(check);
        check();
      });
    },
    exited,
    kill: () => {
      try {
        term.kill();
      } catch {
        // Already gone.
      }
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminShellCommand } from '../src/command/run-admin-shell-command.js';
import { AdminShellError } from '../src/errors.js';
import type { OpenAdminShellOptions } from '../src/open-admin-shell.js';
import {
  type GameLiftStreamsEmulator,
  type GameLiftStreamsEmulatorOptions,
  startGameLiftStreamsEmulator,
} from '../src/testing/index.js';
import { BASE_TOOLS, toolPath } from './helpers/tool-path.js';

const CREDS = {
  accessKeyId: 'AKIDRUNNERTEST000001',
  secretAccessKey: 'runner-test-secret-000000000000000000',
};

function optionsFor(
  em: GameLiftStreamsEmulator,
  extra: Partial<OpenAdminShellOptions> = {},
): OpenAdminShellOptions {
  return {
    streamGroupId: em.streamGroupId,
    streamSessionId: em.streamSessionId,
    api: { region: em.region, endpoint: em.endpoint, credentials: CREDS },
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AdminShellError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminShellError);
  return error as AdminShellError;
}

/** Every character from U+0001 to U+00FF (control characters included), and a few wider ones. */
const EVERY_CHARACTER = `${Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1))
  .join('')
  .replace('\n', '')}é日本語🎮`;

/** The emulators a run needs: a POSIX host (sh), one without perl, and a stand-in for a Windows host. */
function hosts(extra: GameLiftStreamsEmulatorOptions = {}) {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: CREDS, ...extra });
  });
  afterAll(async () => {
    await em.close();
  });
  return () => em;
}

/** The cases every kind of POSIX host must pass (with perl on the host, and without). */
function exactnessCases(host: () => GameLiftStreamsEmulator) {
  it('the command reaches sh unchanged, whatever its characters: none is typed into the line editor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glas-exact-'));
    try {
      // A CR, Ctrl-U, Ctrl-W, Ctrl-C, DEL, TAB, Ctrl-D: each would act in a terminal's line editor.
      const marker = join(dir, 'second-command-ran');
      const command = `cat <<'GLAS_END'\n${EVERY_CHARACTER}\nGLAS_END\necho a\rtouch ${marker}; echo 'tab\there' \u0015\u0017\u0003\u007f\u0004`;
      const started = Date.now();
      const result = await runAdminShellCommand(optionsFor(host()), command);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stdout.toString('utf8')).toBe(
        `${EVERY_CHARACTER}\na\rtouch ${marker}\ntab\there \u0015\u0017\u0003\u007f\u0004\n`,
      );
      expect(existsSync(marker)).toBe(false);
      expect(result.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stdout and stderr come back apart, byte for byte, with no CRLF translation', async () => {
    const result = await runAdminShellCommand(
      optionsFor(host()),
      "echo out; echo err >&2; printf 'a\\nb\\r\\nc'; printf '\\001\\377\\000z' >&2",
    );
    expect(result.stdout).toEqual(Buffer.from('out\na\nb\r\nc'));
    expect(result.stderr).toEqual(Buffer.from([...Buffer.from('err\n'), 0x01, 0xff, 0x00, 0x7a]));
  });

  it('the exit status is the command\u2019s: 0, 1, 255, 137 when killed by SIGKILL', async () => {
    for (const [command, status] of [
      ['true', 0],
      ['false', 1],
      ['exit 255', 255],
      ['kill -9 $$', 137],
    ] as const) {
      expect((await runAdminShellCommand(optionsFor(host()), command)).exitCode, command).toBe(status);
    }
  });

  it('stdin feeds the command: 1 MB of random bytes arrive whole, and an early exit does not wait for the rest', async () => {
    const input = randomBytes(1_000_000);
    const result = await runAdminShellCommand(
      optionsFor(host()),
      'sha256sum | cut -c1-64; wc -c </dev/null',
      {
        stdin: input,
      },
    );
    expect(result.stdout.toString().split('\n')[0]).toBe(createHash('sha256').update(input).digest('hex'));
    const started = Date.now();
    const head = await runAdminShellCommand(optionsFor(host()), 'head -c 10', {
      stdin: randomBytes(4_000_000),
    });
    expect(head.stdout).toHaveLength(10);
    expect(Date.now() - started).toBeLessThan(15_000);
    const empty = await runAdminShellCommand(optionsFor(host()), 'wc -c', { stdin: '' });
    expect(empty.stdout.toString().trim()).toBe('0');
  });

  it('a long command (100 KB) runs', async () => {
    const result = await runAdminShellCommand(optionsFor(host()), `: ${'x'.repeat(100_000)}; echo long-ok`);
    expect(result.stdout.toString()).toBe('long-ok\n');
  });
}

describe('runAdminShellCommand on a host with perl, through the real SDK and both emulators', () => {
  const host = hosts();
  exactnessCases(host);

  it('output is live: the first line arrives while the command still runs', async () => {
    let firstAt: number | undefined;
    const started = Date.now();
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        firstAt ??= Date.now() - started;
        callback();
      },
    });
    await runAdminShellCommand(optionsFor(host()), 'echo first; sleep 2; echo second', { stdout });
    const total = Date.now() - started;
    expect(firstAt).toBeDefined();
    expect(total - (firstAt as number)).toBeGreaterThan(1_500);
  });

  it('a stream target gets the output and the result has none; a collected output past maxOutputBytes fails', async () => {
    const chunks: Buffer[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const streamed = await runAdminShellCommand(optionsFor(host()), 'head -c 300000 /dev/zero', { stdout });
    expect(Buffer.concat(chunks)).toHaveLength(300_000);
    expect(streamed.stdout).toHaveLength(0);
    const error = await rejection(
      runAdminShellCommand(optionsFor(host()), 'head -c 300000 /dev/zero', { maxOutputBytes: 1_000 }),
    );
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
  });

  it('an aborted signal interrupts the command and rejects with ABORTED', async () => {
    const started = Date.now();
    const error = await rejection(
      runAdminShellCommand(optionsFor(host(), { signal: AbortSignal.timeout(500) }), 'sleep 30'),
    );
    expect(error.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('bad commands are refused at once, before any call', () => {
    const calls = host().calls.length;
    for (const bad of ['', 'a\0b', 'x'.repeat(300 * 1024)]) {
      expect(() => runAdminShellCommand(optionsFor(host()), bad)).toThrow(AdminShellError);
    }
    expect(host().calls.length).toBe(calls);
  });
});

describe('runAdminShellCommand aborted, on a host that keeps the shell when the client leaves (as the service does until its idle timeout)', () => {
  const host = hosts({ agent: { keepSessionOnClientClose: true } });

  it('an abort types Ctrl-C before the session ends: the remote command gets its SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abort-int-'));
    try {
      const mark = join(dir, 'interrupted');
      const controller = new AbortController();
      const running = runAdminShellCommand(
        optionsFor(host(), { signal: controller.signal }),
        `trap 'touch ${mark}; exit 130' INT; echo started; sleep 30 & wait`,
        {
          stdout: new Writable({
            write(chunk, _encoding, callback) {
              if (String(chunk).includes('started')) controller.abort();
              callback();
            },
          }),
        },
      );
      expect((await rejection(running)).code).toBe('ABORTED');
      await expect.poll(() => existsSync(mark), { timeout: 5_000 }).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runAdminShellCommand when the admin shell is bash with readline (typed line goes through readline)', () => {
  const host = hosts({ agent: { shell: { file: 'bash', args: ['--noprofile', '--norc', '-i'] } } });

  it('runs exactly and returns the status', async () => {
    const result = await runAdminShellCommand(
      optionsFor(host()),
      "printf '%s' \"$0\"; echo ' x\ty' >&2; exit 9",
    );
    expect(result.stdout.toString()).toBe('sh');
    expect(result.stderr.toString()).toBe(' x\ty\n');
    expect(result.exitCode).toBe(9);
  });
});

describe('runAdminShellCommand on a host without perl (the POSIX sh runner)', () => {
  const tools = toolPath([
    ...BASE_TOOLS,
    'true',
    'false',
    'head',
    'cut',
    'sha256sum',
    'wc',
    'kill',
    'touch',
    'sleep',
  ]);
  const host = hosts({ agent: { shell: { file: '/bin/sh', env: { PATH: tools.dir } } } });
  afterAll(() => tools.remove());
  exactnessCases(host);
});

describe('hosts that cannot run a command', () => {
  it('no base64 on the host: REMOTE_TOOL_MISSING names it, quickly', async () => {
    const tools = toolPath(['sh', 'stty', 'sed', 'cat']);
    const em = await startGameLiftStreamsEmulator({
      credentials: CREDS,
      agent: { shell: { file: '/bin/sh', env: { PATH: tools.dir } } },
    });
    try {
      const started = Date.now();
      const error = await rejection(runAdminShellCommand(optionsFor(em), 'echo hi'));
      expect(error.code).toBe('REMOTE_TOOL_MISSING');
      expect(error.message).toContain('no base64 command');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await em.close();
      tools.remove();
    }
  });

  it('a Windows session (PowerShell) is recognised within 2 s, with a message that says what to do', async () => {
    const em = await startGameLiftStreamsEmulator({ credentials: CREDS, runtime: 'windows' });
    try {
      const started = Date.now();
      const error = await rejection(runAdminShellCommand(optionsFor(em), 'uname -a'));
      const elapsed = Date.now() - started;
      expect(error.code).toBe('UNSUPPORTED_SHELL');
      expect(error.message).toContain('PowerShell');
      expect(error.message).toContain('an interactive shell (openAdminShell)');
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await em.close();
    }
  });
});

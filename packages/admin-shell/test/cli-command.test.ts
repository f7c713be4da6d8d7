import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { emulatorArgs, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

describe('gamelift-admin-shell --command and scripts on stdin, end to end', () => {
  let em: GameLiftStreamsEmulator;
  let args: string[];
  let dir: string;
  beforeAll(async () => {
    // bash with readline, as the interactive shell where typing into the line editor hurt most.
    em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { shell: { file: 'bash', args: ['--noprofile', '--norc', '-i'], env: { PS1: 'host$ ' } } },
    });
    args = emulatorArgs(em);
    dir = mkdtempSync(join(tmpdir(), 'glas-cli-command-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a CR, Ctrl-U, Ctrl-C or TAB in --command is part of the command: no second command, no hang', async () => {
    const marker = join(dir, 'created-by-a-second-command');
    const started = Date.now();
    const run = await runBuilt([...args, '--command', `echo one\rtouch ${marker}\u0015\u0003\tend`]);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Unquoted, the TAB separates two words of echo, which prints them with a space.
    expect(run.stdout.toString()).toBe(`one\rtouch ${marker}\u0015\u0003 end\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("--command: stdout gets only the command's stdout, stderr its stderr, and the status is its own", async () => {
    const run = await runBuilt([...args, '--command', 'echo to-stdout; echo to-stderr >&2; exit 5']);
    expect(run.stdout.toString()).toBe('to-stdout\n');
    expect(run.stderr).toBe('to-stderr\n');
    expect(run.code).toBe(5);
  });

  it("--command reads local stdin when it is not a terminal (… --command 'cat > f' < local)", async () => {
    const local = randomBytes(300_000);
    const target = join(dir, 'from-stdin');
    const run = await runBuilt([...args, '--command', `cat > '${target}'`], { input: local });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(target).equals(local)).toBe(true);
  });

  it('a script on stdin runs like `ssh host < script`: its output only, no prompt, echo or CRLF', async () => {
    const run = await runBuilt(args, { input: 'uname -a\n' });
    expect(run.stderr).toBe('');
    expect(run.stdout.toString()).toBe(execFileSync('uname', ['-a'], { encoding: 'utf8' }));
    expect(run.code).toBe(0);
  });

  it("a script's exit status is the command's: printf 'echo a\\nexit 7\\n' | … exits 7", async () => {
    const run = await runBuilt(args, { input: 'echo a\necho b >&2\nexit 7\necho never\n' });
    expect(run.stdout.toString()).toBe('a\n');
    expect(run.stderr).toBe('b\n');
    expect(run.code).toBe(7);
  });

  it('-t forces the transcript: stdin typed into the remote terminal, prompts and echo included', async () => {
    const run = await runBuilt([...args, '-t'], { input: 'echo "typed-$((40+2))"\n' });
    expect(run.code).toBe(0);
    const out = run.stdout.toString();
    expect(out).toContain('host$ ');
    expect(out).toMatch(/typed-42\r\n/);
  });
});

describe('gamelift-admin-shell on a Windows stream session', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS, runtime: 'windows' });
  });
  afterAll(async () => {
    await em.close();
  });

  it('--command says within 2 s that the session is Windows and what to do, exit 79', async () => {
    const started = Date.now();
    const run = await runBuilt([...emulatorArgs(em), '--command', 'uname -a']);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(run.code).toBe(79);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^gamelift-admin-shell: The stream session's admin shell is PowerShell/);
    expect(run.stderr).toContain('Use the interactive session (without --command) instead.');
  });

  it('cp says the same', async () => {
    const run = await runBuilt(['cp', ...emulatorArgs(em), ':/etc/hostname', tmpdir()]);
    expect(run.code).toBe(79);
    expect(run.stderr).toContain('PowerShell');
  });
});

describe('messages of the command', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      notReadyTimes: Number.POSITIVE_INFINITY,
    });
  });
  afterAll(async () => {
    await em.close();
  });

  it('--wait 2: "retrying for up to 2 s", then "after 2 s of retries": the whole wait is used', async () => {
    const started = Date.now();
    const run = await runBuilt([...emulatorArgs(em), '--wait', '2', '--command', 'true']);
    const elapsed = Date.now() - started;
    expect(run.code).toBe(75);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      'gamelift-admin-shell: the admin shell is not ready yet; retrying for up to 2 s...',
    );
    expect(lines[1]).toMatch(/is not ready yet after 2 s of retries/);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
  });

  it("say flags, never the library's option names", async () => {
    const run = await runBuilt([...emulatorArgs(em), '--wait', '0', '--command', 'true']);
    expect(run.stderr).toContain('--wait');
    expect(run.stderr).not.toMatch(/option|retry\.|logger|maxWaitMs/);
  });
});

describe('--record without a terminal', () => {
  it('is a usage error unless -t asks for the transcript', async () => {
    const run = await runBuilt(
      ['--stream-session', 'ABC123def4567', '--stream-group', 'sg-1', '--record', '/tmp/x.cast'],
      {
        input: 'true\n',
      },
    );
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/--record records a terminal session: run it in a terminal, or give -t/);
  });
});

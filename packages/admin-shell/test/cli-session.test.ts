import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, emulatorArgs, MAIN, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

describe('gamelift-admin-shell: piped input and --command, end to end', () => {
  let em: GameLiftStreamsEmulator;
  let args: string[];
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
    args = emulatorArgs(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('piped: stdin goes to the remote shell, its end ends the session cleanly', async () => {
    const run = await runBuilt(args, { input: 'echo "piped-$((2+3))"\nuname -s' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout.toString();
    // The remote pty echoes the typed lines too (that is remote output); only the shell prints piped-5.
    expect(out).toMatch(/piped-5\r?\n/);
    expect(out).toMatch(/Linux\r?\n/);
  });

  it("piped into bash with readline: stdin's end still ends the session (Ctrl-D is retried at the prompt)", async () => {
    const bashEm = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { shell: { file: 'bash', args: ['--noprofile', '--norc', '-i'], env: { PS1: 'bash$ ' } } },
    });
    try {
      const started = Date.now();
      const run = await runBuilt(emulatorArgs(bashEm), { input: 'echo "piped-$((6*7))"\nuname -s\n' });
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toMatch(/piped-42\r?\n/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await bashEm.close();
    }
  });

  it('--command prints only the output and exits 0', async () => {
    const run = await runBuilt([...args, '--command', 'echo hello; echo "two  spaces"']);
    expect(run.stderr).toBe('');
    expect(run.stdout.toString()).toBe('hello\ntwo  spaces\n');
    expect(run.code).toBe(0);
  });

  it('--command exits with the command status (7)', async () => {
    const run = await runBuilt([...args, '--command', 'echo before; exit 7']);
    expect(run.stdout.toString()).toBe('before\n');
    expect(run.code).toBe(7);
  });

  it('--command is not fooled by output that looks like markers', async () => {
    const fake =
      'echo __GLAS_0123456789abcdef0123456789abcdef_END__:0; echo __GLAS__END__:0; printf "_BEGIN__\\n"; exit 3';
    const run = await runBuilt([...args, '--command', fake]);
    expect(run.stdout.toString()).toBe(
      '__GLAS_0123456789abcdef0123456789abcdef_END__:0\n__GLAS__END__:0\n_BEGIN__\n',
    );
    expect(run.code).toBe(3);
  });

  it('--command passes binary garbage through byte for byte', async () => {
    // Every byte value 0..255, twice, made by the remote shell's printf.
    const all = Array.from({ length: 256 }, (_, i) => `\\${i.toString(8).padStart(3, '0')}`).join('');
    const run = await runBuilt([...args, '--command', `printf '${all}${all}'`]);
    const expected = Buffer.from([...Array(256).keys(), ...Array(256).keys()]);
    expect(run.code).toBe(0);
    expect(run.stdout.equals(expected)).toBe(true);
  });

  it('--command delivers a large output whole before the shell exits', async () => {
    const run = await runBuilt([...args, '--command', 'head -c 300000 /dev/zero | tr "\\000" x; echo']);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(300_001);
    expect(run.stdout.subarray(0, 300_000).every((b) => b === 0x78)).toBe(true);
  });

  it('--command with quotes, newlines and a status from a pipeline', async () => {
    const run = await runBuilt([
      ...args,
      '--command',
      "x='it'\\''s'\nprintf '%s\\n' \"$x\"\nfalse | true; exit 0",
    ]);
    expect(run.stdout.toString()).toBe("it's\n");
    expect(run.code).toBe(0);
  });

  it('--stream-session as an ARN alone names the stream group and the region', async () => {
    const run = await runBuilt([
      '--endpoint-url',
      em.endpoint,
      '--stream-session',
      em.streamSessionArn,
      '--command',
      'echo arn-ok',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout.toString()).toBe('arn-ok\n');
    expect(run.code).toBe(0);
  });

  it('piped: a shell printing 200 KB of binary garbage neither hangs nor breaks the session', async () => {
    // The end of stdin ends the shell right after the output: its tail must still come out of the pty.
    const run = await runBuilt(args, {
      input: 'head -c 200000 /dev/urandom; echo; echo "garbage-$((40+2))"\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(200_000);
    expect(run.stdout.toString('latin1')).toContain('garbage-42');
  });

  it('a reader that closes stdout (| head) ends the run quietly with 141, and the next run gets a fresh shell', async () => {
    const child = spawn(process.execPath, [MAIN, ...args, '--command', 'yes'], { env: awsEnv() });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number | null];
    clearTimeout(timer);
    expect(code).toBe(141);
    expect(stderr).toBe('');
    const next = await runBuilt([...args, '--command', 'echo "fresh-$((1+1))"'], { timeoutMs: 15_000 });
    expect(next.stdout.toString()).toBe('fresh-2\n');
    expect(next.code).toBe(0);
  });

  it('a session replaced by the service mid-run exits 76 and says why', async () => {
    const old = await em.terminalSession();
    const pending = runBuilt([...args, '--command', 'sleep 1; echo too-late']);
    await new Promise<void>((resolve) => old.events.once('connection', () => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    await em.replaceTerminalSession();
    old.disconnect();
    const run = await pending;
    expect(run.code).toBe(76);
    expect(run.stdout.toString()).not.toContain('too-late');
    expect(run.stderr).toMatch(/^gamelift-admin-shell: .*answered with a new terminal session/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('--verbose shows each step on stderr and never the token (a fixed one, known in advance)', async () => {
    // A token fixed in advance, so the check does not depend on what was issued: neither it nor any
    // 10-character piece of it (nor its base64) may show up in the output.
    const token = 'Zq8Xw7Lk2Pv9Rt4Hn6Bm1Cj5Dg3Fs0-verbose.fixed~TOKEN';
    const fixedEm = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS, tokenValue: token });
    try {
      const run = await runBuilt(['--verbose', ...emulatorArgs(fixedEm), '--command', 'echo verbose-ok']);
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toBe('verbose-ok\n');
      expect(run.stderr).toContain('calling CreateStreamSessionAdminShell');
      expect(run.stderr).toContain('CreateStreamSessionAdminShell answered');
      expect(run.stderr).toContain('connecting the data channel');
      expect(run.stderr).toContain('admin shell open');
      expect(run.stderr).toContain('[redacted]');
      // The CLI really used the fixed token: it was handed out, and the agent emulator accepted it.
      expect(fixedEm.issuedTokens.length).toBeGreaterThan(0);
      expect(new Set(fixedEm.issuedTokens)).toEqual(new Set([token]));
      expect((await fixedEm.agent()).stats()).toMatchObject({ connections: 1, authFailures: 0 });
      const pieces = Array.from({ length: token.length - 9 }, (_, i) => token.slice(i, i + 10));
      for (const stream of [run.stdout.toString('latin1'), run.stderr]) {
        for (const piece of pieces) expect(stream).not.toContain(piece);
        expect(stream).not.toContain(Buffer.from(token).toString('base64').slice(0, 16));
        expect(stream).not.toContain(TEST_CREDENTIALS.secretAccessKey);
      }
    } finally {
      await fixedEm.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, emulatorArgs, MAIN, runBuilt, runInPty, TEST_CREDENTIALS } from './helpers/built-cli.js';
import { describeTree, makeOddTree } from './helpers/file-trees.js';
import { BASE_TOOLS, COPY_TOOLS, toolPath } from './helpers/tool-path.js';

/** No temporary copy (`.glas-cp-*`) left in `dir`. */
function expectNoLeftovers(dir: string): void {
  expect(readdirSync(dir).filter((name) => name.startsWith('.glas-cp-'))).toEqual([]);
}

describe('gamelift-admin-shell cp, through both emulators', () => {
  let em: GameLiftStreamsEmulator;
  let args: string[];
  let work: string;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
    args = emulatorArgs(em);
    work = mkdtempSync(join(tmpdir(), 'glas-cp-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a directory with odd names (spaces, newlines, tabs, quotes, UTF-8, -dash, symlink, modes) goes both ways unchanged', async () => {
    const source = join(work, 'odd tree');
    makeOddTree(source);
    const remote = join(work, 'remote side');
    mkdirSync(remote);
    const up = await runBuilt(['cp', ...args, source, `:${remote}`]);
    expect(up.stderr).toBe('');
    expect(up.stdout.length).toBe(0);
    expect(up.code).toBe(0);
    expect(describeTree(join(remote, 'odd tree'))).toEqual(describeTree(source));
    const back = join(work, 'back here');
    const down = await runBuilt(['cp', ...args, `:${join(remote, 'odd tree')}/`, back]);
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    expect(describeTree(back)).toEqual(describeTree(source));
    expectNoLeftovers(work);
    expectNoLeftovers(remote);
  });

  it('a file: into a folder, to a new name, and over an existing file; never over a directory', async () => {
    const file = join(work, 'fix.ini');
    writeFileSync(file, 'setting=1\n');
    const folder = join(work, 'opt game');
    mkdirSync(folder);
    expect((await runBuilt(['cp', ...args, file, `:${folder}`])).code).toBe(0);
    expect(readFileSync(join(folder, 'fix.ini'), 'utf8')).toBe('setting=1\n');
    writeFileSync(file, 'setting=2\n');
    expect((await runBuilt(['cp', ...args, file, `:${join(folder, 'fix.ini')}`])).code).toBe(0);
    expect(readFileSync(join(folder, 'fix.ini'), 'utf8')).toBe('setting=2\n');
    expect(
      (await runBuilt(['cp', ...args, `:${join(folder, 'fix.ini')}`, join(work, 'renamed.ini')])).code,
    ).toBe(0);
    expect(readFileSync(join(work, 'renamed.ini'), 'utf8')).toBe('setting=2\n');
    mkdirSync(join(folder, 'taken'));
    const refused = await runBuilt(['cp', ...args, file, `:${join(folder, 'taken')}/`]);
    expect(refused.code).toBe(0);
    const dirInTheWay = await runBuilt(['cp', ...args, join(work, 'odd tree'), `:${folder}/fix.ini`]);
    expect(dirInTheWay.code).toBe(73);
    expect(dirInTheWay.stderr).toMatch(/^gamelift-admin-shell: .*already exists/);
    expectNoLeftovers(folder);
  });

  it('a missing remote path: exit 66, and nothing left here', async () => {
    const into = join(work, 'empty target');
    mkdirSync(into);
    const run = await runBuilt(['cp', ...args, ':/nonexistent/glas/file.log', into]);
    expect(run.code).toBe(66);
    expect(run.stderr).toBe(
      'gamelift-admin-shell: The stream session\'s host has no "/nonexistent/glas/file.log".\n',
    );
    expect(readdirSync(into)).toEqual([]);
  });

  it('a missing local source or destination folder: exit 66 / 73 before anything is sent', async () => {
    const calls = em.calls.length;
    const missing = await runBuilt(['cp', ...args, join(work, 'no such file'), ':/tmp/']);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/does not exist here/);
    const noFolder = await runBuilt(['cp', ...args, ':/etc/hostname', join(work, 'no such dir', 'x')]);
    expect(noFolder.code).toBe(73);
    expect(noFolder.stderr).toMatch(/does not exist here\. Create it first\./);
    expect(em.calls.length).toBe(calls);
  });

  it('a session lost in the middle of a download: the error, and nothing partial left here', async () => {
    const big = join(work, 'big.bin');
    writeFileSync(big, randomBytes(20_000_000));
    const into = join(work, 'interrupted');
    mkdirSync(into);
    const pending = runBuilt(['cp', ...args, `:${big}`, into]);
    const session = await em.terminalSession();
    await new Promise<void>((resolve) => session.events.once('ready', () => resolve()));
    await new Promise((r) => setTimeout(r, 1_500));
    session.terminate('stopped by the test');
    const run = await pending;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^gamelift-admin-shell: /);
    expect(readdirSync(into)).toEqual([]);
  });

  it('a progress bar on a terminal stderr (bytes, percent, rate, ETA), cleared at the end; silent otherwise', async () => {
    const file = join(work, 'progress.bin');
    writeFileSync(file, randomBytes(8_000_000));
    const into = join(work, 'progress here');
    mkdirSync(into);
    const term = runInPty(process.execPath, [MAIN, 'cp', ...args, `:${file}`, into], { env: awsEnv() });
    const exit = await term.exited;
    expect(exit.exitCode).toBe(0);
    const shown = term.output();
    // The bar itself (its rate and time left need time to measure: see progress-bar.test.ts).
    expect(shown).toMatch(/\[[#.]{20}\] +\d+% +[\d.]+ [kM]B \/ 8\.0 MB/);
    expect(shown.endsWith('\r\u001b[K')).toBe(true);
    expect(readFileSync(join(into, 'progress.bin')).equals(readFileSync(file))).toBe(true);
  });
});

describe('gamelift-admin-shell cp on hosts that cannot take the copy', () => {
  it('no tar on the host: exit 72, the tool named', async () => {
    const tools = toolPath([...BASE_TOOLS, 'perl']);
    const em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { shell: { file: '/bin/sh', env: { PATH: tools.dir } } },
    });
    try {
      const run = await runBuilt(['cp', ...emulatorArgs(em), ':/etc/hostname', tmpdir()]);
      expect(run.code).toBe(72);
      expect(run.stderr).toMatch(/^gamelift-admin-shell: The stream session's host has no tar command/);
    } finally {
      await em.close();
      tools.remove();
    }
  });

  it('a SHA-256 that does not match: exit 76, and nothing written here', async () => {
    // A host whose sha256sum lies: what arrives cannot be checked, so it is refused.
    const tools = toolPath([...BASE_TOOLS, ...COPY_TOOLS.filter((t) => t !== 'sha256sum'), 'perl']);
    writeFileSync(join(tools.dir, 'sha256sum'), `#!/bin/sh\ncat >/dev/null\necho ${'0'.repeat(64)}  -\n`);
    chmodSync(join(tools.dir, 'sha256sum'), 0o755);
    const em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { shell: { file: '/bin/sh', env: { PATH: tools.dir } } },
    });
    const into = mkdtempSync(join(tmpdir(), 'glas-cp-sha-'));
    try {
      const run = await runBuilt(['cp', ...emulatorArgs(em), ':/etc/hostname', into]);
      expect(run.code).toBe(76);
      expect(run.stderr).toMatch(/does not have the SHA-256 the host computed; nothing was written/);
      expect(readdirSync(into)).toEqual([]);
    } finally {
      await em.close();
      tools.remove();
      rmSync(into, { recursive: true, force: true });
    }
  });

  it("the host's disk full: exit 73 says so, nothing replaced or left there", async () => {
    const mount = mkdtempSync(join(tmpdir(), 'glas-small-remote-'));
    // The host's shell runs in its own mount namespace, with a 1 MiB file system at `mount`.
    const em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: {
        shell: {
          file: 'unshare',
          args: ['-rm', 'sh', '-c', `mount -t tmpfs -o size=1m tmpfs '${mount}' && exec sh -i`],
        },
      },
    });
    const big = join(tmpdir(), `glas-3mb-${process.pid}.bin`);
    writeFileSync(big, randomBytes(3_000_000));
    try {
      const run = await runBuilt(['cp', ...emulatorArgs(em), big, `:${mount}/`]);
      expect(run.code).toBe(73);
      expect(run.stderr, run.stderr).toMatch(
        /^gamelift-admin-shell: The host.s disk is full: the copy to .* did not fit/,
      );
      const listing = await runBuilt([...emulatorArgs(em), '--command', `ls -A '${mount}'`]);
      expect(listing.stdout.toString()).toBe('');
    } finally {
      await em.close();
      rmSync(big, { force: true });
      rmSync(mount, { recursive: true, force: true });
    }
  });

  it('the local disk full: exit 73 says so, nothing left here', async () => {
    const em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
    const mount = mkdtempSync(join(tmpdir(), 'glas-small-local-'));
    const big = join(tmpdir(), `glas-3mb-down-${process.pid}.bin`);
    writeFileSync(big, randomBytes(3_000_000));
    try {
      // The command runs in its own mount namespace, with a 1 MiB file system at `mount`, and lists it after.
      const run = await runBuilt(['cp', ...emulatorArgs(em), `:${big}`, `${mount}/`], {
        wrap: (command) => [
          'unshare',
          [
            '-rm',
            'sh',
            '-c',
            `mount -t tmpfs -o size=1m tmpfs '${mount}' || exit 99; "$@"; s=$?; ls -A '${mount}' >&2; exit $s`,
            'sh',
            ...command,
          ],
        ],
      });
      expect(run.code, run.stderr).toBe(73);
      expect(run.stderr).toMatch(
        /^gamelift-admin-shell: The copy cannot be written to .* here: the disk is full\. Nothing was left behind\.\n$/,
      );
    } finally {
      await em.close();
      rmSync(big, { force: true });
      rmSync(mount, { recursive: true, force: true });
    }
  });
});

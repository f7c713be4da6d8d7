/**
 * The packages as a user gets them. Both are packed (`pnpm pack`, which runs `prepack`) from a copy of the
 * working tree (scripts/pack-copy.mjs) and installed with npm into a new project outside the workspace, where
 * the scripts of `app/` run: both emulators with and without node-pty, a command piped into a real shell
 * through each package, the README snippets marked to run as written, the installed command, `require()`
 * from CommonJS, `tsc --noEmit` under node16, bundler and nodenext (CommonJS) resolution, and the AWS SDK
 * warnings' off switches. publint and attw check both tarballs. `pnpm release:dry` runs alongside.
 *
 * npm runs with `--prefer-offline`: its cache serves every run after the first on a machine. node-pty, whose
 * install compiles a native addon, is linked from the workspace's built copy. The checks of each stage run
 * concurrently. `KEEP_PACKAGING_DIR=1` keeps the temporary folder for a look.
 */

import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from './readme-snippets.js';
import { directorySize, type Run, readTarball, run, shown, tarballText, toolEnv } from './tools.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP_FIXTURES = fileURLToPath(new URL('./app/', import.meta.url));
const PACKAGES = [
  { dir: 'ssm-channel', name: 'ssm-channel' },
  { dir: 'admin-shell', name: 'gamelift-admin-shell' },
] as const;
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const requireFromTest = createRequire(join(ROOT, 'test', 'package.json'));
const SNIPPETS = readmeSnippets(ROOT);
/** A command of the workspace's dev dependencies. */
const BIN = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
const versionOf = (requireFrom: NodeJS.Require, name: string): string =>
  (requireFrom(`${name}/package.json`) as { version: string }).version;
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

let work: string;
let app: string;
const tarballs = new Map<string, string>();
const figures: string[] = [];
/** The release dry run, with a changeset of this test's own (a major bump of ssm-channel). */
let releaseDry: { run: Run; out: string; current: string; next: string };
/** The tree before the packing and the dry run: `git status`, and when ssm-channel was last built. */
let treeBefore: { status: string; builtAt: number };

async function treeState(): Promise<typeof treeBefore> {
  const status = await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT });
  if (status.code !== 0) throw new Error(`git status failed\n${shown(status)}`);
  return {
    status: status.stdout,
    builtAt: statSync(join(ROOT, 'packages/ssm-channel/dist/index.js')).mtimeMs,
  };
}

/** `node <args>` in the app. */
function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, args, { cwd: app, env: toolEnv(env), timeoutMs: 60_000 });
}

async function startReleaseDry(): Promise<typeof releaseDry> {
  const current = versionOf(requireFromRoot, './packages/ssm-channel');
  const next = `${Number(current.split('.')[0]) + 1}.0.0`;
  const changeset = join(work, 'release-dry-test.md');
  writeFileSync(changeset, '---\n"ssm-channel": major\n---\n\nAn entry of the release dry run test.\n');
  const out = join(work, 'release-dry');
  const started = performance.now();
  const result = await run(process.execPath, [join(ROOT, 'scripts', 'release-dry.mjs'), '--out', out], {
    cwd: ROOT,
    env: { ...process.env, RELEASE_DRY_EXTRA_CHANGESET: changeset },
    timeoutMs: 240_000,
  });
  figures.push(`release:dry ${seconds(started)}`);
  return { run: result, out, current, next };
}

async function packAndInstall(): Promise<void> {
  const packStarted = performance.now();
  const packed = await run(
    process.execPath,
    [join(ROOT, 'scripts', 'pack-copy.mjs'), '--out', join(work, 'tarballs')],
    {
      cwd: ROOT,
      env: process.env,
      timeoutMs: 240_000,
    },
  );
  if (packed.code !== 0) throw new Error(`packing failed\n${shown(packed)}`);
  figures.push(`pack ${seconds(packStarted)}`);
  for (const { dir, name } of PACKAGES) {
    tarballs.set(
      name,
      join(work, 'tarballs', `${name}-${versionOf(requireFromRoot, `./packages/${dir}`)}.tgz`),
    );
  }

  app = join(work, 'app');
  mkdirSync(app);
  cpSync(APP_FIXTURES, app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'packaging-check', private: true, type: 'module' }, null, 2)}\n`,
  );
  const installStarted = performance.now();
  const installed = await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      ...tarballs.values(),
      // What a user adds to build their own client, and for TypeScript: the versions the workspace tests.
      `@aws-sdk/client-gameliftstreams@${versionOf(requireFromTest, '@aws-sdk/client-gameliftstreams')}`,
      `@types/node@${versionOf(requireFromRoot, '@types/node')}`,
    ],
    { cwd: app, timeoutMs: 240_000 },
  );
  if (installed.code !== 0) throw new Error(`npm install failed\n${shown(installed)}`);
  // An engines range or a peer dependency of ours that npm complains about is a packaging bug.
  const ours = installed.stderr.split('\n').filter((line) => /ssm-channel|gamelift-admin-shell/.test(line));
  if (ours.length > 0) throw new Error(`npm warned about our packages:\n${ours.join('\n')}`);
  figures.push(
    `npm install ${seconds(installStarted)}`,
    `node_modules ${(directorySize(join(app, 'node_modules')) / 1024 / 1024).toFixed(1)} MiB`,
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gamelift-admin-shell-packaging-'));
  treeBefore = await treeState();
  // The dry run builds in a copy of its own: it runs while this one packs and installs.
  [releaseDry] = await Promise.all([startReleaseDry(), packAndInstall()]);
}, 420_000);

afterAll(() => {
  if (work === undefined) return;
  const sizes = [...tarballs].map(
    ([name, path]) => `${name} ${(readFileSync(path).length / 1024).toFixed(0)} KiB`,
  );
  process.stderr.write(`packaging: ${[...figures, ...sizes].join(', ')}\n`);
  if (process.env.KEEP_PACKAGING_DIR === undefined) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`packaging: kept ${work}\n`);
});

describe('the tarballs', () => {
  it.concurrent.each(PACKAGES)(
    '$name holds dist, README, LICENSE, CHANGELOG and package.json only',
    ({ name, dir }) => {
      const entries = readTarball(tarballs.get(name) as string);
      const names = [...entries.keys()].map((entry) => entry.replace(/^package\//, ''));
      const outside = names.filter(
        (entry) =>
          !/^dist\/.+\.(js|d\.ts)$/.test(entry) &&
          // The browser page of `gamelift-admin-shell web`, and the license notices of what it bundles.
          !(
            dir === 'admin-shell' &&
            /^dist\/web\/page\/(index\.html|page\.css|page\.(js|css)\.LEGAL\.txt)$/.test(entry)
          ) &&
          !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', 'bin/gamelift-admin-shell.js'].includes(
            entry,
          ),
      );
      expect(outside).toEqual([]);
      for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
        expect(names).toContain(required);
      }
      expect(names).toContain('dist/testing/index.js');
      expect(names).toContain('dist/testing/index.d.ts');
      if (dir === 'admin-shell') {
        for (const page of ['index.html', 'page.js', 'page.css', 'page.js.LEGAL.txt']) {
          expect(names).toContain(`dist/web/page/${page}`);
        }
      }
      if (dir === 'ssm-channel') {
        for (const build of ['browser.js', 'platform/web.js', 'platform/node.js'])
          expect(names).toContain(`dist/${build}`);
      }
      // Built for the tarball: no map pointing at sources it does not carry.
      expect(tarballText(tarballs.get(name) as string, 'dist/index.js')).not.toContain('sourceMappingURL');
      expect(entries.get('package/LICENSE')?.content.equals(readFileSync(join(ROOT, 'LICENSE')))).toBe(true);

      const manifest = JSON.parse(tarballText(tarballs.get(name) as string, 'package.json'));
      const source = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
      expect(manifest.version).toBe(source.version);
      for (const field of [
        'description',
        'keywords',
        'homepage',
        'bugs',
        'repository',
        'license',
        'engines',
      ]) {
        expect(manifest[field], field).toBeTruthy();
      }
      expect(manifest.license).toBe('Apache-2.0');
      expect(manifest.repository.directory).toBe(`packages/${dir}`);
      expect(manifest.engines.node).toBe('^20.19.0 || >=22.12.0');
      // Every set of conditions that names files names its declarations first (nested sets each their own).
      const typesFirst = (entry: unknown): void => {
        if (typeof entry !== 'object' || entry === null) return;
        const values = Object.values(entry);
        if (values.every((value) => typeof value === 'string')) expect(Object.keys(entry)[0]).toBe('types');
        else for (const value of values) typesFirst(value);
      };
      for (const entry of Object.values(manifest.exports)) typesFirst(entry);
      expect(manifest.peerDependencies).toEqual({ 'node-pty': '^1.1.0' });
      expect(manifest.peerDependenciesMeta).toEqual({ 'node-pty': { optional: true } });
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    },
  );

  it.concurrent('gamelift-admin-shell depends on the ssm-channel of the same release, and ships an executable bin', () => {
    const tarball = tarballs.get('gamelift-admin-shell') as string;
    const manifest = JSON.parse(tarballText(tarball, 'package.json'));
    expect(manifest.dependencies['ssm-channel']).toBe(versionOf(requireFromRoot, './packages/ssm-channel'));
    expect(manifest.bin).toEqual({ 'gamelift-admin-shell': './bin/gamelift-admin-shell.js' });
    const bin = readTarball(tarball).get('package/bin/gamelift-admin-shell.js');
    expect(bin?.content.toString()).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect((bin?.mode ?? 0) & 0o111).not.toBe(0);
  });

  it.concurrent.each(PACKAGES)('publint finds nothing in $name', async ({ name }) => {
    const result = await run(BIN('publint'), ['run', tarballs.get(name) as string, '--strict']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('All good!');
  });

  it.concurrent.each(PACKAGES)('attw finds nothing in $name (an ESM-only package)', async ({ name }) => {
    // The esm-only profile leaves out CommonJS resolution under node16 (a require() of an ES module, which
    // Node allows from 20.19, see the README) and node10 resolution (no `exports` support).
    const result = await run(BIN('attw'), [
      tarballs.get(name) as string,
      '--profile',
      'esm-only',
      '--format',
      'json',
    ]);
    expect(result.code, shown(result)).toBe(0);
    const report = JSON.parse(result.stdout) as {
      analysis: { types: { kind: string }; entrypoints: Record<string, unknown> };
      problems: Record<string, { resolutionKind?: string }[]>;
    };
    expect(report.analysis.types.kind).toBe('included');
    expect(Object.keys(report.analysis.entrypoints)).toEqual(['.', './testing', './package.json']);
    const counted = Object.values(report.problems)
      .flat()
      .filter((problem) => problem.resolutionKind !== 'node10' && problem.resolutionKind !== 'node16-cjs');
    expect(counted).toEqual([]);
  });
});

describe('pnpm release:dry', () => {
  it('versions and packs both packages from a copy, publishing nothing', () => {
    const { run: result, out, current, next } = releaseDry;
    expect(result.code, shown(result)).toBe(0);
    // One fixed group: both move together, and the tarball of one pins the other's same release.
    expect(result.stdout).toContain(`ssm-channel: ${current} -> ${next}`);
    expect(result.stdout).toContain(`gamelift-admin-shell: ${current} -> ${next}`);
    expect(result.stdout).toContain(`Nothing was published; the tarballs are in ${out}`);
    const channel = join(out, `ssm-channel-${next}.tgz`);
    const shell = join(out, `gamelift-admin-shell-${next}.tgz`);
    expect(JSON.parse(tarballText(channel, 'package.json')).version).toBe(next);
    const manifest = JSON.parse(tarballText(shell, 'package.json'));
    expect(manifest.version).toBe(next);
    expect(manifest.dependencies['ssm-channel']).toBe(next);
    const changelog = tarballText(channel, 'CHANGELOG.md');
    expect(changelog).toMatch(new RegExp(`^# ssm-channel\\n\\n## ${next.replace(/\./g, '\\.')}\\n`));
    expect(changelog).toContain('An entry of the release dry run test.');
  });

  it('the packing and the dry run left this tree as it was (files, changesets, dist/)', async () => {
    expect(await treeState()).toEqual(treeBefore);
  });
});

describe('installed without node-pty', () => {
  it.concurrent('the testing entries load, and refuse a shell at once, naming the install command', async () => {
    const result = await node(['no-node-pty.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('startGameLiftStreamsEmulator: the agent emulator did not start');
  });

  it.concurrent('require() from CommonJS loads every entry', async () => {
    const result = await node(['require.cjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stderr).toBe('');
  });

  // node16 also checks the packages' declarations (skipLibCheck off), browser those of ssm-channel's browser
  // build without Node's types; the others look at resolution.
  it.concurrent.each(['node16', 'bundler', 'commonjs', 'browser'])(
    'tsc --noEmit passes under %s resolution',
    async (config) => {
      const tsc = requireFromRoot.resolve('typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', `tsconfig.${config}.json`], { cwd: app });
      expect(result.code, shown(result)).toBe(0);
    },
  );

  it.concurrent('the installed command answers --help and --version', async () => {
    const bin = join(app, 'node_modules', '.bin', 'gamelift-admin-shell');
    const help = await run(bin, ['--help'], { cwd: app });
    expect(help.code, shown(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}gamelift-admin-shell --stream-group/);
    expect(help.stderr).toBe('');
    const version = await run(bin, ['--version'], { cwd: app });
    expect(version.code, shown(version)).toBe(0);
    expect(version.stdout.trim()).toContain(versionOf(requireFromRoot, './packages/admin-shell'));
    const webHelp = await run(bin, ['web', '--help'], { cwd: app });
    expect(webHelp.code, shown(webHelp)).toBe(0);
    expect(webHelp.stdout).toMatch(/^Usage: gamelift-admin-shell web --stream-group/);
  });

  it.concurrent('the installed `web` command serves its page from the installed package', async () => {
    const bin = join(app, 'node_modules', '.bin', 'gamelift-admin-shell');
    const child = spawn(
      bin,
      ['web', '--stream-group', 'sg-1AB2C3De4', '--stream-session', 'ABC123def4567', '--region', 'us-west-2'],
      {
        cwd: app,
        env: {
          ...toolEnv(),
          AWS_ACCESS_KEY_ID: 'AKIDPACKAGING0000001',
          AWS_SECRET_ACCESS_KEY: 'packaging-test-secret',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const deadline = Date.now() + 20_000;
      let origin: string | undefined;
      while (origin === undefined && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        origin = stderr.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
      }
      expect(origin, stderr).toBeDefined();
      for (const [path, type] of [
        ['/', 'text/html'],
        ['/assets/page.js', 'text/javascript'],
        ['/assets/page.css', 'text/css'],
      ] as const) {
        const response = await fetch(`${origin}${path}`);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type')).toContain(type);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(500);
      }
    } finally {
      child.kill('SIGINT');
    }
  });
});

describe('installed with node-pty', () => {
  beforeAll(() => {
    // The workspace's node-pty, already built; installing it here would compile its addon again.
    const nodePty = realpathSync(dirname(requireFromTest.resolve('node-pty/package.json')));
    symlinkSync(nodePty, join(app, 'node_modules', 'node-pty'), 'dir');
  });

  it.concurrent('an ESM script pipes a command into a real shell through both emulators: output and exit status', async () => {
    const result = await node(['shell.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('openAdminShell: piped-42, exit status 3');
    expect(result.stdout).toContain('connectDataChannel: piped-42, exit status 3');
  });

  it.concurrent('the READMEs mark their runnable snippets', () => {
    expect(SNIPPETS.map((snippet) => snippet.name)).toEqual([
      'packages/ssm-channel/README.md#agent-emulator',
      'packages/admin-shell/README.md#api-emulator',
    ]);
  });

  it.concurrent.each(SNIPPETS)('the README snippet $name runs as written', async (snippet) => {
    const file = `${snippet.name.replace(/[^a-z0-9]+/gi, '-')}.mjs`;
    writeFileSync(join(app, file), snippet.code);
    const result = await node([file]);
    expect(result.code, shown(result)).toBe(0);
    for (const expected of snippet.expect) expect(result.stdout, shown(result)).toContain(expected);
  });

  it.concurrent('the installed command runs --command against the API emulator: output and exit status', async () => {
    const result = await node(['command.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('gamelift-admin-shell --command: "command-42\\n", exit status 5');
  });

  it.concurrent("the SDK's Node 22 notice appears on Node 20, and the README's setting turns it off", async () => {
    const [shownOn20, silenced] = await Promise.all([
      node(['sdk-warnings.mjs', 'node-version']),
      node(['sdk-warnings.mjs', 'node-version', 'silenced']),
    ]);
    expect(shownOn20.code, shown(shownOn20)).toBe(0);
    // The SDK warns on Node < 22 only; on 22 and later nothing is shown either way.
    if (Number(process.versions.node.split('.')[0]) < 22) {
      expect(shownOn20.stderr).toContain('NodeVersionSupportWarning');
    } else expect(shownOn20.stderr).toBe('');
    expect(silenced.code, shown(silenced)).toBe(0);
    expect(silenced.stderr).toBe('');
  });

  it.concurrent('"Multiple credential sources detected" goes to the client\'s logger when it has one', async () => {
    const config = join(app, 'aws-config');
    writeFileSync(
      config,
      '[profile packaging]\naws_access_key_id = AKIDPACKAGINGPROFILE\naws_secret_access_key = profile-secret\n',
    );
    const env = {
      AWS_PROFILE: 'packaging',
      AWS_ACCESS_KEY_ID: 'AKIDPACKAGINGENVKEY1',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(app, 'no-aws-credentials'),
    };
    const [loud, quiet] = await Promise.all([
      node(['sdk-warnings.mjs', 'credentials'], env),
      node(['sdk-warnings.mjs', 'credentials', 'silenced'], env),
    ]);
    expect(loud.code, shown(loud)).toBe(0);
    expect(loud.stderr).toContain('Multiple credential sources detected');
    expect(quiet.code, shown(quiet)).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('logger.warn got 1 warning(s)');
    expect(quiet.stdout).toContain('Multiple credential sources detected');
  });
});

/**
 * The packages as a user gets them: both are packed (`pnpm pack`, which runs `prepack`) from a copy of the
 * working tree (scripts/pack-copy.mjs), and the tarballs are installed with npm into a new project outside the workspace. That project
 * then runs the ESM script in `app/` against both emulators, the README snippets marked to run as written,
 * `require()` from CommonJS, `tsc --noEmit` under node16, bundler and nodenext (CommonJS) resolution, and the
 * installed `gamelift-admin-shell` command; publint and attw check both tarballs.
 *
 * npm runs with `--prefer-offline`: its cache serves every run after the first on a machine. node-pty, whose
 * install compiles a native addon, is linked from the workspace's built copy instead of built again.
 * `KEEP_PACKAGING_DIR=1` keeps the temporary folder for a look.
 */
import { type SpawnOptions, spawn } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from './readme-snippets.js';

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

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of the tools run here, without what pnpm sets for its own scripts (it would make npm
 * believe it runs inside the workspace's script).
 */
function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(npm_(package|lifecycle)_|pnpm_|PNPM_)/.test(key) ||
      /^npm_(execpath|command|node_execpath|config_(user_agent|local_prefix|yes|verify_deps_before_run))$/.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end, killed after `timeoutMs`. */
function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: toolEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `node <args>` in the app, with the result shown when it fails. */
async function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, args, { cwd: app, env: toolEnv(env), timeoutMs: 60_000 });
}

function shown(result: Run): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** The entries of a .tgz (ustar, as npm and pnpm write it): name, mode and content. */
function readTarball(path: string): Map<string, { mode: number; content: Buffer }> {
  const data = gunzipSync(readFileSync(path));
  const entries = new Map<string, { mode: number; content: Buffer }>();
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const mode = Number.parseInt(field(100, 8).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '' || type === '0') {
      entries.set(name, { mode, content: data.subarray(offset + 512, offset + 512 + size) });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Bytes of the files under `dir`, symbolic links not followed. */
function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

function versionOf(requireFrom: NodeJS.Require, name: string): string {
  return (requireFrom(`${name}/package.json`) as { version: string }).version;
}

let work: string;
let app: string;
const tarballs = new Map<string, string>();
const figures: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gamelift-admin-shell-packaging-'));
  // Packed from a copy of the tree: prepack rebuilds dist/, which the other test files are using.
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
  figures.push(`pack ${((performance.now() - packStarted) / 1000).toFixed(1)} s`);
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
      // What a user adds to build their own client, and for TypeScript; the versions the workspace tests.
      `@aws-sdk/client-gameliftstreams@${versionOf(requireFromTest, '@aws-sdk/client-gameliftstreams')}`,
      `@types/node@${versionOf(requireFromRoot, '@types/node')}`,
    ],
    { cwd: app, timeoutMs: 240_000 },
  );
  if (installed.code !== 0) throw new Error(`npm install failed\n${shown(installed)}`);
  // An engines range or peer dependency of ours that npm complains about is a packaging bug.
  const ours = installed.stderr.split('\n').filter((line) => /ssm-channel|gamelift-admin-shell/.test(line));
  if (ours.length > 0) throw new Error(`npm warned about our packages:\n${ours.join('\n')}`);
  figures.push(
    `npm install ${((performance.now() - installStarted) / 1000).toFixed(1)} s`,
    `node_modules ${(directorySize(join(app, 'node_modules')) / 1024 / 1024).toFixed(1)} MiB`,
  );
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
  it.each(PACKAGES)('$name holds dist, README, LICENSE, CHANGELOG and package.json only', ({ name, dir }) => {
    const entries = readTarball(tarballs.get(name) as string);
    const names = [...entries.keys()].map((entry) => entry.replace(/^package\//, ''));
    const outside = names.filter(
      (entry) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(entry) &&
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
    // Built for the tarball: no map pointing at sources it does not carry.
    const js = entries.get('package/dist/index.js')?.content.toString() ?? '';
    expect(js).not.toContain('sourceMappingURL');
    expect(entries.get('package/LICENSE')?.content.equals(readFileSync(join(ROOT, 'LICENSE')))).toBe(true);

    const manifest = JSON.parse(entries.get('package/package.json')?.content.toString() ?? '{}');
    const source = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(source.version);
    for (const field of ['description', 'keywords', 'homepage', 'bugs', 'repository', 'license', 'engines']) {
      expect(manifest[field], field).toBeTruthy();
    }
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.repository.directory).toBe(`packages/${dir}`);
    expect(manifest.engines.node).toBe('^20.19.0 || >=22.12.0');
    for (const entry of Object.values(manifest.exports) as unknown[]) {
      if (typeof entry === 'object' && entry !== null) expect(Object.keys(entry)[0]).toBe('types');
    }
    expect(manifest.peerDependencies).toEqual({ 'node-pty': '^1.1.0' });
    expect(manifest.peerDependenciesMeta).toEqual({ 'node-pty': { optional: true } });
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
  });

  it('gamelift-admin-shell depends on the ssm-channel of the same release, and ships an executable bin', () => {
    const entries = readTarball(tarballs.get('gamelift-admin-shell') as string);
    const manifest = JSON.parse(entries.get('package/package.json')?.content.toString() ?? '{}');
    expect(manifest.dependencies['ssm-channel']).toBe(versionOf(requireFromRoot, './packages/ssm-channel'));
    expect(manifest.bin).toEqual({ 'gamelift-admin-shell': './bin/gamelift-admin-shell.js' });
    const bin = entries.get('package/bin/gamelift-admin-shell.js');
    expect(bin?.content.toString()).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect((bin?.mode ?? 0) & 0o111).not.toBe(0);
  });

  it.each(PACKAGES)('publint finds nothing in $name', async ({ name }) => {
    const result = await run(BIN('publint'), ['run', tarballs.get(name) as string, '--strict']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('All good!');
  });

  it.each(PACKAGES)('attw finds nothing in $name (an ESM-only package)', async ({ name }) => {
    // The esm-only profile leaves out CommonJS resolution under node16 (a require() of an ES module, which
    // Node allows from 20.19, see the README) and node10 resolution (no `exports` support).
    const tarball = tarballs.get(name) as string;
    const result = await run(BIN('attw'), [tarball, '--profile', 'esm-only', '--format', 'json']);
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

describe('installed without node-pty', () => {
  it('the testing entries load, and refuse a shell at once, naming the install command', async () => {
    const result = await node(['no-node-pty.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('startGameLiftStreamsEmulator: the agent emulator did not start');
  });
});

describe('installed with node-pty', () => {
  beforeAll(() => {
    // The workspace's node-pty, already built; installing it here would compile its addon again.
    const nodePty = realpathSync(dirname(requireFromTest.resolve('node-pty/package.json')));
    symlinkSync(nodePty, join(app, 'node_modules', 'node-pty'), 'dir');
  });

  it('an ESM script pipes a command into a real shell through both emulators: output and exit status', async () => {
    const result = await node(['shell.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('openAdminShell: piped-42, exit status 3');
    expect(result.stdout).toContain('connectDataChannel: piped-42, exit status 3');
  });

  it('the READMEs mark their runnable snippets', () => {
    expect(SNIPPETS.map((snippet) => snippet.name)).toEqual([
      'packages/ssm-channel/README.md#agent-emulator',
      'packages/admin-shell/README.md#api-emulator',
    ]);
  });

  it.each(SNIPPETS)('the README snippet $name runs as written', async (snippet) => {
    const file = `${snippet.name.replace(/[^a-z0-9]+/gi, '-')}.mjs`;
    writeFileSync(join(app, file), snippet.code);
    const result = await node([file]);
    expect(result.code, shown(result)).toBe(0);
    for (const expected of snippet.expect) expect(result.stdout, shown(result)).toContain(expected);
  });

  it('the installed command runs --command against the API emulator: output and exit status', async () => {
    const result = await node(['command.mjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('gamelift-admin-shell --command: "command-42\\n", exit status 5');
  });

  it("the SDK warning about Node 22 appears on Node 20, and the README's setting turns it off", async () => {
    const shown20 = await node(['sdk-warnings.mjs', 'node-version']);
    expect(shown20.code, shown(shown20)).toBe(0);
    const major = Number(process.versions.node.split('.')[0]);
    // The SDK warns on Node < 22 only; on 22 and later nothing is shown either way.
    if (major < 22) expect(shown20.stderr).toContain('NodeVersionSupportWarning');
    else expect(shown20.stderr).toBe('');
    const silenced = await node(['sdk-warnings.mjs', 'node-version', 'silenced']);
    expect(silenced.code, shown(silenced)).toBe(0);
    expect(silenced.stderr).toBe('');
  });

  it('"Multiple credential sources detected" goes to the client\'s logger when it has one', async () => {
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
    const loud = await node(['sdk-warnings.mjs', 'credentials'], env);
    expect(loud.code, shown(loud)).toBe(0);
    expect(loud.stderr).toContain('Multiple credential sources detected');
    const quiet = await node(['sdk-warnings.mjs', 'credentials', 'silenced'], env);
    expect(quiet.code, shown(quiet)).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('logger.warn got 1 warning(s)');
    expect(quiet.stdout).toContain('Multiple credential sources detected');
  });

  it('require() from CommonJS loads every entry', async () => {
    const result = await node(['require.cjs']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stderr).toBe('');
  });

  it.each(['node16', 'bundler', 'commonjs'])('tsc --noEmit passes under %s resolution', async (config) => {
    const tsc = requireFromRoot.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', `tsconfig.${config}.json`], { cwd: app });
    expect(result.code, shown(result)).toBe(0);
  });

  it('the installed command answers --help and --version', async () => {
    const bin = join(app, 'node_modules', '.bin', 'gamelift-admin-shell');
    const help = await run(bin, ['--help'], { cwd: app });
    expect(help.code, shown(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gamelift-admin-shell --stream-group/);
    expect(help.stderr).toBe('');
    const version = await run(bin, ['--version'], { cwd: app });
    expect(version.code, shown(version)).toBe(0);
    expect(version.stdout.trim()).toContain(versionOf(requireFromRoot, './packages/admin-shell'));
  });
});

// Packs the public packages as `pnpm pack` does for a release (`prepack` builds each one), from a copy of the
// working tree, so that this tree's dist/ folders, which tests and the CLI use, are never rebuilt under them.
// The copy holds the tracked and untracked files as they are now (ignored ones left out) and links to the
// installed dependencies; each workspace package resolves its sibling in the copy, not here.
//
// As a command: `node scripts/pack-copy.mjs --out DIR` writes the tarballs to DIR and prints their paths.
// `release-dry.mjs` uses it with a `changeset version` step before the packing.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command; throws with its output when it fails. */
export function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: process.env });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** Runs pnpm as this process was started with it (`pnpm run` sets npm_execpath), else through npx. */
function pnpm(args, cwd) {
  const execPath = process.env.npm_execpath;
  const [command, commandArgs] =
    execPath !== undefined && /pnpm/.test(basename(execPath))
      ? [process.execPath, [execPath, ...args]]
      : ['npx', ['--yes', 'pnpm@10', ...args]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`pnpm ${args.join(' ')} failed in ${cwd} (exit ${code}):\n${output}`)),
    );
  });
}

/** The packages under `root`/packages that get published: folder, name, version. */
export function publicPackages(root) {
  return readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name, version: manifest.version }));
}

/** `packages` ordered so that each comes after the workspace packages it depends on. */
function inBuildOrder(root, packages) {
  const dependsOn = (dir) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    return new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  };
  const ordered = [];
  const visit = (pkg, path = []) => {
    if (ordered.includes(pkg)) return;
    if (path.includes(pkg))
      throw new Error(`dependency cycle: ${[...path, pkg].map((p) => p.name).join(' -> ')}`);
    for (const other of packages) if (dependsOn(pkg.dir).has(other.name)) visit(other, [...path, pkg]);
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg);
  return ordered;
}

/** Links `to`/node_modules entry by entry to what `from`/node_modules holds, workspace packages to the copy. */
function linkDependencies(from, to, copy) {
  const workspace = new Set(publicPackages(ROOT).map(({ dir }) => join(ROOT, 'packages', dir)));
  const link = (source, target) => {
    const real = realpathSync(source);
    symlinkSync(workspace.has(real) ? join(copy, relative(ROOT, real)) : real, target, 'dir');
  };
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    if (name.startsWith('@') && lstatSync(source).isDirectory() && !lstatSync(source).isSymbolicLink()) {
      mkdirSync(join(to, name));
      for (const scoped of readdirSync(source)) link(join(source, scoped), join(to, name, scoped));
    } else link(source, join(to, name));
  }
}

/**
 * Copies the working tree to a temporary folder, calls `prepare(copy)` (e.g. to version it), packs every
 * public package into `out`, removes the copy, and returns the packages with their tarballs.
 */
export async function packFromCopy({ out, prepare = () => undefined }) {
  const copy = mkdtempSync(join(tmpdir(), 'pack-copy-'));
  try {
    const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isFile());
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(ROOT, file), join(copy, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const { dir } of publicPackages(ROOT)) {
      linkDependencies(
        join(ROOT, 'packages', dir, 'node_modules'),
        join(copy, 'packages', dir, 'node_modules'),
        copy,
      );
    }
    const before = publicPackages(copy);
    prepare(copy);
    mkdirSync(out, { recursive: true });
    const packages = inBuildOrder(copy, publicPackages(copy));
    // One after the other: a package's build reads the declarations of the workspace packages it imports.
    for (const { dir } of packages)
      await pnpm(['pack', '--pack-destination', out], join(copy, 'packages', dir));
    return packages.map(({ dir, name, version }) => {
      return {
        dir,
        name,
        version,
        previousVersion: before.find((p) => p.dir === dir)?.version,
        tarball: join(out, `${name}-${version}.tgz`),
        changelog: readFileSync(join(copy, 'packages', dir, 'CHANGELOG.md'), 'utf8'),
      };
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outArg = process.argv.indexOf('--out');
  if (outArg === -1 || process.argv[outArg + 1] === undefined) {
    process.stderr.write('usage: node scripts/pack-copy.mjs --out DIR\n');
    process.exit(64);
  }
  for (const { tarball } of await packFromCopy({ out: resolve(process.argv[outArg + 1]) })) {
    process.stdout.write(`${tarball}\n`);
  }
}

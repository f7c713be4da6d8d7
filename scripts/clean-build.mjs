// The build a tarball ships (`prepack`): dist/ emptied first, so no output of a deleted source file survives,
// and compiled without source or declaration maps, since the tarball carries no sources for them to point at.
// A package with a browser page (scripts/build-page.mjs) gets it built too, after tsc.
// Run from a package's folder. The workspace build (`pnpm build`) stays incremental, with maps.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const packageDir = process.cwd();
rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
const tsc = createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc');
const args = [
  '-p',
  'tsconfig.build.json',
  '--incremental',
  'false',
  '--sourceMap',
  'false',
  '--declarationMap',
  'false',
];
const run = spawnSync(process.execPath, [tsc, ...args], { cwd: packageDir, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
const page = join(packageDir, 'scripts', 'build-page.mjs');
if (existsSync(page)) {
  const built = spawnSync(process.execPath, [page], { cwd: packageDir, stdio: 'inherit' });
  process.exit(built.status ?? 1);
}

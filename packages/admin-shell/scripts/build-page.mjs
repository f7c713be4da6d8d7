// Builds the page of `gamelift-admin-shell web` into dist/web/page/: index.html, page.js (the page's code,
// xterm.js and ssm-channel's browser build, bundled and minified by esbuild) and page.css (the page's style
// and xterm.js's). Everything the page loads comes from the local server: no remote resource.
// Run from the package's folder, after tsc (the build script) and after ssm-channel is built.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(packageDir, 'src', 'web', 'page');
const out = join(packageDir, 'dist', 'web', 'page');
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  logLevel: 'warning',
  legalComments: 'linked',
  // The page resolves `ssm-channel` through its package exports (the `browser` build), not through the
  // workspace's TypeScript paths to the sources.
  tsconfigRaw: '{}',
};
await build({
  ...common,
  entryPoints: [join(source, 'main.ts')],
  outfile: join(out, 'page.js'),
  format: 'esm',
});
await build({ ...common, entryPoints: [join(source, 'page.css')], outfile: join(out, 'page.css') });
copyFileSync(join(source, 'index.html'), join(out, 'index.html'));

// The browser build of `ssm-channel` as an application's bundler makes it: esbuild, `--platform=browser`
// (the `browser` export and import conditions), minified, ESM. Used by bundle-size.js and by the suite's
// test/browser/bundle.test.ts.

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The bundle budget: minified and gzipped, in bytes. */
export const GZIP_BUDGET_BYTES = 40_000;

/**
 * Bundles `entry` (source text importing `ssm-channel`) for browsers.
 * @returns the minified text, its raw and gzip sizes, the inputs with their sizes, and every import path
 *   the bundle's modules asked for.
 */
export async function bundleForBrowser(entry = "export * from 'ssm-channel';") {
  const result = await build({
    stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As an application outside this repository: the workspace's tsconfig paths (to the sources) do not apply.
    tsconfigRaw: '{}',
  });
  const text = result.outputFiles[0].text;
  const inputs = Object.entries(result.metafile.inputs).map(([path, input]) => ({
    path,
    bytes: input.bytes,
    imports: input.imports.map((i) => i.path),
  }));
  return {
    text,
    bytes: Buffer.byteLength(text),
    gzipBytes: gzipSync(text, { level: 9 }).length,
    inputs,
    imports: [...new Set(inputs.flatMap((i) => i.imports))],
  };
}

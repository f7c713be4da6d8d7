/**
 * The browser build of `ssm-channel` as an application's bundler makes it (esbuild, --platform=browser,
 * from the built package): no `node:` import, no `ws`, the web face inside, within the gzip budget.
 * `bench/web/bundle-size.js` prints the same figures.
 */
import { expect, it } from 'vitest';
import { bundleForBrowser, GZIP_BUDGET_BYTES } from '../../bench/web/bundle.js';

it('ssm-channel for browsers: no node: import, its browser entry and platform, within the budget', async () => {
  const bundle = await bundleForBrowser();
  expect(bundle.imports.filter((path) => path.startsWith('node:'))).toEqual([]);
  const paths = bundle.inputs.map((i) => i.path);
  expect(paths.some((p) => p.endsWith('ssm-channel/dist/browser.js'))).toBe(true);
  expect(paths.some((p) => p.endsWith('ssm-channel/dist/platform/web.js'))).toBe(true);
  expect(
    paths.filter((p) => /ssm-channel\/dist\/(index|platform\/node|transport\/ws-transport)\.js$/.test(p)),
  ).toEqual([]);
  expect(paths.filter((p) => /node_modules\/(\.pnpm\/)?ws[@/]/.test(p))).toEqual([]);
  for (const name of ['connectWebDataChannel', 'createClientEngine', 'encodeAgentMessage']) {
    expect(bundle.text).toContain(name);
  }
  expect(bundle.gzipBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
});

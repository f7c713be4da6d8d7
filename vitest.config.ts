import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources; the CLI tests run the built command.
const packages = [
  { find: /^ssm-channel\/testing$/, replacement: src('./packages/ssm-channel/src/testing/index.ts') },
  { find: /^ssm-channel$/, replacement: src('./packages/ssm-channel/src/index.ts') },
  {
    find: /^gamelift-admin-shell\/testing$/,
    replacement: src('./packages/admin-shell/src/testing/index.ts'),
  },
  { find: /^gamelift-admin-shell$/, replacement: src('./packages/admin-shell/src/index.ts') },
];
/** `ssm-channel`'s platform seam, as its `imports` map picks it: `node.ts` under Node, `web.ts` elsewhere. */
const platform = (name: 'node' | 'web') => ({
  find: /^#platform$/,
  replacement: src(`./packages/ssm-channel/src/platform/${name}.ts`),
});

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // In CI a machine-readable report feeds the final "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/results.json' },
    projects: [
      {
        extends: true,
        resolve: { alias: [platform('node'), ...packages] },
        test: { name: 'node', include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        // The golden vectors and the codec properties once more, with the browser build's SHA-256, random
        // bytes and UUIDs (`@noble/hashes`, `crypto.getRandomValues`).
        extends: true,
        resolve: { alias: [platform('web'), ...packages] },
        test: {
          name: 'web-platform',
          include: [
            'packages/ssm-channel/test/codec/*vectors*.test.ts',
            'packages/ssm-channel/test/codec/*properties*.test.ts',
            'packages/ssm-channel/test/platform/*.test.ts',
          ],
        },
      },
    ],
  },
});

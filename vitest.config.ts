import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the CLI tests run the built command.
    alias: [
      { find: /^ssm-channel\/testing$/, replacement: src('./packages/ssm-channel/src/testing/index.ts') },
      { find: /^ssm-channel$/, replacement: src('./packages/ssm-channel/src/index.ts') },
      {
        find: /^gamelift-admin-shell\/testing$/,
        replacement: src('./packages/admin-shell/src/testing/index.ts'),
      },
      { find: /^gamelift-admin-shell$/, replacement: src('./packages/admin-shell/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // In CI a machine-readable report feeds the final "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/results.json' },
  },
});

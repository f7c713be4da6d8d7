import { createRequire } from 'node:module';

/**
 * The AWS SDK modules this package calls, loaded with `require`: they are CommonJS, and an ESM `import` of
 * them makes Node scan every re-exported module for its export names first, which doubles their load time
 * (about 200 ms instead of 100 ms here), a cost every run of the command would pay before its first call.
 */
const load = createRequire(import.meta.url);

export const sdk = load(
  '@aws-sdk/client-gameliftstreams',
) as typeof import('@aws-sdk/client-gameliftstreams');
export const httpHandler = load('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');

import { describe, expect, it } from 'vitest';
import { SsmChannelError } from '../../src/errors.js';
import { checkStreamUrl } from '../../src/transport/url-policy.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SsmChannelError ? error.code : 'not an SsmChannelError';
  }
  return undefined;
}

describe('checkStreamUrl', () => {
  it('accepts wss: to any host and keeps the query verbatim', () => {
    const url = checkStreamUrl(
      'wss://ssmmessages.us-west-2.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe&cell-number=AbC',
    );
    expect(url.search).toBe('?role=publish_subscribe&cell-number=AbC');
  });

  it.each(['ws://127.0.0.1:1234/x', 'ws://localhost/x', 'ws://[::1]:80/x', 'ws://127.1.2.3/x'])(
    'accepts ws: to loopback %s',
    (url) => {
      expect(checkStreamUrl(url).protocol).toBe('ws:');
    },
  );

  it('refuses ws: to other hosts with INSECURE_URL, naming only the host', () => {
    expect(codeOf(() => checkStreamUrl('ws://ssmmessages.example.com/v1/data-channel/s-1?t=x'))).toBe(
      'INSECURE_URL',
    );
    try {
      checkStreamUrl('ws://10.1.1.1/v1/data-channel/abc?secret=1');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });

  it.each(['not a url', 'https://example.com/x', 'http://127.0.0.1/x', 'ftp://127.0.0.1/'])(
    'refuses %s with INVALID_ARGUMENT',
    (url) => {
      expect(codeOf(() => checkStreamUrl(url))).toBe('INVALID_ARGUMENT');
    },
  );
});

import { isIP } from 'node:net';
import { SsmChannelError } from '../errors.js';

/**
 * Whether `hostname` (as `URL.hostname` gives it) names the local machine: `localhost`, an address in
 * 127.0.0.0/8, or `::1`. No DNS lookup is made.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host.toLowerCase() === 'localhost') return true;
  switch (isIP(host)) {
    case 4:
      return host.split('.')[0] === '127';
    case 6:
      return host === '::1';
    default:
      return false;
  }
}

/**
 * Parses a data channel `StreamUrl` and applies the transport's security rule: `wss://` always, `ws://` only
 * to a loopback host (tests and the agent emulator). Error messages name the scheme and host only.
 *
 * @throws {SsmChannelError} `INVALID_ARGUMENT` when the text is not a URL or not a `ws:`/`wss:` URL;
 *   `INSECURE_URL` for `ws://` to a host that is not loopback.
 */
export function checkStreamUrl(streamUrl: string): URL {
  let url: URL;
  try {
    url = new URL(streamUrl);
  } catch {
    throw new SsmChannelError('INVALID_ARGUMENT', 'streamUrl is not a valid URL');
  }
  if (url.protocol === 'wss:') return url;
  if (url.protocol !== 'ws:') {
    throw new SsmChannelError('INVALID_ARGUMENT', `streamUrl must use wss:, not ${url.protocol}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new SsmChannelError(
      'INSECURE_URL',
      `refusing unencrypted ws: to ${url.hostname}; use wss: (ws: is allowed for loopback hosts only)`,
    );
  }
  return url;
}

/** The scheme, host and port of a URL, for messages: never the path or query. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

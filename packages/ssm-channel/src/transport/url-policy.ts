/**
 * The one rule that keeps a token off cleartext links, for every URL the packages dial: a secure scheme
 * always, its cleartext twin only to this machine (tests and emulators).
 */
import { SsmChannelError } from '../errors.js';

/**
 * Whether `hostname` names this machine: `localhost`, an IPv4 address in 127.0.0.0/8, `::1`, or an
 * IPv4-mapped IPv6 address of 127.0.0.0/8 (`::ffff:127.0.0.1`). The host is first normalised as the WHATWG
 * URL parser does (case, IPv4 shorthands such as `127.1`, IPv6 spellings), so `URL.hostname`, a bare IPv6
 * address and the SDK's request host are all judged alike. No DNS lookup is made: any other name, even
 * `localhost.` (an absolute DNS name, resolved past /etc/hosts) or `app.localhost`, is not loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  // Only a host: no user, path, query or fragment may ride along to be parsed away.
  if (typeof hostname !== 'string' || hostname === '' || /[/@?#\\\s]/.test(hostname)) return false;
  const bracketed = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  let host: string;
  try {
    host = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  // The parser writes every IPv4 address as four decimal numbers, and IPv4-mapped IPv6 as ::ffff:7fXX:XXXX.
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/**
 * Whether a URL may be dialled: the `secure` scheme to any host, the `cleartext` one only to a loopback host
 * ({@link isLoopbackHost}). Any other scheme is `'wrong-scheme'`.
 */
export function judgeUrl(url: URL, secure: string, cleartext: string): 'ok' | 'insecure' | 'wrong-scheme' {
  if (url.protocol === secure) return 'ok';
  if (url.protocol !== cleartext) return 'wrong-scheme';
  return isLoopbackHost(url.hostname) ? 'ok' : 'insecure';
}

/**
 * Parses a data channel `StreamUrl` and applies the rule: `wss://` always, `ws://` only to a loopback host.
 * Error messages name the scheme and host only.
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
  switch (judgeUrl(url, 'wss:', 'ws:')) {
    case 'ok':
      return url;
    case 'wrong-scheme':
      throw new SsmChannelError('INVALID_ARGUMENT', `streamUrl must use wss:, not ${url.protocol}`);
    case 'insecure':
      throw new SsmChannelError(
        'INSECURE_URL',
        `refusing unencrypted ws: to ${url.hostname}; use wss: (ws: is allowed for loopback hosts only)`,
      );
  }
}

/** The scheme, host and port of a URL, for messages: never the path or query. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

import { isIPv4 } from 'node:net';

/**
 * True when `hostname`, as `URL.hostname` gives it (normalised; IPv6 in brackets), names this machine:
 * `localhost`, an address of `127.0.0.0/8`, `[::1]`, or an IPv4-mapped `[::ffff:127.x.y.z]`.
 */
export function isLoopbackHost(hostname: string): boolean {
  // No trailing dot: `localhost.` is an absolute DNS name, resolved past /etc/hosts by the network's resolver.
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  // The URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

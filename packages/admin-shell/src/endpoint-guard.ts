import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { isLoopbackHost } from 'ssm-channel';
import { AdminShellError, mention } from './errors.js';
import { printableText } from './printable-text.js';
import { limitResponseBody, ResponseTooLarge, responseTooLarge } from './response-limit.js';

const ALLOWED_HTTP_HOSTS = 'http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost)';

/**
 * The endpoint rule: `https:`, or `http:` to a loopback host, judged by `ssm-channel`'s `isLoopbackHost`, the
 * rule its `ws:` check uses too.
 * @returns why the endpoint is refused, or `undefined` when it is allowed.
 */
function endpointProblem(protocol: string, hostname: string): string | undefined {
  if (protocol === 'https:') return undefined;
  const host = printableText(hostname, 100);
  if (protocol !== 'http:') {
    return `The endpoint URL must start with https:// or http://, not ${printableText(protocol, 20)}//.`;
  }
  if (isLoopbackHost(hostname)) return undefined;
  return (
    `The endpoint URL uses http:// for ${host}, which would send the signed request and the session token ` +
    `in clear. Use https://; ${ALLOWED_HTTP_HOSTS}.`
  );
}

/**
 * Checks an explicit endpoint URL against the rule: `https://`, or `http://` to a loopback host.
 * @throws {AdminShellError} `INVALID_ARGUMENT`.
 */
export function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `The endpoint URL ${JSON.stringify(printableText(endpoint, 200))} is not a URL. Give e.g. ` +
        'https://gameliftstreams.us-west-2.amazonaws.com.',
      { cause },
    );
  }
  const problem = endpointProblem(url.protocol, url.hostname);
  if (problem !== undefined) throw new AdminShellError('INVALID_ARGUMENT', problem);
}

/** The endpoint each failed request was sent to, by its error (see {@link requestTargetOf}). */
const requestTargets = new WeakMap<object, string>();

/** `protocol://host:port` of a serialized request (never its path or query). */
function describeTarget(request: unknown): string {
  const { protocol, hostname, port } = request as { protocol: string; hostname: string; port?: number };
  const scheme = `${protocol.toLowerCase().replace(/:$/, '')}:`;
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return printableText(`${scheme}//${host}${port === undefined ? '' : `:${port}`}`, 200);
}

/**
 * The endpoint (`https://host[:port]`) the request that failed with `error` was sent to, when the request
 * went through a client guarded by {@link guardClientEndpoint}.
 */
export function requestTargetOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const found = requestTargets.get(e);
    if (found !== undefined) return found;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The name of the middleware that {@link guardClientEndpoint} adds. */
export const ENDPOINT_GUARD_MIDDLEWARE = 'gameliftAdminShellEndpointGuard';

/**
 * Checks the target of one serialized request against the endpoint rule.
 * @throws {AdminShellError} `INVALID_ARGUMENT`.
 */
function checkRequestTarget(request: unknown): void {
  const { protocol, hostname } = (typeof request === 'object' && request !== null ? request : {}) as {
    protocol?: unknown;
    hostname?: unknown;
  };
  if (typeof protocol !== 'string' || typeof hostname !== 'string') {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      'The request to GameLift Streams has no protocol and host to check; it was not sent.',
    );
  }
  const scheme = `${protocol.toLowerCase().replace(/:$/, '')}:`;
  const problem = endpointProblem(scheme, hostname);
  if (problem === undefined) return;
  throw new AdminShellError(
    'INVALID_ARGUMENT',
    `${problem} Check ${mention('endpoint')}, AWS_ENDPOINT_URL_GAMELIFTSTREAMS, ` +
      'AWS_ENDPOINT_URL and the endpoint_url of the AWS profile. Nothing was sent.',
  );
}

/**
 * Makes every request of `client` obey the endpoint rule of {@link ClientSettings.endpoint}, wherever the SDK
 * took the endpoint from (the `endpoint` setting, `AWS_ENDPOINT_URL_GAMELIFTSTREAMS`, `AWS_ENDPOINT_URL`,
 * a profile's `endpoint_url`): a middleware named {@link ENDPOINT_GUARD_MIDDLEWARE}, at the end of the build
 * step (before signing and before anything is sent), rejects the request otherwise. Adding it again to the
 * same client does nothing.
 * @throws {AdminShellError} `INVALID_ARGUMENT` when `client` is not a GameLiftStreamsClient; each refused
 *   request rejects with `INVALID_ARGUMENT`.
 */
export function guardClientEndpoint(client: GameLiftStreamsClient): void {
  const stack = (client as { middlewareStack?: GameLiftStreamsClient['middlewareStack'] } | null)
    ?.middlewareStack;
  if (
    typeof (client as { send?: unknown } | null)?.send !== 'function' ||
    typeof stack?.add !== 'function' ||
    typeof stack.identify !== 'function'
  ) {
    throw new AdminShellError('INVALID_ARGUMENT', 'client must be a GameLiftStreamsClient.');
  }
  const present = stack.identify().some((entry) => entry.split(' ')[0] === ENDPOINT_GUARD_MIDDLEWARE);
  if (present) return;
  stack.add(
    (next) => async (args) => {
      const request = (args as { request?: unknown }).request;
      checkRequestTarget(request);
      try {
        return await next(args);
      } catch (error) {
        // The SDK appends a hint to errors of the body's deserialization: say it in one sentence instead.
        const tooLarge = findCause(error, ResponseTooLarge);
        if (tooLarge !== undefined) throw responseTooLarge(describeTarget(request), tooLarge.bytes);
        if (typeof error === 'object' && error !== null) requestTargets.set(error, describeTarget(request));
        throw error;
      }
    },
    { name: ENDPOINT_GUARD_MIDDLEWARE, step: 'build', priority: 'low' },
  );
  // Closest to the HTTP handler, before the SDK reads the body: bound it (see MAX_RESPONSE_BYTES).
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body?: unknown; headers?: Record<string, string> } | undefined;
      if (response !== undefined) response.body = limitResponseBody(response.body, response.headers);
      return result;
    },
    { name: RESPONSE_LIMIT_MIDDLEWARE, step: 'deserialize', priority: 'low' },
  );
}

/** The name of the middleware that bounds the size of the API's answers. */
export const RESPONSE_LIMIT_MIDDLEWARE = 'gameliftAdminShellResponseLimit';

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

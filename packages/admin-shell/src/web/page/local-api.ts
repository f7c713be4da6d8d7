/**
 * The page's calls to the local server that `gamelift-admin-shell web` runs: same origin, JSON, the page key
 * in an `Authorization` header (a request another site makes cannot carry it without a CORS preflight,
 * which the server never grants).
 */

/** What the one-time link is exchanged for. */
export interface Claim {
  pageKey: string;
  streamGroupId: string;
  streamSessionId: string;
  region: string;
}

/** What CreateStreamSessionAdminShell returned, passed on by the local server. */
export interface Access {
  sessionId: string;
  streamUrl: string;
  tokenValue: string;
}

/** How the session ended, told to the local server so that the command ends with the right status. */
export interface EndReport {
  reason: 'channel_closed' | 'local' | 'aborted' | 'error' | 'page_closed';
  exitCode?: number;
  output?: string;
  code?: string;
  message?: string;
}

/** A failure the local server (or the API call it made) reported. */
export class LocalApiError extends Error {
  override name = 'LocalApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function post(path: string, body: unknown, key?: string, signal?: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      cache: 'no-store',
      ...(signal === undefined ? {} : { signal }),
    });
  } catch {
    throw new LocalApiError(
      'LOCAL_SERVER_GONE',
      'The local gamelift-admin-shell web server does not answer: was the command stopped?',
    );
  }
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new LocalApiError(
      typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
      typeof error?.message === 'string'
        ? error.message
        : `The local server answered HTTP ${response.status}.`,
    );
  }
  return json;
}

/** Exchanges the one-time secret of the printed link for this page's key. */
export async function claim(secret: string): Promise<Claim> {
  return (await post('/api/claim', { secret })) as Claim;
}

/** Asks the local server to call CreateStreamSessionAdminShell: a fresh StreamUrl and token. */
export async function requestAccess(pageKey: string, signal?: AbortSignal): Promise<Access> {
  return (await post('/api/credentials', {}, pageKey, signal)) as Access;
}

/** The longest `output` and `message` of an end report, in UTF-16 units (the server keeps no more). */
export const END_TEXT_LIMIT = 2_000;

/**
 * Tells the local server how the session ended (kept alive while the page unloads). Long texts are cut to
 * {@link END_TEXT_LIMIT}, so that the report always fits the server's request limit.
 */
export function reportEnd(pageKey: string, report: EndReport): void {
  const short: EndReport = { ...report };
  if (short.output !== undefined) short.output = short.output.slice(0, END_TEXT_LIMIT);
  if (short.message !== undefined) short.message = short.message.slice(0, END_TEXT_LIMIT);
  void fetch('/api/ended', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${pageKey}` },
    body: JSON.stringify(short),
    keepalive: true,
  }).catch(() => undefined);
}

/**
 * Resolves when the local command stops (its answer to a request it holds open), or when the local server
 * is gone: either way the page's session ends with it.
 */
export async function watchCommand(pageKey: string): Promise<void> {
  try {
    const response = await fetch('/api/watch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pageKey}` },
      body: '{}',
      cache: 'no-store',
    });
    await response.text();
  } catch {
    // The server went away without answering.
  }
}

/**
 * The local server of `gamelift-admin-shell web`, on 127.0.0.1 only. It serves the page's three files and a
 * small JSON API for that one page:
 *
 * - `POST /api/claim` `{ secret }`: the one-time secret of the printed address (its `#k=` fragment, which a
 *   browser never sends in a request) for a page key, once. A second claim, or a wrong secret, gets 403.
 * - `POST /api/credentials` (page key): calls CreateStreamSessionAdminShell, answers the StreamUrl and token.
 * - `POST /api/ended` (page key) `{ reason, … }`: how the session ended; the command ends with it.
 * - `POST /api/watch` (page key): held open while the command runs; answered when it stops, so the page
 *   ends its session with it. When it drops while the server runs (the page crashed or was killed), or never
 *   comes after the claim, and no end report follows, the session counts as ended by the page.
 *
 * Every request must name this server in `Host` (127.0.0.1 or localhost and the port: a DNS rebinding page
 * names its own host); every API request must come from this origin (`Origin`, and `Sec-Fetch-Site` where
 * the browser sends it) as `application/json` (which another site cannot send without a CORS preflight,
 * never granted here). Secrets are compared in constant time. Anything else gets an empty 4xx.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { PageAssets } from './web-assets.js';

/** What the page is told when it claims the link. */
export interface ClaimInfo {
  readonly streamGroupId: string;
  readonly streamSessionId: string;
  readonly region: string;
}

/** What the page gets for each connection. */
export interface PageAccess {
  readonly sessionId: string;
  readonly streamUrl: string;
  readonly tokenValue: string;
}

/** How the page says the session ended. */
export interface EndReport {
  readonly reason: 'channel_closed' | 'local' | 'aborted' | 'error' | 'page_closed';
  readonly exitCode?: number;
  readonly output?: string;
  readonly code?: string;
  readonly message?: string;
}

/** What the server asks of the command. */
export interface WebTerminalHandlers {
  /** The page claimed the link. */
  claimed(): ClaimInfo;
  /** Fresh credentials (an API call); a rejection's `code` and `message` are passed to the page. */
  credentials(signal: AbortSignal): Promise<PageAccess>;
  /** The page reported the end of the session. */
  ended(report: EndReport): void;
}

/** A running local server. */
export interface WebTerminalServer {
  /** The address to open: `http://127.0.0.1:<port>/#k=<secret>`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Answers the page's watch, then closes every connection and the server. */
  close(): Promise<void>;
}

/** Options of {@link startWebTerminalServer}. */
export interface WebTerminalServerOptions {
  /** 0 for any free port. */
  readonly port: number;
  readonly assets: PageAssets;
  readonly handlers: WebTerminalHandlers;
}

/** The longest `output` and `message` kept of an end report, in UTF-16 units (the page cuts them as well). */
const END_TEXT_LIMIT = 2_000;
/**
 * Largest request body accepted. The end report is the largest: two texts of {@link END_TEXT_LIMIT} units,
 * each unit at most 6 bytes of JSON (`\u001b`), and a few short fields.
 */
const MAX_BODY_BYTES = 32 * 1024;
/**
 * When the page's watch request drops while the server runs (the tab crashed, the browser was killed: no
 * `pagehide` report came), or does not come within this long of the claim, the session counts as ended by
 * the page after this long without a report.
 */
const PAGE_GONE_MS = 3_000;
/** How long a request may take to arrive, in ms. */
const REQUEST_TIMEOUT_MS = 10_000;
const END_REASONS = new Set(['channel_closed', 'local', 'aborted', 'error', 'page_closed']);

/** Response headers of every answer: nothing cached, framed, sniffed or sent elsewhere. */
const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * The page may load from this server only, and connect to it and to a data channel: `wss:` anywhere, `ws:`
 * to loopback (emulators), as the data channel's own URL rule allows.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // xterm.js sets its theme with a <style> element.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  // (A CSP source cannot name an IPv6 address: an emulator on ws://[::1] is not reachable from the page.)
  "connect-src 'self' wss: ws://127.0.0.1:* ws://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function token(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body?: { code: string; message: string },
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** Starts the server on 127.0.0.1 with a fresh one-time secret. */
export async function startWebTerminalServer(options: WebTerminalServerOptions): Promise<WebTerminalServer> {
  const secret = token();
  let pageKey: string | undefined;
  const watchers = new Set<ServerResponse>();
  let pageGone: NodeJS.Timeout | undefined;
  const lifetime = new AbortController();
  const sockets = new Set<Socket>();
  const server: Server = createServer({
    requestTimeout: REQUEST_TIMEOUT_MS,
    headersTimeout: REQUEST_TIMEOUT_MS,
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(options.port, '127.0.0.1');
  // Rejects with the server's 'error' (a port in use), and leaves no listener behind.
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const hosts = acceptedHosts(port);

  /** Ends the session as closed by the page unless a watch or an end report comes first. */
  const armPageGone = (): void => {
    if (lifetime.signal.aborted) return;
    clearTimeout(pageGone);
    pageGone = setTimeout(() => options.handlers.ended({ reason: 'page_closed' }), PAGE_GONE_MS);
    pageGone.unref();
  };

  const checkPageKey = (request: IncomingMessage): void => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (pageKey === undefined || !sameSecret(given, pageKey)) throw new HttpFailure(403);
  };

  const api = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    const host = request.headers.host ?? '';
    const fetchSite = request.headers['sec-fetch-site'];
    if (
      request.headers.origin !== `http://${host}` ||
      (fetchSite !== undefined && fetchSite !== 'same-origin') ||
      !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')
    ) {
      throw new HttpFailure(403);
    }
    const body = await readJson(request);
    switch (path) {
      case '/api/claim': {
        if (pageKey !== undefined || !sameSecret((body as { secret?: unknown })?.secret, secret)) {
          throw new HttpFailure(403, {
            code: 'LINK_NOT_VALID',
            message:
              'This address is not valid, or was opened already: it works once. Run gamelift-admin-shell web ' +
              'again for a new one.',
          });
        }
        pageKey = token();
        sendJson(response, 200, { pageKey, ...options.handlers.claimed() });
        // The page asks to watch right after its claim: one that dies before gets the same end.
        armPageGone();
        return;
      }
      case '/api/credentials': {
        checkPageKey(request);
        const call = new AbortController();
        const onClose = (): void => call.abort();
        response.once('close', onClose);
        lifetime.signal.addEventListener('abort', onClose, { once: true });
        try {
          const access = await options.handlers.credentials(call.signal);
          sendJson(response, 200, {
            sessionId: access.sessionId,
            streamUrl: access.streamUrl,
            tokenValue: access.tokenValue,
          });
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          throw new HttpFailure(502, {
            code: typeof code === 'string' ? code : 'UNKNOWN',
            message: error instanceof Error ? error.message : String(error),
          });
        } finally {
          response.off('close', onClose);
          lifetime.signal.removeEventListener('abort', onClose);
        }
        return;
      }
      case '/api/ended': {
        checkPageKey(request);
        const report = toEndReport(body);
        if (report === undefined) throw new HttpFailure(400);
        response.writeHead(204, COMMON_HEADERS).end();
        options.handlers.ended(report);
        return;
      }
      case '/api/watch': {
        checkPageKey(request);
        if (lifetime.signal.aborted) {
          sendJson(response, 200, { stopped: true });
          return;
        }
        watchers.add(response);
        clearTimeout(pageGone);
        response.once('close', () => {
          watchers.delete(response);
          if (watchers.size === 0) armPageGone();
        });
        response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'application/json' });
        response.flushHeaders();
        return;
      }
      default:
        throw new HttpFailure(404);
    }
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const handle = async (): Promise<void> => {
      if (!hosts.has(request.headers.host ?? '')) throw new HttpFailure(403);
      if (request.method === 'POST' && path.startsWith('/api/')) {
        await api(request, response, path);
        return;
      }
      const asset = options.assets.get(path);
      if (asset === undefined) throw new HttpFailure(404);
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpFailure(405);
      const site = request.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpFailure(403);
      request.resume();
      response.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': asset.contentType,
        'content-length': asset.body.length,
        'content-security-policy': CONTENT_SECURITY_POLICY,
      });
      response.end(request.method === 'HEAD' ? undefined : asset.body);
    };
    handle().catch((error: unknown) => {
      request.resume();
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const failure = error instanceof HttpFailure ? error : new HttpFailure(500);
      if (failure.body === undefined) response.writeHead(failure.status, COMMON_HEADERS).end();
      else sendJson(response, failure.status, { error: failure.body });
    });
  });

  return {
    url: `${origin}/#k=${secret}`,
    origin,
    close: async () => {
      lifetime.abort();
      clearTimeout(pageGone);
      for (const watcher of watchers) watcher.end(JSON.stringify({ stopped: true }));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Give the answers a moment to leave, then drop whatever is still open.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 200).unref())]);
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** The `Host` values of requests to this server on `port` (a browser leaves the default port 80 out). */
export function acceptedHosts(port: number): ReadonlySet<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (port === 80) for (const name of ['127.0.0.1', 'localhost']) hosts.add(name);
  return hosts;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** The request's JSON body (at most {@link MAX_BODY_BYTES}). */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) throw new HttpFailure(413);
    chunks.push(chunk);
  }
  if (length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpFailure(400);
  }
}

/** The page's end report, checked field by field (it comes from a browser). */
function toEndReport(body: unknown): EndReport | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.reason !== 'string' || !END_REASONS.has(b.reason)) return undefined;
  const report: { -readonly [K in keyof EndReport]: EndReport[K] } = {
    reason: b.reason as EndReport['reason'],
  };
  if (typeof b.exitCode === 'number' && Number.isInteger(b.exitCode)) report.exitCode = b.exitCode;
  if (typeof b.output === 'string') report.output = b.output.slice(0, END_TEXT_LIMIT);
  if (typeof b.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(b.code)) report.code = b.code;
  if (typeof b.message === 'string') report.message = b.message.slice(0, END_TEXT_LIMIT);
  return report;
}

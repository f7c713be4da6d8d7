import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { StreamCredentials } from '../channel-types.js';
import { OPEN_DATA_CHANNEL_SCHEMA_VERSION } from '../codec/constants.js';
import { decodeOpenDataChannel, type OpenDataChannel } from '../codec/payloads/open-data-channel.js';
import { SsmChannelError } from '../errors.js';
import type { BackendHost, SessionBackend } from './backends/backend.js';
import { createEchoBackend } from './backends/echo-backend.js';
import { createShellBackend, loadNodePty } from './backends/shell-backend.js';
import { createSinkBackend } from './backends/sink-backend.js';
import { createSourceBackend } from './backends/source-backend.js';
import { EmulatedSessionImpl } from './emulated-session.js';
import type { EmulatedSession } from './emulated-session-api.js';
import {
  type AgentEmulatorOptions,
  EMULATOR_DEFAULTS,
  type EmulatedSessionOptions,
  type EmulatorStats,
} from './emulator-options.js';
import type { GarbageKind } from './garbage-frames.js';
import { TokenRegistry } from './token-registry.js';
import { validateEmulatorOptions, validateSessionOptions } from './validate-options.js';

/**
 * A running agent emulator. It is also its first session (`url`, `tokenValue`, `issueToken()`, …);
 * `createSession()` adds more sessions on the same server.
 */
export interface AgentEmulator extends EmulatedSession {
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /** The first session (the one the emulator itself stands for). */
  readonly session: EmulatedSession;
  /**
   * Adds a session; options default to those given to `startAgentEmulator`.
   * @throws {SsmChannelError} `INVALID_ARGUMENT` for bad options, a duplicate session id, or more than
   *   `maxSessions` sessions.
   */
  createSession(options?: EmulatedSessionOptions): Promise<EmulatedSession>;
  /** Ends every session, kills the shells, closes every socket and the server. */
  close(): Promise<void>;
}

const SESSION_PATH = /^\/v1\/data-channel\/([^/]+)$/;

/**
 * Starts an SSM agent emulator: a real WebSocket server on 127.0.0.1 that plays the Session Manager service
 * and the agent behind it, for testing data channel clients without AWS. Connect to `url`, send an
 * OpenDataChannel frame carrying `tokenValue`, and the agent side runs the protocol (handshake, acks,
 * sequencing, retransmission) in front of a shell, an echo, a byte source or a sink, with optional faults.
 *
 * A refused token (unknown, expired, or the session ended) or a bad OpenDataChannel closes the socket with
 * code 1008 (Policy Violation) before any other frame; an unknown session path is answered HTTP 404.
 *
 * @throws {SsmChannelError} `INVALID_ARGUMENT` for bad options, or `mode: 'shell'` without a loadable
 *   `node-pty` (the message names the install command), before anything starts.
 */
export async function startAgentEmulator(options: AgentEmulatorOptions = {}): Promise<AgentEmulator> {
  validateEmulatorOptions(options);
  // A missing node-pty is reported before anything starts, not at the first session.
  if ((options.mode ?? EMULATOR_DEFAULTS.mode) === 'shell') await loadNodePty();
  const server = new EmulatorServer(options);
  await server.listen(options.port ?? 0);
  try {
    const first = await server.createSession({});
    return new AgentEmulatorImpl(server, first);
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The HTTP/WebSocket server and the sessions it routes to. */
class EmulatorServer {
  readonly #options: AgentEmulatorOptions;
  readonly #sessions = new Map<string, EmulatedSessionImpl>();
  readonly #http = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  readonly #wss: WebSocketServer;
  port = 0;

  constructor(options: AgentEmulatorOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: options.maxPayload ?? EMULATOR_DEFAULTS.maxPayload,
    });
    this.#http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      const session = this.#route(request.url);
      if (session === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(request, socket, head, (ws) => this.#awaitOpen(ws, session));
    });
  }

  async listen(port: number): Promise<void> {
    this.#http.listen(port, '127.0.0.1');
    await once(this.#http, 'listening');
    this.port = (this.#http.address() as AddressInfo).port;
  }

  async createSession(overrides: EmulatedSessionOptions): Promise<EmulatedSessionImpl> {
    validateSessionOptions(overrides);
    const options: EmulatedSessionOptions = { ...this.#options, ...overrides };
    const max = this.#options.maxSessions ?? EMULATOR_DEFAULTS.maxSessions;
    if (this.#sessions.size >= max) {
      throw new SsmChannelError('INVALID_ARGUMENT', `the emulator holds at most ${max} sessions`);
    }
    const sessionId = options.sessionId ?? `emulated-${randomBytes(8).toString('hex')}`;
    if (this.#sessions.has(sessionId)) {
      throw new SsmChannelError('INVALID_ARGUMENT', `session ${sessionId} already exists`);
    }
    const mode = options.mode ?? EMULATOR_DEFAULTS.mode;
    const pty = mode === 'shell' ? await loadNodePty() : undefined;
    const createBackend = (host: BackendHost): SessionBackend => {
      switch (mode) {
        case 'echo':
          return createEchoBackend(host);
        case 'sink':
          return createSinkBackend(host);
        case 'source':
          return createSourceBackend(
            host,
            options.source?.bytes ?? EMULATOR_DEFAULTS.sourceBytes,
            options.source?.seed ?? EMULATOR_DEFAULTS.sourceSeed,
          );
        case 'shell':
          return createShellBackend(pty!, host, options.shell ?? {});
      }
    };
    const tokens = new TokenRegistry({
      validityMs: this.#options.tokenValidityMs ?? EMULATOR_DEFAULTS.tokenValidityMs,
      now: this.#options.clock ?? Date.now,
      maxTokens: EMULATOR_DEFAULTS.maxTokensPerSession,
      fixedToken: options.tokenValue,
    });
    const url = `ws://127.0.0.1:${this.port}/v1/data-channel/${sessionId}?role=publish_subscribe`;
    const session = new EmulatedSessionImpl(sessionId, options, { url, tokens, createBackend });
    this.#sessions.set(sessionId, session);
    return session;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((session) => session.shutdown()));
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #route(path: string | undefined): EmulatedSessionImpl | undefined {
    const match = SESSION_PATH.exec(new URL(path ?? '/', 'http://emulator').pathname);
    return match?.[1] === undefined ? undefined : this.#sessions.get(match[1]);
  }

  /** Waits for the OpenDataChannel frame, bounded by `openTimeoutMs`, then lets the session judge it. */
  #awaitOpen(ws: WebSocket, session: EmulatedSessionImpl): void {
    ws.on('error', () => {});
    const timer = setTimeout(
      () => session.refuse(ws, 'OpenDataChannel not received'),
      this.#options.openTimeoutMs ?? EMULATOR_DEFAULTS.openTimeoutMs,
    );
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (data: RawData) => {
      clearTimeout(timer);
      let open: OpenDataChannel;
      try {
        open = decodeOpenDataChannel(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
      } catch {
        session.refuse(ws, 'invalid OpenDataChannel');
        return;
      }
      // The service model marks MessageSchemaVersion, RequestId (16+ characters) and TokenValue required.
      if (
        open.messageSchemaVersion !== OPEN_DATA_CHANNEL_SCHEMA_VERSION ||
        open.requestId.length < 16 ||
        open.tokenValue === ''
      ) {
        session.refuse(ws, 'invalid OpenDataChannel');
        return;
      }
      session.admit(ws, open);
    });
  }
}

/** The emulator object: the server plus its first session's API. */
class AgentEmulatorImpl implements AgentEmulator {
  readonly #server: EmulatorServer;
  readonly session: EmulatedSessionImpl;

  constructor(server: EmulatorServer, session: EmulatedSessionImpl) {
    this.#server = server;
    this.session = session;
  }

  get port(): number {
    return this.#server.port;
  }
  get sessionId(): string {
    return this.session.sessionId;
  }
  get url(): string {
    return this.session.url;
  }
  get tokenValue(): string {
    return this.session.tokenValue;
  }
  get events(): EmulatedSession['events'] {
    return this.session.events;
  }
  get ended(): EmulatedSession['ended'] {
    return this.session.ended;
  }
  get connected(): boolean {
    return this.session.connected;
  }
  issueToken(): StreamCredentials {
    return this.session.issueToken();
  }
  stats(): EmulatorStats {
    return this.session.stats();
  }
  pausePublication(): void {
    this.session.pausePublication();
  }
  startPublication(): void {
    this.session.startPublication();
  }
  stall(options?: { durationMs?: number }): void {
    this.session.stall(options);
  }
  unstall(): void {
    this.session.unstall();
  }
  disconnect(): void {
    this.session.disconnect();
  }
  sendGarbage(kind?: GarbageKind): void {
    this.session.sendGarbage(kind);
  }
  terminate(output?: string): void {
    this.session.terminate(output);
  }
  createSession(options: EmulatedSessionOptions = {}): Promise<EmulatedSession> {
    return this.#server.createSession(options);
  }
  close(): Promise<void> {
    return this.#server.close();
  }
}

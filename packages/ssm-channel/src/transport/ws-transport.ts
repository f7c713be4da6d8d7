/**
 * The `ws` adapter, the transport under Node (`web-socket-transport.ts` is the one for a WHATWG
 * `WebSocket`). One `Transport` is one WebSocket connection; the channel opens a new one for each
 * reconnection.
 *
 * Everything goes through `ws`'s public API. The TCP (or TLS) socket is made here, through `ws`'s
 * documented `createConnection` option, for two things only: it is corked while a loop turn sends (the acks
 * of every frame read in one turn then leave in one write instead of one system call each), and its `drain`
 * event says when a full send queue has emptied.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type ClientOptions, type RawData, WebSocket } from 'ws';
import type { ChannelLogger } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { Keepalive } from './keepalive.js';
import type { Transport } from './transport.js';
import { classifyClose, SsmTransportError } from './transport-error.js';
import {
  CLOSE_TIMEOUT_MS,
  SEND_HIGH_WATER_MARK,
  type TransportEvents,
  type TransportOptions,
  type TransportSettings,
  transportEvents,
} from './transport-options.js';
import { checkStreamUrl, describeUrl } from './url-policy.js';

export type { Transport } from './transport.js';

const NORMAL_CLOSE = 1000;
const UNAUTHORIZED_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/**
 * Opens the data channel WebSocket to `streamUrl` and sends `openFrame` (the OpenDataChannel JSON) as its
 * first frame. The socket is dialled like the official plugin does: no extra headers, no subprotocol, no
 * compression, no redirects. Resolves once the upgrade completed and the open frame was queued.
 *
 * @throws {SsmChannelError} at once: `INVALID_ARGUMENT` (bad URL), `INSECURE_URL` (`ws://` to a host that is
 *   not loopback).
 * @throws {SsmChannelError} as a rejection: `CONNECT_TIMEOUT`, `ABORTED`, `AUTH_FAILED` (the upgrade was
 *   answered 401 or 403), `CONNECT_FAILED` (with `cause`).
 */
export function openTransport(options: TransportOptions, settings: TransportSettings): Promise<Transport> {
  const url = checkStreamUrl(options.streamUrl);
  if (options.signal?.aborted) return Promise.reject(abortedError());
  return dial(url, settings, options);
}

function abortedError(): SsmTransportError {
  return new SsmTransportError('ABORTED', 'the data channel connection was aborted');
}

function dial(url: URL, settings: TransportSettings, options: TransportOptions): Promise<Transport> {
  const host = describeUrl(url);
  const { signal } = options;
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    const connect = (request: { host?: string | null; port?: number | string | null }): Socket => {
      const target = { host: request.host ?? url.hostname, port: Number(request.port) };
      // As `ws` itself would: TLS names the server unless it is dialled by address.
      socket =
        url.protocol === 'wss:'
          ? tlsConnect({ ...target, ...(isIP(target.host) === 0 ? { servername: target.host } : {}) })
          : netConnect(target);
      return socket;
    };
    // `closeTimeout` (ws >= 8.19) is missing from @types/ws; it bounds the closing handshake.
    const wsOptions: ClientOptions & { closeTimeout: number } = {
      perMessageDeflate: false,
      // Text frames are parsed like binary ones (protocol reference §3.2); one that is not UTF-8 is the
      // codec's to drop, not a reason to fail the connection.
      skipUTF8Validation: true,
      maxPayload: settings.maxMessageBytes,
      closeTimeout: CLOSE_TIMEOUT_MS,
      followRedirects: false,
      createConnection: connect as unknown as ClientOptions['createConnection'],
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, wsOptions);
    } catch (cause) {
      reject(new SsmChannelError('CONNECT_FAILED', `could not connect to ${host}`, { cause }));
      return;
    }
    let failure: SsmChannelError | undefined;
    const stopWaiting = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // The rejection waits for the socket's `close` event, so nothing is left open once it is observed.
    const fail = (error: SsmChannelError): void => {
      if (failure !== undefined) return;
      failure = error;
      stopWaiting();
      ws.terminate();
    };
    const onAbort = (): void => fail(abortedError());
    const timer = setTimeout(() => {
      fail(
        new SsmChannelError('CONNECT_TIMEOUT', `no connection to ${host} within ${settings.connectMs} ms`),
      );
    }, settings.connectMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_request, response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      fail(
        UNAUTHORIZED_STATUSES.has(status)
          ? new SsmChannelError('AUTH_FAILED', `${host} refused the WebSocket upgrade with HTTP ${status}`)
          : new SsmChannelError(
              'CONNECT_FAILED',
              `${host} answered the WebSocket upgrade with HTTP ${status}`,
            ),
      );
    });
    ws.on('error', (cause) => {
      fail(
        new SsmChannelError('CONNECT_FAILED', `could not connect to ${host}: ${cause.message}`, { cause }),
      );
    });
    ws.on('close', () => {
      stopWaiting();
      ws.removeAllListeners();
      reject(
        failure ?? new SsmChannelError('CONNECT_FAILED', `${host} closed the connection during the upgrade`),
      );
    });
    ws.on('open', () => {
      stopWaiting();
      ws.removeAllListeners();
      resolve(new WsTransport(ws, socket!, settings, options, host));
    });
  });
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/**
 * The open connection. Everything lives in private fields: `util.inspect` shows none of it, and the open
 * frame (with the token) is not kept at all.
 */
class WsTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #socket: Socket;
  readonly #settings: TransportSettings;
  readonly #events: TransportEvents;
  readonly #logger: ChannelLogger | undefined;
  readonly #host: string;
  readonly #keepalive: Keepalive;
  readonly #socketClosed: Promise<void>;
  #framesReceived = 0;
  #ended = false;
  #reading = true;
  #corked = false;
  /** `send()` answered false; `onDrain` is owed. */
  #full = false;
  #stallTimer: NodeJS.Timeout | undefined;

  constructor(
    ws: WebSocket,
    socket: Socket,
    settings: TransportSettings,
    options: TransportOptions,
    host: string,
  ) {
    this.#ws = ws;
    this.#socket = socket;
    this.#settings = settings;
    this.#events = transportEvents(options);
    this.#logger = options.logger;
    this.#host = host;
    this.#keepalive = new Keepalive({
      intervalMs: settings.pingIntervalMs,
      timeoutMs: settings.pongMs,
      sendPing: () => ws.ping('keepalive'),
      onTimeout: () =>
        this.#fail(
          new SsmTransportError(
            'PEER_UNRESPONSIVE',
            `${host} did not answer a ping within ${settings.pongMs} ms`,
          ),
        ),
    });
    this.#socketClosed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.#handleClose(code, reason.toString());
        resolve();
      });
    });
    ws.on('message', (data: RawData) => this.#handleMessage(data));
    ws.on('pong', this.#alive);
    ws.on('ping', this.#alive);
    ws.on('error', (cause: Error) => this.#handleError(cause));
    socket.on('drain', this.#onSocketDrain);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    ws.send(options.openFrame);
    this.#keepalive.start();
    this.#logger?.debug?.('transport: open', { host });
  }

  send(frame: Uint8Array): boolean {
    if (this.#ended) return false;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      setImmediate(this.#uncork);
    }
    const ws = this.#ws;
    ws.send(frame);
    if (ws.bufferedAmount < SEND_HIGH_WATER_MARK) return true;
    // Let the kernel take what it can before reporting backpressure.
    this.#uncork();
    if (ws.bufferedAmount < SEND_HIGH_WATER_MARK) return true;
    if (!this.#full) {
      this.#full = true;
      this.#watchStall();
    }
    return false;
  }

  setReading(reading: boolean): void {
    if (reading === this.#reading || this.#ended) return;
    this.#reading = reading;
    if (reading) {
      this.#ws.resume();
      this.#keepalive.start();
    } else {
      // No pong can be read meanwhile.
      this.#ws.pause();
      this.#keepalive.stop();
    }
  }

  close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      // What was sent before close() leaves before the close frame.
      this.#uncork();
      this.#release();
      this.#ws.resume();
      this.#ws.close(NORMAL_CLOSE);
      this.#logger?.debug?.('transport: closed locally', { host: this.#host });
    }
    return this.#socketClosed;
  }

  readonly #uncork = (): void => {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  };

  readonly #alive = (): void => this.#keepalive.alive();

  readonly #onAbort = (): void => this.#fail(abortedError());

  readonly #onSocketDrain = (): void => {
    if (!this.#full || this.#ended) return;
    this.#full = false;
    this.#stopStallWatch();
    this.#events.onDrain();
  };

  /**
   * While the send queue is full, checks that it shrinks: a slow peer takes bytes off it, however few; one
   * that takes nothing for `stallMs` ends the connection.
   */
  #watchStall(): void {
    const { stallMs } = this.#settings;
    let level = this.#ws.bufferedAmount;
    let progressAt = performance.now();
    this.#stallTimer = setInterval(
      () => {
        const now = performance.now();
        const current = this.#ws.bufferedAmount;
        if (current < level) progressAt = now;
        level = current;
        if (now - progressAt < stallMs) return;
        this.#fail(
          new SsmTransportError(
            'BUFFER_LIMIT_EXCEEDED',
            `${this.#host} took none of the ${current} bytes queued for it within ${stallMs} ms`,
          ),
        );
      },
      Math.min(1_000, Math.ceil(stallMs / 4)),
    ).unref();
  }

  #stopStallWatch(): void {
    clearInterval(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  #handleMessage(data: RawData): void {
    if (this.#ended) return;
    this.#framesReceived += 1;
    this.#keepalive.alive();
    try {
      this.#events.onFrame(toBytes(data));
    } catch (cause) {
      this.#fail(
        new SsmTransportError('CONNECTION_LOST', 'the onFrame handler threw; connection dropped', { cause }),
      );
    }
  }

  #handleError(cause: Error): void {
    const wsCode = (cause as { code?: unknown }).code;
    this.#fail(
      wsCode === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? new SsmTransportError(
            'FRAME_TOO_LARGE',
            `${this.#host} sent a message over ${this.#settings.maxMessageBytes} bytes`,
            { cause, closeCode: 1009 },
          )
        : new SsmTransportError('CONNECTION_LOST', `the data channel WebSocket failed: ${cause.message}`, {
            cause,
          }),
    );
  }

  #handleClose(code: number, reason: string): void {
    this.#ws.removeAllListeners();
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    const error = classifyClose(code, reason, this.#framesReceived);
    this.#logger?.debug?.('transport: closed by peer', { host: this.#host, code, errorCode: error.code });
    this.#events.onClose(error);
  }

  /** Ends the connection because of `error` detected here, and reports it once. */
  #fail(error: SsmTransportError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    this.#ws.terminate();
    this.#logger?.debug?.('transport: failed', { host: this.#host, errorCode: error.code });
    this.#events.onClose(error);
  }

  #release(): void {
    this.#keepalive.stop();
    this.#stopStallWatch();
    this.#socket.off('drain', this.#onSocketDrain);
    this.#events.signal?.removeEventListener('abort', this.#onAbort);
  }
}

import type { Socket } from 'node:net';
import { type ClientOptions, type RawData, WebSocket } from 'ws';
import type { ChannelLogger } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { Keepalive } from './keepalive.js';
import { MaskedFrameBatch } from './masked-frame-batch.js';
import { classifyClose, SsmTransportError } from './transport-error.js';
import {
  type FrameKind,
  resolveTransportSettings,
  type TransportOptions,
  type TransportSettings,
} from './transport-options.js';
import { checkStreamUrl, describeUrl } from './url-policy.js';

/** Where a {@link Transport} is in its life. */
export type TransportState = 'open' | 'closed';

/** An open data channel WebSocket. Obtain one with {@link openTransport}. */
export interface Transport {
  /**
   * Queues one frame (one agent message) as a binary WebSocket message.
   * Returns false when the socket queue has reached `highWaterMark`: wait for `onDrain` before sending more.
   * After the connection ended the frame is dropped and false is returned (`onDrain` will not follow).
   * Passing `maxBufferedAmount` ends the connection with `BUFFER_LIMIT_EXCEEDED` (reported to `onClose`).
   */
  send(frame: Uint8Array): boolean;
  /** Bytes queued on the socket and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** `open` until the connection ends or `close()` is called. */
  readonly state: TransportState;
  /** Stops reading from the socket (TCP backpressure to the peer); keepalive pings pause too. */
  pauseReading(): void;
  /** Undoes {@link Transport.pauseReading}. */
  resumeReading(): void;
  /**
   * Ends the connection: sends a close frame (1000) and drops the TCP connection after `closeTimeoutMs` at
   * the latest. Stops every timer and listener; `onClose` is not called. Resolves once the socket is closed.
   * Safe to call more than once and after the connection ended.
   */
  close(): Promise<void>;
}

const NORMAL_CLOSE = 1000;
const UNAUTHORIZED_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/**
 * Opens the data channel WebSocket to `streamUrl` and sends `openFrame` (the OpenDataChannel JSON) as its
 * first frame. The socket is dialled like the official plugin does: no extra headers, no subprotocol, no
 * compression, no redirects. Resolves once the upgrade completed and the open frame was queued.
 *
 * @throws {SsmChannelError} at once: `INVALID_ARGUMENT` (bad URL or option), `INSECURE_URL` (`ws://` to a
 *   host that is not loopback).
 * @throws {SsmChannelError} as a rejection: `CONNECT_TIMEOUT`, `ABORTED`, `AUTH_FAILED` (the upgrade was
 *   answered 401 or 403), `CONNECT_FAILED` (with `cause`).
 */
export function openTransport(options: TransportOptions): Promise<Transport> {
  const url = checkStreamUrl(options.streamUrl);
  const settings = resolveTransportSettings(options);
  if (typeof options.openFrame !== 'string' || options.openFrame.length === 0) {
    throw new SsmChannelError('INVALID_ARGUMENT', 'openFrame must be a non-empty string');
  }
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
    // `closeTimeout` (ws >= 8.19) is missing from @types/ws; it bounds the closing handshake.
    const wsOptions: ClientOptions & { closeTimeout: number } = {
      perMessageDeflate: false,
      // Text frames are parsed like binary ones (protocol reference §3.2); one that is not UTF-8 is the
      // codec's to drop, not a reason to fail the connection.
      skipUTF8Validation: true,
      maxPayload: settings.maxPayload,
      closeTimeout: settings.closeTimeoutMs,
      followRedirects: false,
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
        new SsmChannelError(
          'CONNECT_TIMEOUT',
          `no connection to ${host} within ${settings.connectTimeoutMs} ms`,
        ),
      );
    }, settings.connectTimeoutMs);
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
    // The upgrade response carries the socket `ws` goes on to use (public API, unlike `ws._socket`).
    let socket: Socket | undefined;
    ws.on('upgrade', (response) => {
      socket = response.socket;
    });
    ws.on('open', () => {
      stopWaiting();
      ws.removeAllListeners();
      resolve(new WsTransport(ws, settings, options, host, socket));
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
  readonly #settings: TransportSettings;
  readonly #onFrame: (frame: Uint8Array, kind: FrameKind) => void;
  readonly #onClose: (error: SsmChannelError) => void;
  readonly #onDrain: (() => void) | undefined;
  readonly #logger: ChannelLogger | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #host: string;
  readonly #keepalive: Keepalive;
  readonly #socketClosed: Promise<void>;
  /** Frames our binary messages and writes them once per loop turn; `ws.send` only without the socket. */
  readonly #batch: MaskedFrameBatch | undefined;
  #framesReceived = 0;
  #ended = false;
  #needDrain = false;

  constructor(
    ws: WebSocket,
    settings: TransportSettings,
    options: TransportOptions,
    host: string,
    socket: Socket | undefined,
  ) {
    this.#ws = ws;
    this.#batch =
      socket === undefined
        ? undefined
        : new MaskedFrameBatch(socket, () => ws.readyState === WebSocket.OPEN, this.#afterWrite);
    this.#settings = settings;
    this.#onFrame = options.onFrame;
    this.#onClose = options.onClose;
    this.#onDrain = options.onDrain;
    this.#logger = options.logger;
    this.#signal = options.signal;
    this.#host = host;
    this.#keepalive = new Keepalive({
      intervalMs: settings.pingIntervalMs,
      timeoutMs: settings.pongTimeoutMs,
      sendPing: () => ws.ping('keepalive'),
      onTimeout: () =>
        this.#fail(
          new SsmTransportError(
            'PEER_UNRESPONSIVE',
            `${host} did not answer a ping within ${settings.pongTimeoutMs} ms`,
          ),
        ),
    });
    this.#socketClosed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.#handleClose(code, reason.toString());
        resolve();
      });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => this.#handleMessage(data, isBinary));
    ws.on('pong', this.#alive);
    ws.on('ping', this.#alive);
    ws.on('error', (cause: Error) => this.#handleError(cause));
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    ws.send(options.openFrame);
    this.#keepalive.start();
    this.#logger?.debug?.('transport: open', { host });
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount + (this.#batch?.pendingBytes ?? 0);
  }

  get state(): TransportState {
    return this.#ended ? 'closed' : 'open';
  }

  send(frame: Uint8Array): boolean {
    if (this.#ended || this.#ws.readyState !== WebSocket.OPEN) return false;
    if (this.bufferedAmount + frame.byteLength > this.#settings.maxBufferedAmount) {
      this.#fail(
        new SsmTransportError(
          'BUFFER_LIMIT_EXCEEDED',
          `more than ${this.#settings.maxBufferedAmount} bytes queued on the WebSocket`,
        ),
      );
      return false;
    }
    // Frames sent in the same loop turn (e.g. the acks of its socket reads) leave in one system call.
    if (this.#batch === undefined) this.#ws.send(frame, { binary: true }, this.#afterWrite);
    else this.#batch.add(frame);
    if (this.bufferedAmount < this.#settings.highWaterMark) return true;
    // Batched bytes count as queued: let the kernel take them before reporting backpressure.
    this.#batch?.flush();
    if (this.bufferedAmount < this.#settings.highWaterMark) return true;
    this.#needDrain = true;
    return false;
  }

  pauseReading(): void {
    if (this.#ended) return;
    this.#ws.pause();
    this.#keepalive.stop();
  }

  resumeReading(): void {
    if (this.#ended) return;
    this.#ws.resume();
    this.#keepalive.start();
  }

  close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      // What was sent before close() leaves before the close frame.
      this.#batch?.flush();
      this.#release();
      this.#ws.resume();
      this.#ws.close(NORMAL_CLOSE);
      this.#logger?.debug?.('transport: closed locally', { host: this.#host });
    }
    return this.#socketClosed;
  }

  readonly #alive = (): void => this.#keepalive.alive();

  readonly #onAbort = (): void => this.#fail(abortedError());

  readonly #afterWrite = (): void => {
    if (!this.#needDrain || this.#ended || this.#ws.bufferedAmount >= this.#settings.highWaterMark) return;
    this.#needDrain = false;
    this.#onDrain?.();
  };

  #handleMessage(data: RawData, isBinary: boolean): void {
    if (this.#ended) return;
    this.#framesReceived += 1;
    this.#keepalive.alive();
    try {
      this.#onFrame(toBytes(data), isBinary ? 'binary' : 'text');
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
            `${this.#host} sent a message over ${this.#settings.maxPayload} bytes`,
            {
              cause,
              closeCode: 1009,
            },
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
    this.#onClose(error);
  }

  /** Ends the connection because of `error` detected here, and reports it once. */
  #fail(error: SsmTransportError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    this.#ws.terminate();
    this.#logger?.debug?.('transport: failed', { host: this.#host, errorCode: error.code });
    this.#onClose(error);
  }

  #release(): void {
    this.#batch?.discard();
    this.#keepalive.stop();
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}

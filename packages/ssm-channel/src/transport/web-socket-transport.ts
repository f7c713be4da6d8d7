/**
 * The transport over a WHATWG `WebSocket`: browsers, workers, runtimes with a global `WebSocket` (Node 22,
 * Deno, Bun), or any object of that shape. Same contract and error codes as the `ws` transport, with what
 * the WHATWG API cannot do:
 *
 * - No drain event: while the send queue is full, `bufferedAmount` is polled every {@link DRAIN_POLL_MS}
 *   until it falls to {@link SEND_LOW_WATER_MARK} (then `onDrain`), until nothing left it for `stallMs`
 *   (`BUFFER_LIMIT_EXCEEDED`), or until the connection ends.
 * - Reads cannot be paused: `setReading(false)` changes nothing, and every frame that arrives goes to the
 *   engine, which bounds what it keeps (the reader's budget, then the reorder buffer; output past both is
 *   dropped unacknowledged and the agent sends it again). Acknowledgements of such frames still go out; past
 *   {@link SEND_QUEUE_LIMIT} queued bytes a frame is dropped, as a lossy link would, and the protocol's
 *   retransmission recovers it.
 * - No pings: the runtime answers the peer's pings by itself. A silent peer shows as input left
 *   unacknowledged (`RETRANSMIT_GIVE_UP` after `stallMs`).
 * - A refused upgrade (HTTP 401/403) cannot be told from any other failure: `CONNECT_FAILED`. A close with
 *   1008 before any frame is still `AUTH_FAILED`.
 * - The largest message is checked when it has arrived (the runtime has already received it).
 */
import { unrefTimer } from '#platform';
import type { ChannelLogger } from '../channel-types.js';
import { peerText, SsmChannelError } from '../errors.js';
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

/**
 * The part of a WHATWG `WebSocket` the transport uses. The browser's `WebSocket`, undici's (Node 22's
 * global) and `ws`'s `WebSocket` class all have it.
 */
export interface WebSocketLike {
  /** Set to `'arraybuffer'`: binary messages arrive as `ArrayBuffer`s. */
  binaryType: string;
  /** Bytes queued by `send()` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Queues one message: binary for bytes, text for a string. */
  send(data: ArrayBufferView | string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Listens for `open`, `message` (`event.data`), `close` (`event.code`, `event.reason`) or `error`. */
  // biome-ignore lint/suspicious/noExplicitAny: each implementation has its own event classes.
  addEventListener(type: string, listener: (event: any) => void): void;
  /** Stops listening. */
  // biome-ignore lint/suspicious/noExplicitAny: each implementation has its own event classes.
  removeEventListener(type: string, listener: (event: any) => void): void;
}

/** A `WebSocket` class: `new WebSocket(url)` dials at once, with no subprotocol. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `onDrain` comes once no more than this many bytes wait in the send queue. */
export const SEND_LOW_WATER_MARK = 64 * 1024;
/** Past this many queued bytes a frame is dropped (only acks of frames read while not receiving get here). */
export const SEND_QUEUE_LIMIT = 4 * SEND_HIGH_WATER_MARK;
/** How often `bufferedAmount` is read while the send queue is full, in ms. */
export const DRAIN_POLL_MS = 5;

/** The close code sent in every case: browsers refuse any other below 3000. */
const NORMAL_CLOSE = 1000;
/** The close code a too-large message is reported with (the WebSocket standard's "message too big"). */
const MESSAGE_TOO_BIG = 1009;

/**
 * Opens the data channel WebSocket to `streamUrl` with `WebSocket` and sends `openFrame` (the
 * OpenDataChannel JSON, a text frame) first. Resolves once the connection is open and the frame queued.
 *
 * @throws {SsmChannelError} at once: `INVALID_ARGUMENT` (bad URL), `INSECURE_URL` (`ws://` to a host that is
 *   not loopback).
 * @throws {SsmChannelError} as a rejection: `CONNECT_TIMEOUT`, `ABORTED`, `CONNECT_FAILED` (also for a
 *   refused upgrade: the WHATWG API does not say why a connection failed).
 */
export function openWebSocketTransport(
  options: TransportOptions,
  settings: TransportSettings,
  WebSocket: WebSocketConstructor,
): Promise<Transport> {
  const url = checkStreamUrl(options.streamUrl);
  if (options.signal?.aborted) return Promise.reject(abortedError());
  const host = describeUrl(url);
  const { signal } = options;
  return new Promise((resolve, reject) => {
    let ws: WebSocketLike;
    try {
      ws = new WebSocket(url.href);
      ws.binaryType = 'arraybuffer';
    } catch (cause) {
      reject(new SsmChannelError('CONNECT_FAILED', `could not connect to ${host}`, { cause }));
      return;
    }
    // Some implementations (`ws`) throw on an 'error' nobody listens to, even after the connection is over.
    ws.addEventListener('error', ignore);
    let settled = false;
    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('error', onError);
      ws.removeEventListener('close', onCloseEarly);
    };
    const fail = (error: SsmChannelError, closeSocket: boolean): void => {
      if (settled) return;
      settle();
      if (closeSocket) closeQuietly(ws);
      reject(error);
    };
    const onAbort = (): void => fail(abortedError(), true);
    const onError = (event: { message?: unknown }): void => {
      const why =
        typeof event?.message === 'string' && event.message !== '' ? `: ${peerText(event.message)}` : '';
      fail(new SsmChannelError('CONNECT_FAILED', `could not connect to ${host}${why}`), true);
    };
    const onCloseEarly = (event: { code?: number }): void => {
      fail(
        new SsmChannelError(
          'CONNECT_FAILED',
          `${host} closed the connection during the upgrade (code ${event?.code ?? 1006})`,
        ),
        false,
      );
    };
    const onOpen = (): void => {
      if (settled) return;
      settle();
      resolve(new WebSocketTransport(ws, settings, options, host));
    };
    const timer = setTimeout(() => {
      fail(
        new SsmChannelError('CONNECT_TIMEOUT', `no connection to ${host} within ${settings.connectMs} ms`),
        true,
      );
    }, settings.connectMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.addEventListener('open', onOpen);
    ws.addEventListener('error', onError);
    ws.addEventListener('close', onCloseEarly);
  });
}

function ignore(): void {}

function abortedError(): SsmTransportError {
  return new SsmTransportError('ABORTED', 'the data channel connection was aborted');
}

function closeQuietly(ws: WebSocketLike): void {
  try {
    ws.close(NORMAL_CLOSE);
  } catch {
    // Already closed: the socket is going away regardless.
  }
}

const textEncoder = new TextEncoder();

/** The bytes of a message event's `data`, or undefined for a kind the protocol has no use for (a Blob). */
function bytesOf(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Text frames are parsed like binary ones (protocol reference §3.2).
  if (typeof data === 'string') return textEncoder.encode(data);
  return undefined;
}

/**
 * The open connection. Everything lives in private fields; the open frame (with the token) is sent once and
 * not kept.
 */
class WebSocketTransport implements Transport {
  readonly #ws: WebSocketLike;
  readonly #settings: TransportSettings;
  readonly #events: TransportEvents;
  readonly #logger: ChannelLogger | undefined;
  readonly #host: string;
  readonly #socketClosed: Promise<void>;
  #resolveSocketClosed!: () => void;
  #framesReceived = 0;
  #ended = false;
  /** `send()` answered false; `onDrain` is owed. */
  #full = false;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;

  constructor(ws: WebSocketLike, settings: TransportSettings, options: TransportOptions, host: string) {
    this.#ws = ws;
    this.#settings = settings;
    this.#events = transportEvents(options);
    this.#logger = options.logger;
    this.#host = host;
    this.#socketClosed = new Promise((resolve) => {
      this.#resolveSocketClosed = resolve;
    });
    ws.addEventListener('message', this.#onMessage);
    ws.addEventListener('close', this.#onClose);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    ws.send(options.openFrame);
    this.#logger?.debug?.('transport: open', { host });
  }

  send(frame: Uint8Array): boolean {
    if (this.#ended) return false;
    const ws = this.#ws;
    if (ws.bufferedAmount >= SEND_QUEUE_LIMIT) {
      // Lost, as on a lossy link: an unacknowledged message is sent again, a missing ack re-earned.
      this.#dropped += 1;
      if (this.#dropped === 1) this.#logger?.debug?.('transport: send queue at its limit; dropping frames');
      return false;
    }
    ws.send(frame);
    if (ws.bufferedAmount < SEND_HIGH_WATER_MARK) return true;
    if (!this.#full) {
      this.#full = true;
      this.#watchDrain();
    }
    return false;
  }

  setReading(_reading: boolean): void {
    // A WHATWG WebSocket is always read: what arrives meanwhile goes to the engine (see the file comment).
  }

  close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      this.#release();
      closeQuietly(this.#ws);
      // Resolve even if the peer never answers the close: the runtime drops the connection in the end.
      unrefTimer(setTimeout(this.#resolveSocketClosed, CLOSE_TIMEOUT_MS));
      this.#logger?.debug?.('transport: closed locally', { host: this.#host });
    }
    return this.#socketClosed;
  }

  readonly #onAbort = (): void => this.#fail(abortedError());

  readonly #onMessage = (event: { data?: unknown }): void => {
    if (this.#ended) return;
    const frame = bytesOf(event.data);
    if (frame === undefined) {
      this.#logger?.debug?.('transport: message of an unknown kind dropped', { host: this.#host });
      return;
    }
    if (frame.byteLength > this.#settings.maxMessageBytes) {
      this.#fail(
        new SsmTransportError(
          'FRAME_TOO_LARGE',
          `${this.#host} sent a message over ${this.#settings.maxMessageBytes} bytes`,
          { closeCode: MESSAGE_TOO_BIG },
        ),
      );
      return;
    }
    this.#framesReceived += 1;
    try {
      this.#events.onFrame(frame);
    } catch (cause) {
      this.#fail(
        new SsmTransportError('CONNECTION_LOST', 'the onFrame handler threw; connection dropped', { cause }),
      );
    }
  };

  readonly #onClose = (event: { code?: number; reason?: string }): void => {
    this.#ws.removeEventListener('message', this.#onMessage);
    this.#ws.removeEventListener('close', this.#onClose);
    this.#resolveSocketClosed();
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    const code = typeof event?.code === 'number' ? event.code : 1006;
    const reason = typeof event?.reason === 'string' ? event.reason : '';
    const error = classifyClose(code, reason, this.#framesReceived);
    this.#logger?.debug?.('transport: closed by peer', { host: this.#host, code, errorCode: error.code });
    this.#events.onClose(error);
  };

  /**
   * While the send queue is full, reads `bufferedAmount` every {@link DRAIN_POLL_MS}: `onDrain` once it is
   * down to {@link SEND_LOW_WATER_MARK}; the end of the connection when nothing left it for `stallMs`.
   */
  #watchDrain(): void {
    const { stallMs } = this.#settings;
    let level = this.#ws.bufferedAmount;
    let progressAt = performance.now();
    const poll = (): void => {
      this.#pollTimer = undefined;
      if (this.#ended) return;
      const current = this.#ws.bufferedAmount;
      const now = performance.now();
      if (current <= SEND_LOW_WATER_MARK) {
        this.#full = false;
        this.#events.onDrain();
        return;
      }
      if (current < level) progressAt = now;
      level = current;
      if (now - progressAt >= stallMs) {
        this.#fail(
          new SsmTransportError(
            'BUFFER_LIMIT_EXCEEDED',
            `${this.#host} took none of the ${current} bytes queued for it within ${stallMs} ms`,
          ),
        );
        return;
      }
      this.#pollTimer = setTimeout(poll, DRAIN_POLL_MS);
      unrefTimer(this.#pollTimer);
    };
    this.#pollTimer = setTimeout(poll, DRAIN_POLL_MS);
    unrefTimer(this.#pollTimer);
  }

  /** Ends the connection because of `error` detected here, and reports it once. */
  #fail(error: SsmTransportError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    closeQuietly(this.#ws);
    unrefTimer(setTimeout(this.#resolveSocketClosed, CLOSE_TIMEOUT_MS));
    this.#logger?.debug?.('transport: failed', { host: this.#host, errorCode: error.code });
    this.#events.onClose(error);
  }

  #release(): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#events.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/**
 * The `DataChannel` Duplex: the client engine wired to the `ws` transport, timers and Node streams.
 * Nothing here parses bytes; the engine decides, this file moves bytes and events between the layers.
 */
import { Duplex, Readable } from 'node:stream';
import type { ChannelStats, CloseInfo, StreamCredentials, TerminalSize } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { type ClientEngine, createClientEngine } from '../protocol/client-engine.js';
import {
  ClientEngineDefaults,
  type ClientEngineOptions,
  checkTerminalSize,
  type EngineCloseInfo,
  type SessionStartInfo,
} from '../protocol/client-options.js';
import { openTransport, type Transport } from '../transport/ws-transport.js';
import { DeadlineTimer } from './deadline-timer.js';
import { type ConnectDataChannelOptions, checkCredentials } from './options.js';
import { type ReconnectPolicy, reconnectDelay, sleep } from './reconnect-policy.js';

/** What the session start told us, kept for the caller. */
export type SessionInfo = SessionStartInfo;

/**
 * A live SSM data channel as a Node `Duplex` of raw bytes: what you write becomes `input_stream_data`
 * (keystrokes), what you read is the agent's output stream, in order, each byte once.
 *
 * - Backpressure: a write completes only when the unacknowledged window has room; when you stop reading,
 *   the channel stops taking output beyond `receiveBudgetBytes` and leaves it unacknowledged, and stops
 *   reading the socket until you read again (TCP backpressure: unread output costs neither memory nor
 *   CPU here; acknowledgements of your input wait behind it, as on any socket).
 * - `end()` completes once every written byte was acknowledged by the agent; the readable side ends when
 *   the service closes the channel.
 * - Errors during the session `destroy(err)` the stream with an {@link SsmChannelError}; `whenClosed` always
 *   resolves, never rejects. (Node streams already have a boolean `closed`, so the promise has its own name.)
 */
export class DataChannel extends Duplex {
  /** StdErr bytes (PayloadType 11), when the agent separates them. Read it, or output stalls at the budget. */
  readonly stderr: Readable;
  /** Resolves once the channel has ended and released its socket and timers. */
  readonly whenClosed: Promise<CloseInfo>;
  /** What the agent said when the session started (handshake details, or none for a plain shell). */
  session: SessionInfo | undefined;

  readonly #engine: ClientEngine;
  readonly #timer: DeadlineTimer;
  readonly #options: ConnectDataChannelOptions;
  readonly #policy: ReconnectPolicy;
  readonly #lifetime = new AbortController();
  #transport: Transport | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  #engineClose: EngineCloseInfo | undefined;
  #startWaiter: { resolve: () => void; reject: (error: SsmChannelError) => void } | undefined;
  #writeCallback: ((error?: Error | null) => void) | undefined;
  #finalCallback: ((error?: Error | null) => void) | undefined;
  #pushedBytes = 0;
  #releasedBytes = 0;
  /** Output bytes the readers may hold before the socket stops being read. */
  readonly #receiveBudget: number;
  /** True while the transport is paused because the readers hold the whole budget. */
  #socketPaused = false;
  #reconnects = 0;
  /** Reconnection attempts since a connection last received a frame. */
  #failedAttempts = 0;
  #removeAbortListener: (() => void) | undefined;
  /** A failure that ended the channel before the session started (reported by `start()`, not `error`). */
  #failure: SsmChannelError | undefined;
  /** Depth of engine calls in progress: a reader's or writer's callback may call back into us. */
  #inEngine = 0;

  /** @internal Use {@link connectDataChannel}. */
  constructor(options: ConnectDataChannelOptions, policy: ReconnectPolicy) {
    super({ allowHalfOpen: true, decodeStrings: true });
    this.#options = options;
    this.#policy = policy;
    this.#receiveBudget = options.receiveBudgetBytes ?? ClientEngineDefaults.receiveBudgetBytes;
    this.whenClosed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.stderr = new Readable({ read: () => this.#release() });
    const now = (): number => performance.now();
    this.#timer = new DeadlineTimer(now, () => this.#afterEngine(() => this.#engine.onTimer()));
    this.#engine = createClientEngine({
      ...engineLimits(options),
      now,
      sendFrame: (frame) => {
        this.#transport?.send(frame);
      },
      onOutput: (bytes) => this.#deliver(this, bytes),
      onStderr: (bytes) => this.#deliver(this.stderr, bytes),
      onStart: (info) => this.#onStart(info),
      onWritable: () => this.#completeWrite(),
      onClose: (info) => this.#onEngineClose(info),
      onError: (error) => this.#fail(error),
    });
  }

  /**
   * Sets the terminal size; sent when it differs from the last size sent.
   * @throws {SsmChannelError} `INVALID_ARGUMENT` unless both are integers in 1..65535.
   */
  resize(cols: number, rows: number): void {
    if (this.#inEngine > 0) {
      checkTerminalSize(cols, rows);
      queueMicrotask(() => this.resize(cols, rows));
      return;
    }
    this.#afterEngine(() => this.#engine.resize(cols, rows));
  }

  /** Round-trip estimates and counters. */
  stats(): ChannelStats {
    const s = this.#engine.stats();
    return {
      rttMs: s.rttMs,
      rtoMs: s.rtoMs,
      retransmissions: s.retransmissions,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      messagesIn: s.messagesIn,
      messagesOut: s.messagesOut,
      reconnects: this.#reconnects,
    };
  }

  /** @internal Connects and waits for the session to start. */
  async start(credentials: StreamCredentials): Promise<void> {
    const signal = this.#options.signal;
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.#fail(new SsmChannelError('ABORTED', 'the data channel was aborted', { cause: signal.reason }));
      };
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
    const started = new Promise<void>((resolve, reject) => {
      this.#startWaiter = { resolve, reject };
    });
    // A failed connection rejects `start()` itself; `started` must not also surface as unhandled.
    started.catch(() => undefined);
    await this.#connect(credentials);
    await started;
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#inEngine > 0) {
      // Written from inside an output callback: let the engine finish the frame it is handling first.
      process.nextTick(() => this._write(chunk, encoding, callback));
      return;
    }
    let hasRoom: boolean;
    try {
      hasRoom = this.#afterEngine(() => this.#engine.write(chunk));
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (hasRoom) callback();
    else this.#writeCallback = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#finalCallback = callback;
    this.#checkFlushed();
  }

  override _read(): void {
    this.#release();
  }

  /**
   * Ends the channel with `error`. Before the session started, `start()` rejects with it and the stream is
   * destroyed quietly (nobody listens for its `error` event yet); afterwards the stream errors.
   */
  #fail(error: SsmChannelError): void {
    const waiter = this.#startWaiter;
    if (waiter === undefined) {
      this.destroy(error);
      return;
    }
    this.#startWaiter = undefined;
    this.#failure = error;
    waiter.reject(error);
    this.destroy();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const failure = error === null ? this.#failure : toChannelError(error);
    this.#startWaiter?.reject(
      failure ?? new SsmChannelError('CHANNEL_CLOSED', 'the data channel was closed'),
    );
    this.#startWaiter = undefined;
    // After a `channel_closed` the close info was settled already; resolving again changes nothing.
    this.#resolveClosed(this.#closeInfo(failure));
    this.#engine.close();
    this.#shutdown();
    this.#settleCallbacks(failure ?? new SsmChannelError('CHANNEL_CLOSED', 'the data channel is closed'));
    if (!this.stderr.destroyed) this.stderr.destroy();
    callback(error);
  }

  #closeInfo(failure: SsmChannelError | undefined): CloseInfo {
    const ended = this.#engineClose;
    if (ended !== undefined) {
      const info: CloseInfo = { reason: ended.reason };
      if (ended.output !== undefined) info.output = ended.output;
      if (ended.exitCode !== undefined) info.exitCode = ended.exitCode;
      return info;
    }
    if (failure === undefined) return { reason: 'local' };
    if (failure.code === 'ABORTED') return { reason: 'aborted', error: failure };
    return { reason: 'error', error: failure };
  }

  /** Frees the socket, the timer, the abort listener and any reconnection in progress. */
  #shutdown(): void {
    this.#timer.clear();
    // Close the socket before aborting the lifetime signal, so the transport reports no abort of its own.
    const transport = this.#transport;
    this.#transport = undefined;
    void transport?.close();
    this.#lifetime.abort();
    this.#removeAbortListener?.();
    this.#removeAbortListener = undefined;
  }

  #settleCallbacks(error: SsmChannelError): void {
    const write = this.#writeCallback;
    const final = this.#finalCallback;
    this.#writeCallback = undefined;
    this.#finalCallback = undefined;
    write?.(error);
    final?.(error);
  }

  /** Runs an engine call, then re-arms the timer and checks whether `end()` can complete. */
  #afterEngine<T>(call: () => T): T {
    this.#inEngine += 1;
    try {
      return call();
    } finally {
      this.#inEngine -= 1;
      if (this.#inEngine === 0) {
        this.#timer.set(this.#engine.nextDeadline());
        if (this.#finalCallback !== undefined) this.#checkFlushed();
      }
    }
  }

  async #connect(credentials: StreamCredentials): Promise<void> {
    const o = this.#options;
    const transport = await openTransport({
      streamUrl: credentials.streamUrl,
      openFrame: this.#engine.openFrame(credentials.tokenValue),
      onFrame: (frame) => {
        this.#failedAttempts = 0;
        this.#afterEngine(() => this.#engine.receive(frame));
      },
      onClose: (error) => this.#onTransportLost(transport, error),
      signal: this.#lifetime.signal,
      ...(o.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: o.connectTimeoutMs }),
      ...(o.maxPayload === undefined ? {} : { maxPayload: o.maxPayload }),
      ...(o.pingIntervalMs === undefined ? {} : { pingIntervalMs: o.pingIntervalMs }),
      ...(o.pongTimeoutMs === undefined ? {} : { pongTimeoutMs: o.pongTimeoutMs }),
      ...(o.logger === undefined ? {} : { logger: o.logger }),
    });
    if (this.destroyed) {
      void transport.close();
      throw new SsmChannelError('CHANNEL_CLOSED', 'the data channel was closed while connecting');
    }
    this.#transport = transport;
    this.#socketPaused = false;
    this.#applyBackpressure();
    o.logger?.debug?.('data channel connected', { reconnects: this.#reconnects });
    this.#afterEngine(() => this.#engine.transportUp());
  }

  #onTransportLost(lost: Transport, error: SsmChannelError): void {
    if (this.#transport !== lost || this.destroyed) return;
    this.#transport = undefined;
    this.#afterEngine(() => this.#engine.transportDown());
    const reconnect = this.#options.reconnect;
    if (reconnect === undefined || this.#startWaiter !== undefined || error.code === 'ABORTED') {
      this.#fail(error);
      return;
    }
    this.#options.logger?.info?.('data channel connection lost; reconnecting', { code: error.code });
    void this.#reconnect(reconnect, error);
  }

  /**
   * Reconnects after a connection loss, with backoff. Attempts count until a connection receives a frame:
   * one that opens and then drops at once (a refused token) is a failed attempt too, so the loop is bounded
   * by `maxReconnectAttempts` whatever the service does. A rejection of the `reconnect` callback itself is
   * final (the callback owns its own retries and may know that the session is gone), and so are
   * credentials that fail the URL policy.
   */
  async #reconnect(
    reconnect: NonNullable<ConnectDataChannelOptions['reconnect']>,
    lost: SsmChannelError,
  ): Promise<void> {
    const signal = this.#lifetime.signal;
    let last: unknown = lost;
    while (this.#failedAttempts < this.#policy.maxAttempts) {
      this.#failedAttempts += 1;
      const attempt = this.#failedAttempts;
      let credentials: StreamCredentials;
      try {
        await sleep(reconnectDelay(this.#policy, attempt, Math.random), signal);
        credentials = await reconnect({ attempt, signal });
        checkCredentials(credentials);
      } catch (error) {
        if (!signal.aborted && !this.destroyed) this.#fail(reconnectFailed(lost, error));
        return;
      }
      try {
        await this.#connect(credentials);
        this.#reconnects += 1;
        this.#options.logger?.info?.('data channel reconnected', { attempt });
        return;
      } catch (error) {
        if (signal.aborted || this.destroyed) return;
        last = error;
        const code = error instanceof SsmChannelError ? error.code : 'UNKNOWN';
        this.#options.logger?.warn?.('reconnection attempt failed', { attempt, code });
      }
    }
    this.#fail(reconnectFailed(lost, last));
  }

  #onStart(info: SessionStartInfo): void {
    this.session = info;
    const waiter = this.#startWaiter;
    this.#startWaiter = undefined;
    waiter?.resolve();
  }

  #deliver(stream: Readable, bytes: Uint8Array): void {
    // The engine hands out views of received frames; the transport never reuses those buffers.
    stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#pushedBytes += bytes.byteLength;
    this.#applyBackpressure();
  }

  /**
   * Pauses the socket while the readers hold at least the receive budget, and resumes it below. The engine
   * refuses output at the same bound; pausing also stops the frames behind it from being read, verified and
   * dropped, so a stalled reader costs no memory or CPU while the agent keeps the output.
   */
  #applyBackpressure(): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    const full = this.readableLength + this.stderr.readableLength >= this.#receiveBudget;
    if (full === this.#socketPaused) return;
    this.#socketPaused = full;
    if (full) transport.pauseReading();
    else transport.resumeReading();
  }

  /** Gives the engine back the receive budget of every byte the readers have taken. */
  #release = (): void => {
    if (this.destroyed) return;
    if (this.#inEngine > 0) {
      queueMicrotask(this.#release);
      return;
    }
    const taken = this.#pushedBytes - this.readableLength - this.stderr.readableLength;
    const released = taken - this.#releasedBytes;
    this.#applyBackpressure();
    if (released <= 0) return;
    this.#releasedBytes = taken;
    this.#afterEngine(() => this.#engine.consumed(released));
  };

  #completeWrite(): void {
    const callback = this.#writeCallback;
    this.#writeCallback = undefined;
    callback?.();
  }

  #checkFlushed(): void {
    const callback = this.#finalCallback;
    if (callback === undefined) return;
    const s = this.#engine.stats();
    if (s.unackedMessages > 0 || s.pendingInputBytes > 0) return;
    this.#finalCallback = undefined;
    callback();
  }

  #onEngineClose(info: EngineCloseInfo): void {
    this.#engineClose = info;
    this.#options.logger?.debug?.('data channel closed', { reason: info.reason });
    this.#startWaiter?.reject(
      new SsmChannelError('CHANNEL_CLOSED', closedBeforeStartMessage(info), { cause: info.output }),
    );
    this.#startWaiter = undefined;
    if (info.reason !== 'channel_closed') return;
    // The remote side is gone: free the socket, settle `whenClosed`, end both readables, and destroy the
    // stream once its output has been read.
    this.#shutdown();
    this.#resolveClosed(this.#closeInfo(undefined));
    this.push(null);
    this.stderr.push(null);
    this.#settleCallbacks(new SsmChannelError('CHANNEL_CLOSED', 'the service closed the data channel'));
    const finish = (): void => {
      this.destroy();
    };
    if (this.readableEnded) finish();
    else this.once('end', finish);
  }
}

/** The engine options taken from the channel options, without the keys the caller left out. */
function engineLimits(o: ConnectDataChannelOptions): Partial<ClientEngineOptions> {
  const limits: Partial<ClientEngineOptions> = {};
  if (o.terminalSize !== undefined) limits.terminalSize = o.terminalSize;
  if (o.clientVersion !== undefined) limits.clientVersion = o.clientVersion;
  if (o.maxUnackedMessages !== undefined) limits.maxUnackedMessages = o.maxUnackedMessages;
  if (o.maxUnackedBytes !== undefined) limits.maxUnackedBytes = o.maxUnackedBytes;
  if (o.maxReorderMessages !== undefined) limits.maxReorderMessages = o.maxReorderMessages;
  if (o.maxReorderBytes !== undefined) limits.maxReorderBytes = o.maxReorderBytes;
  if (o.receiveBudgetBytes !== undefined) limits.receiveBudgetBytes = o.receiveBudgetBytes;
  if (o.giveUpAfterMs !== undefined) limits.giveUpAfterMs = o.giveUpAfterMs;
  if (o.startTimeoutMs !== undefined) limits.startTimeoutMs = o.startTimeoutMs;
  return limits;
}

function reconnectFailed(lost: SsmChannelError, cause: unknown): SsmChannelError {
  return new SsmChannelError('RECONNECT_FAILED', `could not reconnect the data channel after ${lost.code}`, {
    cause,
  });
}

function closedBeforeStartMessage(info: EngineCloseInfo): string {
  return info.output === undefined || info.output === ''
    ? 'the service closed the data channel before the session started'
    : `the service closed the data channel before the session started: ${info.output}`;
}

function toChannelError(error: Error): SsmChannelError {
  if (error instanceof SsmChannelError) return error;
  return new SsmChannelError('CHANNEL_CLOSED', error.message, { cause: error });
}

/** Terminal size as the channel takes it. */
export type { TerminalSize };

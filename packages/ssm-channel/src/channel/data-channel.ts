/**
 * The `DataChannel` Duplex: the client engine wired to the `ws` transport, timers and Node streams.
 * Nothing here parses bytes; the engine decides, this file moves bytes and events between the layers.
 */
import { Duplex, type Readable } from 'node:stream';
import type { ChannelStats, CloseInfo, StreamCredentials, TerminalSize } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { type ClientEngine, createClientEngine } from '../protocol/client-engine.js';
import {
  ClientEngineDefaults,
  checkTerminalSize,
  type EngineCloseInfo,
  type SessionStartInfo,
} from '../protocol/client-options.js';
import { openTransport, type Transport } from '../transport/ws-transport.js';
import { DeadlineTimer } from './deadline-timer.js';
import { type ConnectDataChannelOptions, engineLimits, transportSettings } from './options.js';
import { FeedReadable, OutputFeed } from './output-feed.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { Reconnector } from './reconnector.js';

/** What the session start told us, kept for the caller. */
export type SessionInfo = SessionStartInfo;

/**
 * A live SSM data channel as a Node `Duplex` of raw bytes: what you write becomes `input_stream_data`
 * (keystrokes), what you read is the agent's output stream, in order, each byte once.
 *
 * - Backpressure: a write completes only when the unacknowledged window has room. Output is handed to a
 *   reader (the stream itself or `stderr`) when it asks for data, all that arrived meanwhile as one chunk;
 *   when a reader has left `receiveBudgetBytes` untaken (bytes plus a small charge per message, so that tiny
 *   messages cannot hold more memory than that), the channel stops reading the socket and taking output,
 *   which stays unacknowledged so the agent keeps it, until the reader asks for more (TCP backpressure:
 *   acknowledgements of your input wait behind unread output, as on any socket).
 * - `end()` completes once every written byte was acknowledged by the agent; the readable side ends when
 *   the service closes the channel (`channel_closed`), after every byte received before it. Input still
 *   unacknowledged then, or written before the readable side has ended, has nowhere to go and is dropped
 *   without an error, as a keystroke typed while a remote shell exits; once the output was read to its end
 *   the stream is destroyed, and later writes fail as on any destroyed stream (`ERR_STREAM_DESTROYED`).
 * - Events besides the stream ones: `flag` (a Flag payload's value, e.g. 3 ConnectToPortError).
 * - Errors during the session `destroy(err)` the stream with an {@link SsmChannelError}; `whenClosed` always
 *   resolves, never rejects. (Node streams already have a boolean `closed`, so the promise has its own name.)
 */
export class DataChannel extends Duplex {
  /** StdErr bytes (PayloadType 11), when the agent separates them. Read it, or output stalls at the budget. */
  readonly stderr: Readable;
  /** Resolves once the channel has ended and released its socket (closed) and timers. */
  readonly whenClosed: Promise<CloseInfo>;
  /** What the agent said when the session started (handshake details, or none for a plain shell). */
  session: SessionInfo | undefined;

  readonly #engine: ClientEngine;
  readonly #timer: DeadlineTimer;
  readonly #options: ConnectDataChannelOptions;
  readonly #lifetime = new AbortController();
  readonly #reconnector: Reconnector | undefined;
  #transport: Transport | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  #engineClose: EngineCloseInfo | undefined;
  #startWaiter: { resolve: () => void; reject: (error: SsmChannelError) => void } | undefined;
  #writeCallback: ((error?: Error | null) => void) | undefined;
  #finalCallback: ((error?: Error | null) => void) | undefined;
  /** Output waiting for the reader of the stream itself, and of `stderr`. */
  readonly #stdoutFeed: OutputFeed;
  readonly #stderrFeed: OutputFeed;
  /** True while the socket is not read because a reader has left its budget of output untaken. */
  #socketPaused = false;
  #removeAbortListener: (() => void) | undefined;
  /** A failure that ended the channel before the session started (reported by `start()`, not `error`). */
  #failure: SsmChannelError | undefined;
  /** Depth of engine calls in progress: a reader's or writer's callback may call back into us. */
  #inEngine = 0;

  /** @internal Use {@link connectDataChannel}. */
  constructor(options: ConnectDataChannelOptions, policy: ReconnectPolicy) {
    const budget = options.receiveBudgetBytes ?? ClientEngineDefaults.receiveBudgetBytes;
    // The readables buffer nothing ahead of their readers: the feeds hold output until it is asked for.
    super({ allowHalfOpen: true, decodeStrings: true, readableHighWaterMark: 0 });
    this.#options = options;
    this.whenClosed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    const onFull = (): void => this.#applyBackpressure();
    const stderr = new FeedReadable(budget, onFull);
    this.stderr = stderr;
    this.#stdoutFeed = new OutputFeed(this, budget, onFull);
    this.#stderrFeed = stderr.feed;
    const now = (): number => performance.now();
    const reconnect = options.reconnect;
    this.#reconnector =
      reconnect === undefined
        ? undefined
        : new Reconnector(policy, {
            reconnect,
            connect: (credentials) => this.#connect(credentials),
            fail: (error) => this.#fail(error),
            now,
            progress: () => {
              const s = this.#engine.stats();
              return s.messagesIn + s.acksIn;
            },
            signal: this.#lifetime.signal,
            logger: options.logger,
          });
    this.#timer = new DeadlineTimer(now, () => this.#afterEngine(() => this.#engine.onTimer()));
    this.#engine = createClientEngine({
      ...engineLimits(options),
      now,
      sendFrame: (frame) => {
        this.#transport?.send(frame);
      },
      onOutput: (bytes) => this.#deliver(this.#stdoutFeed, bytes),
      onStderr: (bytes) => this.#deliver(this.#stderrFeed, bytes),
      onStart: (info) => this.#onStart(info),
      onWritable: () => this.#completeWrite(),
      // Emitted on a later turn: a flag in the same socket read as the session's first output would
      // otherwise fire before the caller of connectDataChannel() could listen for it.
      onFlag: (flag) => setImmediate(() => this.emit('flag', flag)),
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
      reconnects: this.#reconnector?.reconnects ?? 0,
    };
  }

  /** @internal Connects and waits for the session to start. */
  async start(credentials: StreamCredentials): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      this.#startWaiter = { resolve, reject };
    });
    // A failed connection rejects `start()` itself; `started` must not also surface as unhandled.
    started.catch(() => undefined);
    const signal = this.#options.signal;
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.#fail(new SsmChannelError('ABORTED', 'the data channel was aborted', { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#removeAbortListener = () => signal.removeEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
    }
    if (this.#failure !== undefined) throw this.#failure;
    await this.#connect(credentials);
    await started;
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#inEngine > 0) {
      // Written from inside an output callback: let the engine finish the frame it is handling first.
      process.nextTick(() => this._write(chunk, encoding, callback));
      return;
    }
    if (this.#engineClose?.reason === 'channel_closed') {
      // The remote side is gone (`channel_closed`): there is nobody to type to any more.
      callback();
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
    if (this.#engineClose?.reason === 'channel_closed') {
      callback();
      return;
    }
    this.#finalCallback = callback;
    this.#checkFlushed();
  }

  override _read(): void {
    this.#stdoutFeed.pull();
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of Readable.read
  override read(size?: number): any {
    const chunk: unknown = super.read(size);
    this.#stdoutFeed.drained();
    return chunk;
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
    const info = this.#closeInfo(failure);
    this.#engine.close();
    // After a `channel_closed` the close info was settled already; resolving again changes nothing.
    void this.#shutdown().then(() => this.#resolveClosed(info));
    this.#settleCallbacks(failure ?? new SsmChannelError('CHANNEL_CLOSED', 'the data channel is closed'));
    // After channel_closed, stderr was ended with push(null) and may still hold unread bytes: it holds no
    // handle, so it is left to drain on its own pace instead of being destroyed with them.
    if (!this.stderr.destroyed && this.#engineClose?.reason !== 'channel_closed') this.stderr.destroy();
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

  /**
   * Frees the socket, the timer, the abort listener and any reconnection in progress; resolves once the
   * socket is closed (bounded by the transport's close timeout).
   */
  #shutdown(): Promise<void> {
    this.#timer.clear();
    // Close the socket before aborting the lifetime signal, so the transport reports no abort of its own.
    const transport = this.#transport;
    this.#transport = undefined;
    const closing = transport?.close() ?? Promise.resolve();
    this.#lifetime.abort();
    this.#removeAbortListener?.();
    this.#removeAbortListener = undefined;
    return closing;
  }

  #settleCallbacks(error: SsmChannelError | undefined): void {
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
      onFrame: (frame) => this.#afterEngine(() => this.#engine.receive(frame)),
      onClose: (error) => this.#onTransportLost(transport, error),
      signal: this.#lifetime.signal,
      ...transportSettings(o),
    });
    if (this.destroyed) {
      void transport.close();
      throw new SsmChannelError('CHANNEL_CLOSED', 'the data channel was closed while connecting');
    }
    this.#transport = transport;
    this.#reconnector?.connected();
    if (this.#socketPaused) transport.pauseReading();
    o.logger?.debug?.('data channel connected', { reconnects: this.#reconnector?.reconnects ?? 0 });
    this.#afterEngine(() => this.#engine.transportUp());
  }

  #onTransportLost(lost: Transport, error: SsmChannelError): void {
    if (this.#transport !== lost || this.destroyed) return;
    this.#transport = undefined;
    this.#afterEngine(() => this.#engine.transportDown());
    const reconnector = this.#reconnector;
    if (reconnector === undefined || this.#startWaiter !== undefined || error.code === 'ABORTED') {
      this.#fail(error);
      return;
    }
    this.#options.logger?.info?.('data channel connection lost; reconnecting', { code: error.code });
    void reconnector.run(error);
  }

  #onStart(info: SessionStartInfo): void {
    this.session = info;
    // Resolved on a later turn: whatever else arrived in the same socket read (garbage that ends the
    // connection, say) then rejects connectDataChannel() instead of emitting 'error' on a stream the
    // caller does not hold yet. A channel_closed in that read still resolves it (see #onEngineClose).
    setImmediate(() => {
      const waiter = this.#startWaiter;
      this.#startWaiter = undefined;
      waiter?.resolve();
    });
  }

  #deliver(feed: OutputFeed, bytes: Uint8Array): void {
    try {
      // The engine hands out views of received frames; the transport never reuses those buffers.
      feed.deliver(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      // A 'data' listener threw. The bytes were delivered: let the engine acknowledge them, and surface
      // the exception as any stream listener's would be, outside the protocol.
      process.nextTick(() => {
        throw error;
      });
    }
  }

  /**
   * Stops taking output while a reader has left its budget untaken and resumes when it took it (the feeds
   * call this). Stopped, the engine takes no output (what arrives stays unacknowledged, so the agent keeps
   * it) and the socket is not read: a stalled reader costs neither memory nor CPU. No ack can be read
   * meanwhile either, so the engine also holds its give-up clock and retransmissions.
   */
  #applyBackpressure(): void {
    const full = this.#stdoutFeed.full || this.#stderrFeed.full;
    if (full === this.#socketPaused || this.destroyed) return;
    this.#socketPaused = full;
    const transport = this.#transport;
    if (full) transport?.pauseReading();
    else transport?.resumeReading();
    // Resuming delivers what the engine kept, through push(): never from inside an engine call.
    if (full || this.#inEngine === 0) this.#afterEngine(() => this.#engine.setReadPaused(full));
    else queueMicrotask(() => this.#afterEngine(() => this.#engine.setReadPaused(this.#socketPaused)));
  }

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
    if (this.session === undefined) {
      this.#startWaiter?.reject(
        new SsmChannelError('CHANNEL_CLOSED', closedBeforeStartMessage(info), { cause: info.output }),
      );
      this.#startWaiter = undefined;
    }
    if (info.reason !== 'channel_closed') return;
    // The remote side is gone: free the socket, settle `whenClosed`, end both readables, and destroy the
    // stream once its output has been read.
    const closeInfo = this.#closeInfo(undefined);
    void this.#shutdown().then(() => this.#resolveClosed(closeInfo));
    this.#stdoutFeed.end();
    this.#stderrFeed.end();
    this.#settleCallbacks(undefined);
    const finish = (): void => {
      this.destroy();
    };
    if (this.readableEnded) finish();
    else this.once('end', finish);
  }
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

/**
 * The `DataChannel` Duplex: the client engine wired to the `ws` transport, one timer and Node streams.
 * Nothing here parses bytes: the engine decides, this file moves bytes and events between the layers.
 *
 * How it runs, in three rules:
 * 1. Every call into the engine goes through `#run()`. The engine's callbacks only record (output into the
 *    feeds, the end into `#engineEnd`); `#sync()` then acts on the engine's state, in one place: it hands
 *    output to the readers that want it and releases it in the engine, lets the socket be read only while
 *    the engine is `receiving`, re-arms the timer, completes waiting writes, and ends the channel. No user
 *    code (a `'data'` listener, a write callback) ever runs inside an engine call, and `#sync()` never
 *    nests: a call made while it runs (a listener that writes) asks it to go round once more.
 * 2. One deferral primitive, `setImmediate`, for the two things that must wait until the rest of the
 *    current socket read has been handled: the start of the session (so that a failure in that read rejects
 *    `connectDataChannel()` instead of erroring a stream the caller does not hold yet) and `flag` events (so
 *    that the caller can listen for one that came with the first output).
 * 3. One ended state, `#closeInfo`, set once by `#finish()` whatever ends the channel.
 */
import { Duplex, type Readable } from 'node:stream';
import type { ChannelStats, CloseInfo, StreamCredentials, TerminalSize } from '../channel-types.js';
import { peerText, SsmChannelError } from '../errors.js';
import { type ClientEngine, createClientEngine } from '../protocol/client-engine.js';
import type { EngineCloseInfo, SessionStartInfo } from '../protocol/client-options.js';
import { openTransport, type Transport } from '../transport/ws-transport.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { ResolvedChannelOptions } from './options.js';
import { OUTPUT_HIGH_WATER_MARK, OutputFeed, OutputReadable } from './output-feed.js';
import { Reconnector } from './reconnector.js';

/** What the session start told us, kept for the caller. */
export type SessionInfo = SessionStartInfo;

/**
 * A live SSM data channel as a Node `Duplex` of raw bytes: what you write becomes `input_stream_data`
 * (keystrokes), what you read is the agent's output stream, in order, each byte once.
 *
 * - Backpressure, both ways: a write completes only when the unacknowledged window has room. Output waits
 *   for its reader (the stream itself or `stderr`); once readers leave `limits.outputBufferBytes` unread, the
 *   channel stops reading the socket, and the agent's output waits in TCP buffers, unacknowledged. When the
 *   socket's send queue is full (a slow uplink: every output message costs an ack), the channel stops
 *   reading too, until the queue drains.
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

  readonly #options: ResolvedChannelOptions;
  readonly #engine: ClientEngine;
  readonly #timer: DeadlineTimer;
  readonly #lifetime = new AbortController();
  readonly #reconnector: Reconnector | undefined;
  readonly #stdout: OutputFeed;
  readonly #stderr: OutputFeed;
  #transport: Transport | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  /** Settles the promise of `start()`: with an error before the session started, without once it did. */
  #settleStart: ((error?: SsmChannelError) => void) | undefined;
  readonly #started: Promise<void>;
  /** How the engine ended, recorded by its callbacks for `#sync()` to act on. */
  #engineEnd: CloseInfo | undefined;
  /** The one ended state: how the channel ended. */
  #closeInfo: CloseInfo | undefined;
  #writeCallback: ((error?: Error | null) => void) | undefined;
  #finalCallback: ((error?: Error | null) => void) | undefined;
  #syncing = false;
  #syncAgain = false;
  #removeAbortListener: (() => void) | undefined;

  /** @internal Use {@link connectDataChannel}. */
  constructor(options: ResolvedChannelOptions) {
    super({ allowHalfOpen: true, decodeStrings: true, readableHighWaterMark: OUTPUT_HIGH_WATER_MARK });
    this.#options = options;
    this.whenClosed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#started = new Promise((resolve, reject) => {
      this.#settleStart = (error) => {
        this.#settleStart = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    // A failed connection rejects `start()` itself; `#started` must not also surface as unhandled.
    this.#started.catch(() => undefined);
    this.#stdout = new OutputFeed(this);
    const stderr = new OutputReadable(() => {
      this.#stderr.want();
      this.#sync();
    });
    this.stderr = stderr;
    this.#stderr = new OutputFeed(stderr);
    const now = (): number => performance.now();
    this.#timer = new DeadlineTimer(now, () => this.#run(() => this.#engine.onTimer()));
    this.#engine = createClientEngine({
      ...options.engine,
      now,
      sendFrame: (frame) => this.#transport?.send(frame),
      onOutput: (bytes) => this.#stdout.add(bytes),
      onStderr: (bytes) => this.#stderr.add(bytes),
      onStart: (info) => {
        this.session = info;
        setImmediate(() => this.#settleStart?.());
      },
      onFlag: (flag) => {
        setImmediate(() => {
          if (!this.destroyed) this.emit('flag', flag);
        });
      },
      onClose: (info) => {
        this.#engineEnd ??= closeInfoOf(info);
      },
      onError: (error) => {
        this.#engineEnd ??= { reason: 'error', error };
      },
    });
    const { reconnect, logger } = options;
    this.#reconnector =
      reconnect === undefined
        ? undefined
        : new Reconnector(reconnect, {
            connect: (credentials) => this.#connect(credentials),
            fail: (error) => this.#fail(error),
            now,
            progress: () => {
              const s = this.#engine.stats();
              return s.messagesIn + s.acksIn;
            },
            signal: this.#lifetime.signal,
            logger,
          });
  }

  /**
   * Sets the terminal size; sent when it differs from the last size sent.
   * @throws {SsmChannelError} `INVALID_ARGUMENT` unless both are integers in 1..65535.
   */
  resize(cols: number, rows: number): void {
    this.#run(() => this.#engine.resize(cols, rows));
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
    const signal = this.#options.signal;
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.#fail(new SsmChannelError('ABORTED', 'the data channel was aborted', { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#removeAbortListener = () => signal.removeEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
    }
    if (this.#closeInfo === undefined) await this.#connect(credentials);
    await this.#started;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#closeInfo?.reason === 'channel_closed') {
      // The remote side is gone (`channel_closed`): there is nobody to type to any more.
      callback();
      return;
    }
    let hasRoom: boolean;
    try {
      hasRoom = this.#run(() => this.#engine.write(chunk));
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (hasRoom) callback();
    else this.#writeCallback = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#closeInfo?.reason === 'channel_closed') {
      callback();
      return;
    }
    this.#finalCallback = callback;
    this.#sync();
  }

  override _read(): void {
    this.#stdout.want();
    this.#sync();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#finish(error === null ? { reason: 'local' } : failureInfo(toChannelError(error)));
    callback(error);
  }

  /** Runs an engine call, then acts on what it changed. */
  #run<T>(call: () => T): T {
    try {
      return call();
    } finally {
      this.#sync();
    }
  }

  /** Acts on the engine's state (rule 1 at the top of this file); never nests. */
  #sync(): void {
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    try {
      do {
        this.#syncAgain = false;
        this.#syncOnce();
      } while (this.#syncAgain);
    } finally {
      this.#syncing = false;
    }
  }

  #syncOnce(): void {
    if (this.#engineEnd !== undefined) this.#finish(this.#engineEnd);
    if (this.#closeInfo !== undefined) return;
    const engine = this.#engine;
    const taken = this.#stdout.flush() + this.#stderr.flush();
    if (taken > 0) {
      // Releasing output may let the engine deliver what it kept: go round again.
      engine.consumed(taken);
      this.#syncAgain = true;
    }
    this.#transport?.setReading(engine.receiving);
    this.#timer.set(engine.nextDeadline());
    const write = this.#writeCallback;
    if (write !== undefined && engine.writable) {
      this.#writeCallback = undefined;
      write();
    }
    const final = this.#finalCallback;
    if (final !== undefined) {
      const s = engine.stats();
      if (s.unackedMessages === 0 && s.pendingInputBytes === 0) {
        this.#finalCallback = undefined;
        final();
      }
    }
  }

  /** Ends the channel with `error` (from outside any engine call). */
  #fail(error: SsmChannelError): void {
    this.#finish(failureInfo(error));
  }

  /**
   * Ends the channel, once, whatever ended it: frees the socket, the timer and the listeners, settles
   * `start()`, the waiting callbacks and `whenClosed`, and ends the readables (`channel_closed`) or the
   * stream (an error: `start()` rejects with it while pending, else the stream is destroyed with it).
   */
  #finish(info: CloseInfo): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = info;
    this.#options.logger?.debug?.('data channel closed', { reason: info.reason });
    this.#engine.close();
    void this.#shutdown().then(() => this.#resolveClosed(info));
    const error = info.error;
    const settleStart = this.#settleStart;
    // A start still pending fails with the error (even if the session had started in the same socket read),
    // or with CHANNEL_CLOSED when the session ended before it started; a started one resolves as planned.
    const startFails = settleStart !== undefined && (error !== undefined || this.session === undefined);
    if (startFails) {
      settleStart(
        error ??
          new SsmChannelError('CHANNEL_CLOSED', closedBeforeStartMessage(info), {
            cause: info.output,
          }),
      );
    }
    const write = this.#writeCallback;
    const final = this.#finalCallback;
    this.#writeCallback = undefined;
    this.#finalCallback = undefined;
    if (info.reason === 'channel_closed') {
      // The remote side is gone: what was written has nowhere to go; hand over all output, then the end.
      write?.();
      final?.();
      this.#stdout.end();
      this.#stderr.end();
      if (this.readableEnded) this.destroy();
      else this.once('end', () => this.destroy());
      return;
    }
    const closed = error ?? new SsmChannelError('CHANNEL_CLOSED', 'the data channel is closed');
    write?.(closed);
    final?.(closed);
    this.stderr.destroy();
    // Nobody holds the stream yet when `start()` fails: the rejection reports the error, not an 'error' event.
    if (!this.destroyed) this.destroy(startFails ? undefined : error);
  }

  /**
   * Frees the socket, the timer, the abort listener and any reconnection in progress; resolves once the
   * socket is closed (within the transport's close timeout).
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

  async #connect(credentials: StreamCredentials): Promise<void> {
    const o = this.#options;
    const transport = await openTransport(
      {
        streamUrl: credentials.streamUrl,
        openFrame: this.#engine.openFrame(credentials.tokenValue),
        onFrame: (frame) => this.#run(() => this.#engine.receive(frame)),
        onDrain: () => this.#run(() => this.#engine.drained()),
        onClose: (error) => this.#onTransportLost(transport, error),
        signal: this.#lifetime.signal,
        logger: o.logger,
      },
      o.transport,
    );
    if (this.#closeInfo !== undefined) {
      void transport.close();
      throw new SsmChannelError('CHANNEL_CLOSED', 'the data channel was closed while connecting');
    }
    this.#transport = transport;
    this.#reconnector?.connected();
    o.logger?.debug?.('data channel connected', { reconnects: this.#reconnector?.reconnects ?? 0 });
    this.#run(() => this.#engine.transportUp());
  }

  #onTransportLost(lost: Transport, error: SsmChannelError): void {
    if (this.#transport !== lost || this.#closeInfo !== undefined) return;
    this.#transport = undefined;
    this.#run(() => this.#engine.transportDown());
    const reconnector = this.#reconnector;
    if (reconnector === undefined || this.#settleStart !== undefined || error.code === 'ABORTED') {
      this.#fail(error);
      return;
    }
    this.#options.logger?.info?.('data channel connection lost; reconnecting', { code: error.code });
    void reconnector.run(error);
  }
}

function closeInfoOf(ended: EngineCloseInfo): CloseInfo {
  const info: CloseInfo = { reason: ended.reason };
  if (ended.output !== undefined) info.output = ended.output;
  if (ended.exitCode !== undefined) info.exitCode = ended.exitCode;
  return info;
}

function failureInfo(error: SsmChannelError): CloseInfo {
  return { reason: error.code === 'ABORTED' ? 'aborted' : 'error', error };
}

function closedBeforeStartMessage(info: CloseInfo): string {
  return info.output === undefined || info.output === ''
    ? 'the service closed the data channel before the session started'
    : `the service closed the data channel before the session started: ${peerText(info.output)}`;
}

function toChannelError(error: Error): SsmChannelError {
  if (error instanceof SsmChannelError) return error;
  return new SsmChannelError('CHANNEL_CLOSED', error.message, { cause: error });
}

/** Terminal size as the channel takes it. */
export type { TerminalSize };

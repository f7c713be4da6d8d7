/**
 * What runs a data channel whatever its face (the Node `Duplex` of `data-channel.ts`, the web streams of
 * `web-data-channel.ts`): the client engine wired to one transport at a time, one timer and the
 * reconnection loop. Nothing here parses bytes: the engine decides, this moves bytes and events between the
 * layers, and the face turns them into streams.
 *
 * How it runs, in three rules:
 * 1. Every call into the engine goes through `#run()`. The engine's callbacks only record (output into the
 *    face's sinks, the end into `#engineEnd`); `#sync()` then acts on the engine's state, in one place: it
 *    hands output to the readers that want it and releases it in the engine, lets the socket be read only
 *    while the engine is `receiving`, re-arms the timer, completes waiting writes, and ends the channel. No
 *    user code (a `'data'` listener, a write callback) ever runs inside an engine call, and `sync()` never
 *    nests: a call made while it runs (a listener that writes), or while an engine call runs (a stream that
 *    pulls as output is enqueued), asks it to go round once more.
 * 2. Deferral, at two points the face defines: after the socket read at hand (`defer`) for the start of the
 *    session (so that a failure in that read rejects the connect call instead of erroring a stream the
 *    caller does not hold yet) and flag events (so that the caller can listen for one that came with the
 *    first output); after every read already waiting (`afterQueuedReads`) for the timer (so that acks that
 *    arrived while the process was busy count before anything is resent). The Node face uses one
 *    `setImmediate` for both; the web face (in any runtime) a microtask and a `MessageChannel` task, since
 *    a browser delivers each WebSocket message as a task of its own.
 * 3. One ended state, `#closeInfo`, set once by `finish()` whatever ends the channel.
 */

import type { ChannelStats, CloseInfo, StreamCredentials } from '../channel-types.js';
import { peerText, SsmChannelError } from '../errors.js';
import { type ClientEngine, createClientEngine } from '../protocol/client-engine.js';
import type { EngineCloseInfo, SessionStartInfo } from '../protocol/client-options.js';
import type { OpenTransport, Transport } from '../transport/transport.js';
import { listenForAbort } from './abort-listener.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { ResolvedChannelOptions } from './options.js';
import { Reconnector } from './reconnector.js';

/** Where the engine's output goes until the face's reader takes it. */
export interface OutputSink {
  /** Takes one payload during an engine call (a view of a received frame that the transport never reuses). */
  add(bytes: Uint8Array): void;
  /** Hands what waits to the reader as far as it wants it; returns the bytes that left the sink since the last call. */
  flush(): number;
}

/** What a face gives the driver. */
export interface ChannelFace {
  /** Output (PayloadType 1), and stderr when `stderr` is absent. */
  readonly stdout: OutputSink;
  /** StdErr (PayloadType 11), when the face keeps it apart. */
  readonly stderr?: OutputSink;
  /**
   * Runs `task` once the socket read at hand has been handled (rule 2): `setImmediate` in the Node face
   * (after the loop's poll phase); a microtask in the web face (each WebSocket message is a task of its own).
   */
  defer(task: () => void): void;
  /**
   * Runs `task` once every socket read already waiting has been handled (rule 2): `setImmediate` in the
   * Node face; in the web face, a task queued behind the WebSocket messages already queued
   * (`after-queued-tasks.ts`).
   */
  afterQueuedReads(task: () => void): void;
  /** A Flag payload arrived (called deferred). */
  onFlag?(flag: number): void;
  /**
   * The channel ended (rule 3): end the readable side after its output (`channel_closed`), or error it.
   * `startFailed`: the connect call rejects with the error, so the face must not report it again.
   */
  ended(info: CloseInfo, startFailed: boolean): void;
}

/** Runs one data channel for a face. */
export class ChannelDriver {
  /** Resolves once the channel has ended and released its socket (closed) and timers. */
  readonly whenClosed: Promise<CloseInfo>;
  /** What the agent said when the session started. */
  session: SessionStartInfo | undefined;

  readonly #options: ResolvedChannelOptions;
  readonly #openTransport: OpenTransport;
  readonly #face: ChannelFace;
  readonly #engine: ClientEngine;
  readonly #timer: DeadlineTimer;
  readonly #lifetime = new AbortController();
  readonly #reconnector: Reconnector | undefined;
  #transport: Transport | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  /** Settles the promise of `start()`: with an error before the session started, without once it did. */
  #settleStart: ((error?: SsmChannelError) => void) | undefined;
  readonly #started: Promise<void>;
  /** How the engine ended, recorded by its callbacks for `#sync()` to act on. */
  #engineEnd: CloseInfo | undefined;
  /** The one ended state: how the channel ended. */
  #closeInfo: CloseInfo | undefined;
  #writeCallback: ((error?: Error) => void) | undefined;
  #finalCallback: ((error?: Error) => void) | undefined;
  #syncing = false;
  #syncAgain = false;
  /** Engine calls in progress (`#run`). */
  #calls = 0;
  #removeAbortListener: (() => void) | undefined;

  constructor(options: ResolvedChannelOptions, openTransport: OpenTransport, face: ChannelFace) {
    this.#options = options;
    this.#openTransport = openTransport;
    this.#face = face;
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
    const now = (): number => performance.now();
    // Rule 2: a timer that fires waits for the socket reads already waiting. Node runs expired timers before
    // it reads sockets (and a browser may run a timer task before queued messages), so after a busy spell
    // the acks that came meanwhile are read first, not resent for.
    const onTimer = (): void => {
      if (this.#closeInfo === undefined) this.#run(() => this.#engine.onTimer());
    };
    this.#timer = new DeadlineTimer(now, () => face.afterQueuedReads(onTimer));
    const { stdout, stderr } = face;
    this.#engine = createClientEngine({
      ...options.engine,
      now,
      sendFrame: (frame) => this.#transport?.send(frame),
      onOutput: (bytes) => stdout.add(bytes),
      ...(stderr === undefined ? {} : { onStderr: (bytes: Uint8Array) => stderr.add(bytes) }),
      onStart: (info) => {
        this.session = info;
        face.defer(() => this.#settleStart?.());
      },
      onFlag: (flag) => {
        if (face.onFlag !== undefined) face.defer(() => face.onFlag?.(flag));
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

  /** How the channel ended, once it has. */
  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
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

  /** Connects and waits for the session to start. */
  async start(credentials: StreamCredentials): Promise<void> {
    const signal = this.#options.signal;
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.#fail(new SsmChannelError('ABORTED', 'the data channel was aborted', { cause: signal.reason }));
      };
      this.#removeAbortListener = listenForAbort(signal, onAbort);
      if (signal.aborted) onAbort();
    }
    if (this.#closeInfo === undefined) await this.#connect(credentials);
    await this.#started;
  }

  /**
   * Queues input; `done` runs once the unacknowledged window has room for more (at once when it has), or
   * with the error that refused the bytes. After `channel_closed` the bytes have nowhere to go: dropped.
   */
  write(bytes: Uint8Array, done: (error?: Error) => void): void {
    if (this.#closeInfo?.reason === 'channel_closed') {
      // The remote side is gone (`channel_closed`): there is nobody to type to any more.
      done();
      return;
    }
    let hasRoom: boolean;
    try {
      hasRoom = this.#run(() => this.#engine.write(bytes));
    } catch (error) {
      done(error as Error);
      return;
    }
    if (hasRoom) done();
    else this.#writeCallback = done;
  }

  /** `done` runs once every written byte has been acknowledged (or the channel ended). */
  final(done: (error?: Error) => void): void {
    if (this.#closeInfo?.reason === 'channel_closed') {
      done();
      return;
    }
    this.#finalCallback = done;
    this.sync();
  }

  /** Acts on the engine's state (rule 1); the face calls it when its reader wants more. Never nests. */
  sync(): void {
    if (this.#syncing || this.#calls > 0) {
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

  /**
   * Ends the channel, once, whatever ended it: frees the socket, the timer and the listeners, settles
   * `start()`, the waiting callbacks and `whenClosed`, and tells the face (rule 3).
   */
  finish(info: CloseInfo): void {
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
      // The remote side is gone: what was written has nowhere to go.
      write?.();
      final?.();
    } else {
      const closed = error ?? new SsmChannelError('CHANNEL_CLOSED', 'the data channel is closed');
      write?.(closed);
      final?.(closed);
    }
    this.#face.ended(info, startFails);
  }

  /** Runs an engine call, then acts on what it changed. */
  #run<T>(call: () => T): T {
    this.#calls += 1;
    try {
      return call();
    } finally {
      this.#calls -= 1;
      this.sync();
    }
  }

  #syncOnce(): void {
    if (this.#engineEnd !== undefined) this.finish(this.#engineEnd);
    if (this.#closeInfo !== undefined) return;
    const engine = this.#engine;
    const face = this.#face;
    const taken = face.stdout.flush() + (face.stderr === undefined ? 0 : face.stderr.flush());
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
    this.finish(failureInfo(error));
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
    const transport = await this.#openTransport(
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

/** How a channel ended by `error` is reported: `aborted` for `ABORTED`, else `error`. */
export function failureInfo(error: SsmChannelError): CloseInfo {
  return { reason: error.code === 'ABORTED' ? 'aborted' : 'error', error };
}

function closedBeforeStartMessage(info: CloseInfo): string {
  return info.output === undefined || info.output === ''
    ? 'the service closed the data channel before the session started'
    : `the service closed the data channel before the session started: ${peerText(info.output)}`;
}

/** An error of the caller's as the channel reports it: coded, with the original as its cause. */
export function toChannelError(error: unknown): SsmChannelError {
  if (error instanceof SsmChannelError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SsmChannelError('CHANNEL_CLOSED', message, { cause: error });
}

/**
 * The `DataChannel` Duplex: the face of a {@link ChannelDriver} as Node streams. The driver runs the engine,
 * the transport (`ws`), the timer and reconnection; this file turns its output into two `Readable`s and
 * Duplex writes into engine input, deferring with `setImmediate` (the rest of a socket read is handled by
 * then).
 */
import { Duplex, type Readable } from 'node:stream';
import type { ChannelStats, CloseInfo, StreamCredentials, TerminalSize } from '../channel-types.js';
import type { SessionStartInfo } from '../protocol/client-options.js';
import { openTransport } from '../transport/ws-transport.js';
import { ChannelDriver, failureInfo, toChannelError } from './channel-driver.js';
import type { ResolvedChannelOptions } from './options.js';
import { OUTPUT_HIGH_WATER_MARK, OutputFeed, OutputReadable } from './output-feed.js';

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

  readonly #driver: ChannelDriver;
  readonly #stdout: OutputFeed;
  readonly #stderr: OutputFeed;

  /** @internal Use {@link connectDataChannel}. */
  constructor(options: ResolvedChannelOptions) {
    super({ allowHalfOpen: true, decodeStrings: true, readableHighWaterMark: OUTPUT_HIGH_WATER_MARK });
    this.#stdout = new OutputFeed(this);
    const stderr = new OutputReadable(() => {
      this.#stderr.want();
      this.#driver.sync();
    });
    this.stderr = stderr;
    this.#stderr = new OutputFeed(stderr);
    this.#driver = new ChannelDriver(options, openTransport, {
      stdout: this.#stdout,
      stderr: this.#stderr,
      defer: setImmediate,
      afterQueuedReads: setImmediate,
      onFlag: (flag) => {
        if (!this.destroyed) this.emit('flag', flag);
      },
      ended: (info, startFailed) => this.#ended(info, startFailed),
    });
    this.whenClosed = this.#driver.whenClosed;
  }

  /** What the agent said when the session started (handshake details, or none for a plain shell). */
  get session(): SessionInfo | undefined {
    return this.#driver.session;
  }

  /**
   * Sets the terminal size; sent when it differs from the last size sent.
   * @throws {SsmChannelError} `INVALID_ARGUMENT` unless both are integers in 1..65535.
   */
  resize(cols: number, rows: number): void {
    this.#driver.resize(cols, rows);
  }

  /** Round-trip estimates and counters. */
  stats(): ChannelStats {
    return this.#driver.stats();
  }

  /** @internal Connects and waits for the session to start. */
  start(credentials: StreamCredentials): Promise<void> {
    return this.#driver.start(credentials);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#driver.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#driver.final(callback);
  }

  override _read(): void {
    this.#stdout.want();
    this.#driver.sync();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#driver.finish(error === null ? { reason: 'local' } : failureInfo(toChannelError(error)));
    callback(error);
  }

  /**
   * The channel ended: after `channel_closed` the readables get every byte, then their end, and the stream
   * is destroyed once read to its end; after an error it is destroyed with it (without, while `start()` is
   * pending: nobody holds the stream yet, the rejection reports the error).
   */
  #ended(info: CloseInfo, startFailed: boolean): void {
    if (info.reason === 'channel_closed') {
      this.#stdout.end();
      this.#stderr.end();
      if (this.readableEnded) this.destroy();
      else this.once('end', () => this.destroy());
      return;
    }
    this.stderr.destroy();
    if (!this.destroyed) this.destroy(startFailed ? undefined : info.error);
  }
}

/** Terminal size as the channel takes it. */
export type { TerminalSize };

/**
 * `WebDataChannel`: the face of a {@link ChannelDriver} as WHATWG streams, for browsers and any runtime with
 * web streams (Node too). The driver runs the engine, the transport (a WHATWG `WebSocket`), the timer and
 * reconnection; this file turns its output into a `ReadableStream` and stream writes into engine input.
 */

import type { ChannelStats, CloseInfo, StreamCredentials } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import type { SessionStartInfo } from '../protocol/client-options.js';
import type { OpenTransport } from '../transport/transport.js';
import { afterQueuedTasks } from './after-queued-tasks.js';
import { ChannelDriver, failureInfo, type OutputSink, toChannelError } from './channel-driver.js';
import type { ResolvedChannelOptions } from './options.js';

/** Bytes the readable side queues ahead of its reader before it stops asking for more. */
export const WEB_OUTPUT_HIGH_WATER_MARK = 64 * 1024;

/**
 * Output on its way to the `ReadableStream`: every payload is enqueued as it comes (a view of the frame it
 * arrived in; the transport never reuses one), and what the reader has taken is counted from the stream's
 * `desiredSize`, so the engine's receive budget bounds what waits in the stream's queue.
 */
class ReadableSink implements OutputSink {
  readonly #controller: ReadableStreamDefaultController<Uint8Array>;
  #enqueued = 0;
  #released = 0;
  #open = true;

  constructor(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
  }

  add(bytes: Uint8Array): void {
    if (!this.#open || bytes.length === 0) return;
    // Counted first: `enqueue` may call the stream's `pull` at once.
    this.#enqueued += bytes.length;
    this.#controller.enqueue(bytes);
  }

  flush(): number {
    // Once the stream is closed or cancelled everything counts as taken.
    const queued = this.#open ? WEB_OUTPUT_HIGH_WATER_MARK - (this.#controller.desiredSize ?? 0) : 0;
    const released = this.#enqueued - Math.max(0, queued);
    const taken = released - this.#released;
    this.#released = released;
    return taken;
  }

  /** Ends the stream after what it holds (`channel_closed`, or a local end). */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#controller.close();
    } catch {
      // Cancelled by its reader meanwhile.
    }
  }

  /** Errors the stream: what it holds is discarded. */
  error(error: Error): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller.error(error);
  }

  /** The reader cancelled the stream. */
  cancelled(): void {
    this.#open = false;
  }
}

/**
 * A live SSM data channel as web streams of raw bytes: what you write to `writable` becomes
 * `input_stream_data` (keystrokes), what you read from `readable` is the agent's output, stdout and stderr
 * together, in order, each byte once. Obtain one with {@link connectWebDataChannel}.
 *
 * - Backpressure, both ways: a write resolves only when the unacknowledged window has room; output waits for
 *   its reader up to `limits.outputBufferBytes`. A WHATWG `WebSocket` cannot stop reading, so what arrives
 *   past that waits in the reorder buffer (acknowledged) up to `limits.reorderBufferBytes`, and past both it
 *   is left unacknowledged for the agent to send again: memory stays bounded, and a reader that stalls for
 *   long costs retransmissions.
 * - `writable.close()` resolves once every written byte was acknowledged by the agent. `readable` ends
 *   (`done`) when the service closes the channel (`channel_closed`), after every byte received before it,
 *   or after {@link WebDataChannel.close}; `writable` then refuses writes with `CHANNEL_CLOSED`.
 * - An error during the session errors both streams with an {@link SsmChannelError}; `closed` always
 *   resolves, never rejects. Cancelling `readable` or aborting `writable` closes the channel.
 */
export class WebDataChannel {
  /** The agent's output (stdout and stderr together), in order. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Input for the remote side: `Uint8Array` chunks. */
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once the channel has ended and released its socket and timers: how it ended. */
  readonly closed: Promise<CloseInfo>;

  readonly #driver: ChannelDriver;
  readonly #output: ReadableSink;
  #writableController: WritableStreamDefaultController | undefined;

  /** @internal Use {@link connectWebDataChannel}. */
  constructor(options: ResolvedChannelOptions, openTransport: OpenTransport) {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        pull: () => this.#driver.sync(),
        cancel: () => {
          this.#output.cancelled();
          this.close();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: WEB_OUTPUT_HIGH_WATER_MARK }),
    );
    this.#output = new ReadableSink(controller);
    this.writable = new WritableStream<Uint8Array>({
      start: (c) => {
        this.#writableController = c;
      },
      write: (chunk) => this.#write(chunk),
      close: () =>
        new Promise<void>((resolve, reject) => {
          this.#driver.final((error) => (error === undefined ? resolve() : reject(error)));
        }),
      abort: () => this.close(),
    });
    this.#driver = new ChannelDriver(options, openTransport, {
      stdout: this.#output,
      // Called as a plain function: browsers refuse `queueMicrotask` called as a method of another object.
      defer: (task) => queueMicrotask(task),
      afterQueuedReads: afterQueuedTasks,
      ended: (info) => this.#ended(info),
    });
    this.closed = this.#driver.whenClosed;
  }

  /** What the agent said when the session started (handshake details, or none for a plain shell). */
  get session(): SessionStartInfo | undefined {
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

  /** Ends the channel from this side (reason `local`): `readable` ends after what it holds. */
  close(): void {
    this.#driver.finish({ reason: 'local' });
  }

  /** @internal Connects and waits for the session to start. */
  start(credentials: StreamCredentials): Promise<void> {
    return this.#driver.start(credentials);
  }

  #write(chunk: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#driver.write(chunk, (error) => {
        if (error === undefined) {
          resolve();
          return;
        }
        // A chunk the engine refuses (not a Uint8Array) ends the channel, as a failed Duplex write does.
        this.#driver.finish(failureInfo(toChannelError(error)));
        reject(error);
      });
    });
  }

  /** The channel ended: `readable` ends after its output or errors, `writable` refuses further writes. */
  #ended(info: CloseInfo): void {
    const error = info.error;
    if (error === undefined) this.#output.close();
    else this.#output.error(error);
    const refusal =
      error ??
      new SsmChannelError(
        'CHANNEL_CLOSED',
        info.reason === 'channel_closed' ? 'the session has ended' : 'the data channel is closed',
      );
    this.#writableController?.error(refusal);
  }
}

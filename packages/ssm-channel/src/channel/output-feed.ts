/**
 * Output on its way from the engine to a `Readable`: handed over when the reader wants it, kept (as a
 * compact copy) when it does not.
 */
import { Readable } from 'node:stream';

/** Highest `readableHighWaterMark` of the output streams: the most Node buffers ahead of a reader. */
export const OUTPUT_HIGH_WATER_MARK = 64 * 1024;

/** Size of the buffers that collect kept output; larger payloads are kept as they come. */
const KEEP_CHUNK = 16 * 1024;

/**
 * Output for one `Readable`. The engine's payloads arrive with {@link OutputFeed.add} during an engine call
 * (views of received frames); {@link OutputFeed.flush}, run by the channel right after that call, pushes them
 * to the stream while its reader wants more (a `'data'` listener always does: no copy is made), and copies
 * the rest into a few compact buffers, so that memory is what is kept, whatever the size of the messages.
 * The channel releases in the engine what each flush handed over: the engine's receive budget bounds what
 * is kept here.
 */
export class OutputFeed {
  readonly #stream: Readable;
  /** Payloads of the current engine call; views that must not outlive it. */
  #arrived: Buffer[] = [];
  /** Copies kept for the reader: full {@link KEEP_CHUNK} buffers (or larger payloads), then the tail. */
  #kept: Buffer[] = [];
  #tail: Buffer | undefined;
  #tailLength = 0;
  #keptBytes = 0;
  /** The reader asked for data (`_read`) and no push has been refused since. */
  #wanted = false;

  constructor(stream: Readable) {
    this.#stream = stream;
  }

  /** Output bytes kept for the reader. */
  get keptBytes(): number {
    return this.#keptBytes;
  }

  /** Takes one payload of the engine (a view the transport never reuses). */
  add(bytes: Uint8Array): void {
    if (bytes.length > 0) this.#arrived.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The stream's `_read`: its reader wants data; the next flush hands it over. */
  want(): void {
    this.#wanted = true;
  }

  /**
   * Pushes what waits while the reader wants it and keeps a copy of the rest. Returns the bytes that left
   * the feed (handed over, or dropped because the stream was destroyed).
   */
  flush(): number {
    let taken = 0;
    if (this.#stream.destroyed) {
      taken = this.#keptBytes;
      this.#clearKept();
      for (const piece of this.#arrived) taken += piece.length;
      this.#arrived = [];
      return taken;
    }
    if (this.#wanted && this.#keptBytes > 0) {
      const chunk = this.#takeKept();
      taken += chunk.length;
      this.#push(chunk);
    }
    const arrived = this.#arrived;
    this.#arrived = [];
    for (const piece of arrived) {
      if (this.#wanted && this.#keptBytes === 0) {
        taken += piece.length;
        this.#push(piece);
      } else {
        this.#keep(piece);
      }
    }
    return taken;
  }

  /** Hands over everything, then the end of the stream (the session is over). */
  end(): void {
    const stream = this.#stream;
    if (!stream.destroyed) {
      if (this.#keptBytes > 0) stream.push(this.#takeKept());
      for (const piece of this.#arrived) stream.push(piece);
      stream.push(null);
    }
    this.#arrived = [];
    this.#clearKept();
  }

  #push(chunk: Buffer): void {
    try {
      this.#wanted = this.#stream.push(chunk);
    } catch (error) {
      // A 'data' listener threw. The bytes were delivered; the exception surfaces as any listener's
      // would, uncaught, without breaking the channel's bookkeeping.
      setImmediate(() => {
        throw error;
      });
    }
  }

  #keep(piece: Buffer): void {
    this.#keptBytes += piece.length;
    if (piece.length >= KEEP_CHUNK) {
      this.#closeTail();
      this.#kept.push(Buffer.from(piece));
      return;
    }
    if (this.#tail === undefined || this.#tailLength + piece.length > KEEP_CHUNK) {
      this.#closeTail();
      this.#tail = Buffer.allocUnsafe(KEEP_CHUNK);
    }
    piece.copy(this.#tail, this.#tailLength);
    this.#tailLength += piece.length;
  }

  #closeTail(): void {
    if (this.#tail !== undefined && this.#tailLength > 0) {
      this.#kept.push(this.#tail.subarray(0, this.#tailLength));
    }
    this.#tail = undefined;
    this.#tailLength = 0;
  }

  #takeKept(): Buffer {
    this.#closeTail();
    const kept = this.#kept;
    const chunk = kept.length === 1 ? kept[0]! : Buffer.concat(kept, this.#keptBytes);
    this.#kept = [];
    this.#keptBytes = 0;
    return chunk;
  }

  #clearKept(): void {
    this.#kept = [];
    this.#tail = undefined;
    this.#tailLength = 0;
    this.#keptBytes = 0;
  }
}

/** A `Readable` whose `_read` tells its owner that the reader wants data (the `stderr` of a channel). */
export class OutputReadable extends Readable {
  readonly #onRead: () => void;

  constructor(onRead: () => void) {
    super({ highWaterMark: OUTPUT_HIGH_WATER_MARK });
    this.#onRead = onRead;
  }

  override _read(): void {
    this.#onRead();
  }
}

/**
 * Feeds received output into a `Readable` on demand, holding what its reader has not asked for yet within a
 * memory budget.
 */
import { Readable } from 'node:stream';

/**
 * Memory charged for each held piece of output besides its bytes: the Buffer object, the list entry and the
 * frame header a payload view keeps alive (a 1-byte output message held unread costs about 260 bytes).
 * Without it a peer sending 1-byte messages to a stalled reader would make a 1 MiB budget hold some 260 MB.
 */
export const PIECE_CHARGE_BYTES = 320;

/** Held pieces are copied into one buffer when there are this many, so their overhead stays bounded. */
const MAX_PIECES = 256;

/**
 * Output for one `Readable` (created with `highWaterMark: 0`; its `_read` calls {@link OutputFeed.pull} and
 * each `read()` {@link OutputFeed.drained}). A payload that arrives while the reader waits goes straight to
 * `push()`, without a copy. Payloads that arrive meanwhile are held (views of their frames, compacted by a
 * copy at {@link MAX_PIECES}) and handed over as one chunk when the reader asks again. So the stream's own
 * buffer holds at most about one chunk, and what is held here is counted as bytes plus
 * {@link PIECE_CHARGE_BYTES} per piece: at `budget`, `onFull(true)`; once the reader took it, `onFull(false)`.
 */
export class OutputFeed {
  readonly #stream: Readable;
  readonly #budget: number;
  readonly #onFull: (full: boolean) => void;
  #pieces: Buffer[] = [];
  #bytes = 0;
  /** The reader waits: it asked for data, or read the stream empty, and nothing readable came since. */
  #wanted = false;
  #full = false;

  constructor(stream: Readable, budget: number, onFull: (full: boolean) => void) {
    this.#stream = stream;
    this.#budget = budget;
    this.#onFull = onFull;
  }

  /** Whether what is held has reached the budget. */
  get full(): boolean {
    return this.#full;
  }

  /** Takes one payload (a view that the transport never reuses). A 'data' listener's exception propagates. */
  deliver(bytes: Buffer): void {
    // Nothing to hand over; and a stream that was destroyed has no reader to hold anything for.
    if (bytes.length === 0 || this.#stream.destroyed) return;
    if (this.#wanted && this.#pieces.length === 0) {
      this.#push(bytes);
      return;
    }
    const pieces = this.#pieces;
    pieces.push(bytes);
    this.#bytes += bytes.length;
    if (pieces.length >= MAX_PIECES) this.#pieces = [Buffer.concat(pieces, this.#bytes)];
    if (!this.#full && this.#bytes + this.#pieces.length * PIECE_CHARGE_BYTES >= this.#budget) {
      this.#full = true;
      this.#onFull(true);
    }
  }

  /** The stream's `_read`: hands over everything held as one chunk, or remembers that the reader waits. */
  pull(): void {
    if (this.#pieces.length === 0) {
      this.#wanted = true;
      return;
    }
    this.#push(this.#takeAll());
    this.#notFull();
  }

  /**
   * Called after each `read()` of the stream: once that left it empty, the reader is ready for more, even
   * one that reads once per 'readable' event (Node asks `_read` again only when a read wants more than the
   * stream holds).
   */
  drained(): void {
    if (this.#stream.readableLength === 0 && !this.#stream.destroyed) this.pull();
  }

  /** Drops what is held (the stream was destroyed: nobody will read it). */
  discard(): void {
    this.#pieces = [];
    this.#bytes = 0;
    this.#notFull();
  }

  /** Hands over what is held, then the end of the stream. */
  end(): void {
    if (this.#pieces.length > 0) this.#stream.push(this.#takeAll());
    this.#stream.push(null);
    this.#notFull();
  }

  #push(chunk: Buffer): void {
    const stream = this.#stream;
    stream.push(chunk);
    // A push can leave nothing readable (after setEncoding(), part of a multi-byte character): then the
    // reader still waits. In flowing mode the chunk went straight to 'data': the reader waits for more too.
    this.#wanted = stream.readableLength === 0;
  }

  #takeAll(): Buffer {
    const pieces = this.#pieces;
    const chunk = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, this.#bytes);
    this.#pieces = [];
    this.#bytes = 0;
    return chunk;
  }

  #notFull(): void {
    if (!this.#full) return;
    this.#full = false;
    this.#onFull(false);
  }
}

/** A `Readable` fed by an {@link OutputFeed} it owns (the `stderr` of a data channel). */
export class FeedReadable extends Readable {
  readonly feed: OutputFeed;

  constructor(budget: number, onFull: (full: boolean) => void) {
    super({ highWaterMark: 0 });
    this.feed = new OutputFeed(this, budget, onFull);
    this.once('close', () => this.feed.discard());
  }

  override _read(): void {
    this.feed.pull();
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of Readable.read
  override read(size?: number): any {
    const chunk: unknown = super.read(size);
    this.feed.drained();
    return chunk;
  }
}

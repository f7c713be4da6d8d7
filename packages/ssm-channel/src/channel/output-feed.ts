/**
 * Feeds received output into a `Readable` on demand, holding what its reader has not asked for yet within a
 * memory budget.
 */
import type { Readable } from 'node:stream';

/**
 * Memory charged for each held piece of output besides its bytes: the Buffer object, the list entry and the
 * frame header a payload view keeps alive (a 1-byte output message held unread costs about 260 bytes).
 * Without it a peer sending 1-byte messages to a stalled reader would make a 1 MiB budget hold some 260 MB.
 */
export const PIECE_CHARGE_BYTES = 320;

/** Held pieces are copied into one buffer when there are this many, so their overhead stays bounded. */
const MAX_PIECES = 256;

/**
 * Output for one `Readable` (created with `highWaterMark: 0`, its `_read` calling {@link OutputFeed.pull}).
 * A payload that arrives while the reader waits goes straight to `push()`, without a copy. Payloads that
 * arrive meanwhile are held (views of their frames, compacted by a copy at {@link MAX_PIECES}) and handed over
 * as one chunk at the next `pull()`. So the stream's own buffer holds at most about one chunk, and what is held
 * here is counted as bytes plus {@link PIECE_CHARGE_BYTES} per piece: at `budget`, `onFull(true)`; once the
 * reader took everything, `onFull(false)`.
 */
export class OutputFeed {
  readonly #stream: Readable;
  readonly #budget: number;
  readonly #onFull: (full: boolean) => void;
  #pieces: Buffer[] = [];
  #bytes = 0;
  /** The reader asked for data (`pull()`) and nothing was pushed since. */
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
    if (this.#wanted && this.#pieces.length === 0) {
      this.#wanted = false;
      this.#stream.push(bytes);
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
    this.#wanted = false;
    this.#stream.push(this.#takeAll());
    this.#notFull();
  }

  /** Hands over what is held, then the end of the stream. */
  end(): void {
    if (this.#pieces.length > 0) this.#stream.push(this.#takeAll());
    this.#stream.push(null);
    this.#notFull();
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

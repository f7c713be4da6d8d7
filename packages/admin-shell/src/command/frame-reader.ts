import type { RunMarkers } from './remote-script.js';

/**
 * Reads the remote shell's output during a run (see `remote-script.ts` for what is sent and printed):
 *
 * - until the ready marker, bytes are searched for it (or for the missing-tool marker); they are the prompt,
 *   the echo of the typed line and whatever the shell printed, kept (the last {@link MAX_TEXT_CHARS}) to
 *   explain a failure;
 * - then the output is read as lines (`\n`, with an optional `\r` before it): lines before `#b<nonce>` are
 *   noise (kept to explain a failure), then every line starting with `#` must be a frame, others are noise;
 * - after `#x<status>` nothing more is read.
 *
 * Memory is bounded: a line longer than {@link MAX_LINE_BYTES} is an error, and only a marker's length of
 * bytes is held while searching.
 */

/** The longest line accepted (a frame carries at most 48 KiB, i.e. 64 KiB of base64). */
export const MAX_LINE_BYTES = 1024 * 1024;

/** How much of the text before the frames is kept to explain a failure. */
const MAX_TEXT_CHARS = 4096;

/** What {@link FrameReader.push} found. */
export type FrameEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'no-tool'; readonly tool: string }
  | { readonly type: 'begin' }
  | { readonly type: 'stdout' | 'stderr'; readonly data: Buffer }
  | { readonly type: 'exit'; readonly status: number }
  | { readonly type: 'remote-error'; readonly what: string };

/** A malformed frame: the output of the remote side is not what the runner writes. */
export class FrameError extends Error {
  override name = 'FrameError';
}

type Phase = 'ready' | 'begin' | 'frames' | 'done';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const NEWLINE = 0x0a;

/** Parses the output of one run; see the module comment. */
export class FrameReader {
  readonly #markers: RunMarkers;
  readonly #ready: Buffer;
  readonly #noTool: Buffer;
  #phase: Phase = 'ready';
  /** Bytes held back: a possible partial marker, or a partial line. */
  #held: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  #text = '';

  constructor(markers: RunMarkers) {
    this.#markers = markers;
    this.#ready = Buffer.from(markers.ready, 'latin1');
    this.#noTool = Buffer.from(markers.noTool, 'latin1');
  }

  /** True once the exit status has been read. */
  get done(): boolean {
    return this.#phase === 'done';
  }

  /** True once the ready marker has been read. */
  get ready(): boolean {
    return this.#phase !== 'ready';
  }

  /**
   * What the remote side printed that was not a frame (prompt, echo, error messages), control characters
   * included: the caller makes it printable. At most the last 4 KiB.
   */
  get text(): string {
    return this.#phase === 'ready'
      ? (this.#text + this.#held.toString('latin1')).slice(-MAX_TEXT_CHARS)
      : this.#text;
  }

  /**
   * Feeds output; returns what it contained, in order.
   * @throws {FrameError} for a malformed frame or a line longer than {@link MAX_LINE_BYTES}.
   */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let data: Buffer = this.#held.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#held, chunk]);
    this.#held = Buffer.alloc(0);
    if (this.#phase === 'ready') data = this.#findReady(data, events);
    if (this.#phase === 'begin' || this.#phase === 'frames') this.#readLines(data, events);
    return events;
  }

  #keep(text: string): void {
    this.#text = (this.#text + text).slice(-MAX_TEXT_CHARS);
  }

  #findReady(data: Buffer, events: FrameEvent[]): Buffer {
    const ready = data.indexOf(this.#ready);
    const noTool = data.indexOf(this.#noTool);
    if (noTool !== -1 && (ready === -1 || noTool < ready)) {
      const end = data.indexOf(NEWLINE, noTool);
      if (end === -1) {
        this.#held = data.subarray(noTool);
        return Buffer.alloc(0);
      }
      this.#keep(data.subarray(0, noTool).toString('latin1'));
      const tool = data
        .subarray(noTool + this.#noTool.length, end)
        .toString('latin1')
        .trim();
      events.push({ type: 'no-tool', tool });
      this.#phase = 'done';
      return Buffer.alloc(0);
    }
    if (ready === -1) {
      // Hold what may be the start of a marker; the rest is text.
      const hold = Math.min(data.length, Math.max(this.#ready.length, this.#noTool.length) - 1);
      this.#keep(data.subarray(0, data.length - hold).toString('latin1'));
      this.#held = data.subarray(data.length - hold);
      return Buffer.alloc(0);
    }
    this.#keep(data.subarray(0, ready).toString('latin1'));
    events.push({ type: 'ready' });
    this.#phase = 'begin';
    return data.subarray(ready + this.#ready.length);
  }

  #readLines(data: Buffer, events: FrameEvent[]): void {
    let start = 0;
    while (this.#phase !== 'done') {
      const end = data.indexOf(NEWLINE, start);
      if (end === -1) break;
      const stop = end > start && data[end - 1] === 0x0d ? end - 1 : end;
      this.#line(data.subarray(start, stop), events);
      start = end + 1;
    }
    if (this.#phase === 'done') return;
    if (data.length - start > MAX_LINE_BYTES) {
      throw new FrameError(`a line of the remote output is longer than ${MAX_LINE_BYTES} bytes`);
    }
    this.#held = Buffer.from(data.subarray(start));
  }

  #line(line: Buffer, events: FrameEvent[]): void {
    if (this.#phase === 'begin') {
      if (line.toString('latin1') === this.#markers.begin) {
        events.push({ type: 'begin' });
        this.#phase = 'frames';
      } else if (line.length > 0) this.#keep(`${line.toString('latin1')}\n`);
      return;
    }
    if (line[0] !== 0x23 /* # */) {
      if (line.length > 0) this.#keep(`${line.toString('latin1')}\n`);
      return;
    }
    const tag = line[1];
    const body = line.subarray(2).toString('latin1');
    switch (tag) {
      case 0x6f /* o */:
      case 0x65 /* e */:
        {
          if (body.length % 4 !== 0 || !BASE64.test(body)) {
            throw new FrameError('the remote output has a malformed data line');
          }
          events.push({ type: tag === 0x6f ? 'stdout' : 'stderr', data: Buffer.from(body, 'base64') });
          return;
        }
      case 0x78 /* x */:
        {
          if (!/^\d{1,3}$/.test(body) || Number(body) > 255) {
            throw new FrameError('the remote output has a malformed exit status');
          }
          events.push({ type: 'exit', status: Number(body) });
          this.#phase = 'done';
          return;
        }
      case 0x21 /* ! */:
        events.push({ type: 'remote-error', what: body.slice(0, 200) });
        return;
      default:
        throw new FrameError('the remote output has a line of unknown type');
    }
  }
}

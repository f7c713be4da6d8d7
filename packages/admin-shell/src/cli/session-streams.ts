import { Writable } from 'node:stream';

/** The longest line kept whole: past it a line is written in pieces (each with the prefix). */
export const MAX_PREFIXED_LINE = 64 * 1024;

/**
 * Writes each line of a session's output to `target` with `prefix` in front, whole lines at a time, so that
 * the lines of sessions running at once never mix. Backpressure from `target` holds the writer. A last line
 * without `\n` is written, with one, by {@link LinePrefixer.flushLine}.
 */
export class LinePrefixer extends Writable {
  readonly #prefix: Buffer;
  readonly #target: Writable;
  #partial: Buffer = Buffer.alloc(0);

  constructor(prefix: string, target: Writable) {
    super();
    this.#prefix = Buffer.from(prefix);
    this.#target = target;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let data = this.#partial.length === 0 ? chunk : Buffer.concat([this.#partial, chunk]);
    const parts: Buffer[] = [];
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a)) {
      parts.push(this.#prefix, data.subarray(0, nl + 1));
      data = data.subarray(nl + 1);
    }
    while (data.length > MAX_PREFIXED_LINE) {
      parts.push(this.#prefix, data.subarray(0, MAX_PREFIXED_LINE), Buffer.from('\n'));
      data = data.subarray(MAX_PREFIXED_LINE);
    }
    this.#partial = Buffer.from(data);
    this.#send(parts, callback);
  }

  #send(parts: Buffer[], callback: (error?: Error | null) => void): void {
    if (parts.length === 0 || this.#target.destroyed) {
      callback();
      return;
    }
    if (this.#target.write(Buffer.concat(parts))) callback();
    else this.#target.once('drain', () => callback());
  }

  /** Writes the last line if it had no `\n` (adding one). */
  flushLine(): Promise<void> {
    if (this.#partial.length === 0) return Promise.resolve();
    const parts = [this.#prefix, this.#partial, Buffer.from('\n')];
    this.#partial = Buffer.alloc(0);
    return new Promise((resolve) => this.#send(parts, () => resolve()));
  }
}

/** Keeps the first `max` bytes written and counts the rest. */
export class TruncatingCollector extends Writable {
  readonly #chunks: Buffer[] = [];
  readonly #max: number;
  #kept = 0;
  #dropped = 0;

  constructor(max: number) {
    super();
    this.#max = max;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const room = Math.max(0, this.#max - this.#kept);
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      this.#chunks.push(kept);
      this.#kept += kept.length;
    }
    this.#dropped += chunk.length - Math.min(room, chunk.length);
    callback();
  }

  /** The bytes kept. */
  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** How many bytes were left out. */
  get dropped(): number {
    return this.#dropped;
  }
}

/**
 * Bytes as JSON fields: `{ [name]: text }` when they are valid UTF-8, else
 * `{ [name]: base64, [name + 'Encoding']: 'base64' }`.
 */
export function bytesField(name: string, bytes: Buffer): Record<string, string> {
  try {
    return { [name]: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { [name]: bytes.toString('base64'), [`${name}Encoding`]: 'base64' };
  }
}

/**
 * Stream payloads written by the application that are not yet numbered (the window is full, or the session
 * has not started). Chunks are held by reference (no copy), each with its PayloadType, and cut into
 * payloads of at most `maxPayload` bytes; consecutive chunks of the same type are merged into one payload.
 * An atomic chunk (a Flag, an ExitCode) is always sent whole, never merged.
 */
export class PendingInput {
  #chunks: Uint8Array[] = [];
  #types: number[] = [];
  #atomic: boolean[] = [];
  #head = 0;
  #offset = 0;
  #bytes = 0;

  /** Bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when nothing waits. */
  get empty(): boolean {
    return this.#head === this.#chunks.length;
  }

  /** PayloadType of the next payload (meaningless when {@link empty}). */
  get headType(): number {
    return this.#types[this.#head] ?? 0;
  }

  /** Queues `bytes` (kept by reference; the caller must not modify them afterwards). */
  push(bytes: Uint8Array, payloadType: number): void {
    this.#add(bytes, payloadType, false);
  }

  /** Queues a payload that is sent whole, never cut or merged (it may exceed `maxPayload`). */
  pushAtomic(bytes: Uint8Array, payloadType: number): void {
    this.#add(bytes, payloadType, true);
  }

  /** Takes the next payload (see the class comment); undefined when empty. */
  take(maxPayload: number): Uint8Array | undefined {
    if (this.empty) return undefined;
    const head = this.#head;
    const first = this.#chunks[head]!;
    if (this.#atomic[head]) {
      this.#advance(first.length);
      return first;
    }
    const available = first.length - this.#offset;
    if (available >= maxPayload || !this.#mergeable(head + 1)) {
      const n = Math.min(available, maxPayload);
      const out = first.subarray(this.#offset, this.#offset + n);
      this.#advance(n);
      return out;
    }
    const type = this.#types[head];
    let size = 0;
    for (let i = head; i < this.#chunks.length && size < maxPayload; i += 1) {
      if (i > head && !(this.#types[i] === type && this.#mergeable(i))) break;
      size += this.#chunks[i]!.length - (i === head ? this.#offset : 0);
    }
    size = Math.min(size, maxPayload);
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#chunks[this.#head]!;
      const n = Math.min(chunk.length - this.#offset, size - filled);
      out.set(chunk.subarray(this.#offset, this.#offset + n), filled);
      filled += n;
      this.#advance(n);
    }
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#types = [];
    this.#atomic = [];
    this.#head = 0;
    this.#offset = 0;
    this.#bytes = 0;
  }

  #add(bytes: Uint8Array, payloadType: number, atomic: boolean): void {
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#types.push(payloadType);
    this.#atomic.push(atomic);
    this.#bytes += bytes.length;
  }

  #mergeable(index: number): boolean {
    return (
      index < this.#chunks.length && this.#types[index] === this.#types[this.#head] && !this.#atomic[index]
    );
  }

  #advance(n: number): void {
    this.#bytes -= n;
    this.#offset += n;
    const head = this.#head;
    if (this.#offset < this.#chunks[head]!.length) return;
    this.#chunks[head] = EMPTY;
    this.#head = head + 1;
    this.#offset = 0;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#types.length = 0;
      this.#atomic.length = 0;
      this.#head = 0;
    } else if (this.#head >= 64 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#types = this.#types.slice(this.#head);
      this.#atomic = this.#atomic.slice(this.#head);
      this.#head = 0;
    }
  }
}

const EMPTY = new Uint8Array(0);

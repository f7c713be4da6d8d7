/**
 * Client-to-server WebSocket framing of the transport's binary messages, batched per event-loop turn.
 *
 * Every received output message costs an acknowledgement, so the client sends as many messages as it
 * receives. `ws` frames each one on its own (a header buffer, an options object, a JS masking loop or an
 * addon call, a `socket.write` with a callback), which cost more than a third of the receive path. Here a
 * message is framed straight into a shared slab, masked in place a 32-bit word at a time, and everything
 * framed meanwhile (e.g. the acks of every socket read of one poll phase) leaves in one `socket.write`
 * from `setImmediate`, right after the I/O callbacks of the current loop turn: a keystroke waits only
 * microseconds. (Flushing on `process.nextTick`, after each callback, measured about 5% slower on the
 * output benchmark: four times as many writes, and as many more reads for the agent.)
 *
 * One frame, as RFC 6455 §5.2 lays it out for a client:
 * - byte 0: `0x82` (FIN, opcode 2 = binary);
 * - byte 1: `0x80 | len` (MASK bit); len < 126 is the length, 126 means a 16-bit length follows, 127 a
 *   64-bit one (big-endian);
 * - 4 bytes: the masking key, fresh from `crypto.randomFillSync` for every frame (§5.3: unpredictable);
 * - the payload, byte `i` XOR key byte `i % 4`.
 *
 * Sharing the socket with `ws` is safe because both sides write whole frames only, each in one synchronous
 * `socket.write`: `ws` frames its pings, pongs and close frame synchronously (compression is off and no Blob
 * is ever sent), so frames never interleave. A batch is only written while the WebSocket is open: once a
 * close frame was sent or received, the frames still pending are dropped, as nothing may follow a close.
 *
 * Bounded by its owner: `pendingBytes` counts in the transport's `bufferedAmount`, whose `highWaterMark`
 * makes it `flush()` early and whose `maxBufferedAmount` ends the connection.
 */
import { randomFillSync } from 'node:crypto';
import type { Socket } from 'node:net';

/** Bytes per shared slab; a larger frame gets a slab of its own size. */
export const FRAME_SLAB_SIZE = 64 * 1024;
/** Random bytes drawn at once for masking keys (2048 keys). */
const KEY_POOL_SIZE = 8 * 1024;

// The shared slab: frames are appended at `slabUsed`; written bytes are never reused (the socket may still
// hold them), a full slab is replaced and collected once its writes are done.
const NO_SLAB = Buffer.alloc(0);
let slab = NO_SLAB;
let slabWords = new Int32Array(0);
let slabUsed = 0;

const keyPool = new Uint8Array(KEY_POOL_SIZE);
let keyNext = KEY_POOL_SIZE;
/** One masking key rotated to a word boundary, read as a native-endian 32-bit word. */
const rotated = new Uint8Array(4);
const rotatedWord = new Int32Array(rotated.buffer);

/** Frames binary messages for one socket and writes them once per event-loop turn. */
export class MaskedFrameBatch {
  readonly #socket: Socket;
  readonly #isOpen: () => boolean;
  readonly #onWritten: () => void;
  /**
   * The slab holding the pending frames, from `#start` to `#end`; none once they are written, so that an
   * idle connection keeps no slab alive.
   */
  #buffer: Buffer = NO_SLAB;
  #start = 0;
  #end = 0;
  #scheduled = false;

  /**
   * @param socket the WebSocket's TCP (or TLS) socket.
   * @param isOpen whether frames may still be written (the WebSocket is OPEN).
   * @param onWritten called when a batch was handed to the kernel (the `socket.write` callback).
   */
  constructor(socket: Socket, isOpen: () => boolean, onWritten: () => void) {
    this.#socket = socket;
    this.#isOpen = isOpen;
    this.#onWritten = onWritten;
  }

  /** Bytes framed and not yet given to the socket. */
  get pendingBytes(): number {
    return this.#end - this.#start;
  }

  /** Frames `payload` as one masked binary message; it is written by `setImmediate` or on `flush()`. */
  add(payload: Uint8Array): void {
    const length = payload.length;
    const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
    const size = 6 + lengthBytes + length;
    // Append to the pending frames while they end the slab; else start a new run (a new slab if full).
    if (this.#buffer !== slab || this.#end !== slabUsed || slabUsed + size > slab.length) {
      this.flush();
      if (slabUsed + size > slab.length) newSlab(Math.max(FRAME_SLAB_SIZE, size));
      this.#buffer = slab;
      this.#start = slabUsed;
      this.#end = slabUsed;
    }
    const out = slab;
    let at = slabUsed;
    out[at++] = 0x82;
    if (lengthBytes === 0) {
      out[at++] = 0x80 | length;
    } else if (lengthBytes === 2) {
      out[at++] = 0x80 | 126;
      out[at++] = length >>> 8;
      out[at++] = length & 0xff;
    } else {
      out[at++] = 0x80 | 127;
      out.writeUInt32BE(Math.floor(length / 2 ** 32), at);
      out.writeUInt32BE(length >>> 0, at + 4);
      at += 8;
    }
    if (keyNext === KEY_POOL_SIZE) {
      randomFillSync(keyPool);
      keyNext = 0;
    }
    const key = keyNext;
    keyNext += 4;
    for (let i = 0; i < 4; i++) out[at++] = keyPool[key + i]!;
    out.set(payload, at);
    maskInPlace(at, length, key);
    slabUsed = at + length;
    this.#end = slabUsed;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onTurn);
    }
  }

  /** Writes the pending frames now (dropped if the WebSocket is no longer open). */
  flush(): void {
    if (this.#end === this.#start) return;
    const frames = this.#buffer.subarray(this.#start, this.#end);
    this.discard();
    if (this.#isOpen() && !this.#socket.destroyed) this.#socket.write(frames, this.#onWritten);
  }

  /** Drops the pending frames (the connection is ending). */
  discard(): void {
    this.#buffer = NO_SLAB;
    this.#start = 0;
    this.#end = 0;
  }

  readonly #onTurn = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}

function newSlab(size: number): void {
  // Uninitialised memory: only framed bytes are ever written to the socket. Offset 0 of its own
  // ArrayBuffer, so the word view is aligned.
  slab = Buffer.allocUnsafeSlow(size);
  slabWords = new Int32Array(slab.buffer, slab.byteOffset, size >>> 2);
  slabUsed = 0;
}

/** XORs the `length` slab bytes at `at` with the key at `keyPool[key..key+3]`, 4-aligned words in between. */
function maskInPlace(at: number, length: number, key: number): void {
  const bytes = slab;
  let i = 0;
  for (; i < length && ((at + i) & 3) !== 0; i++) bytes[at + i] = bytes[at + i]! ^ keyPool[key + (i & 3)]!;
  const words = (length - i) >>> 2;
  if (words > 0) {
    // Payload byte i lands on a word boundary: the word's bytes take key bytes i, i+1, i+2, i+3 (mod 4).
    for (let b = 0; b < 4; b++) rotated[b] = keyPool[key + ((i + b) & 3)]!;
    const word = rotatedWord[0]!;
    const view = slabWords;
    for (let w = (at + i) >>> 2, last = w + words; w < last; w++) view[w] = view[w]! ^ word;
    i += words * 4;
  }
  for (; i < length; i++) bytes[at + i] = bytes[at + i]! ^ keyPool[key + (i & 3)]!;
}

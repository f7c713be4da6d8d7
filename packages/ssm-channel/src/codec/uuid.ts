/**
 * MessageId helpers. The 16 UUID bytes `U[0..15]` (RFC 4122 order, as in the canonical string) travel
 * half-swapped: wire bytes 0..7 hold `U[8..15]`, wire bytes 8..15 hold `U[0..7]`.
 */
import { fillRandom } from '#platform';
import { SsmProtocolError } from '../errors.js';
import { checkRange } from './primitives.js';

/** Byte value to two lower-case hex digits. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Char code to nibble value, -1 for a non-hex character. */
const NIBBLE = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}
/** Index in the canonical string of the first hex digit of each UUID byte. */
const CHAR_INDEX = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;

function invalid(): SsmProtocolError {
  return new SsmProtocolError('MESSAGE_ID_INVALID', 'MessageId must be a canonical non-nil UUID string');
}

/**
 * Parses a hyphenated UUID (either case) into `target` at `offset`, half-swapped when `swap` is set.
 * Returns whether the UUID is nil. Unchecked offset.
 */
function parseInto(text: string, target: Uint8Array, offset: number, swap: boolean): boolean {
  if (
    typeof text !== 'string' ||
    text.length !== 36 ||
    text.charCodeAt(8) !== 0x2d ||
    text.charCodeAt(13) !== 0x2d ||
    text.charCodeAt(18) !== 0x2d ||
    text.charCodeAt(23) !== 0x2d
  ) {
    throw invalid();
  }
  let any = 0;
  for (let i = 0; i < 16; i++) {
    const c = CHAR_INDEX[i]!;
    const hi = NIBBLE[text.charCodeAt(c) & 0xff]!;
    const lo = NIBBLE[text.charCodeAt(c + 1) & 0xff]!;
    // A code unit above 0xff masked to a hex digit must not pass.
    if ((hi | lo) < 0 || text.charCodeAt(c) > 0x7f || text.charCodeAt(c + 1) > 0x7f) throw invalid();
    const byte = (hi << 4) | lo;
    any |= byte;
    target[offset + (swap ? (i + 8) & 15 : i)] = byte;
  }
  return any === 0;
}

/**
 * Parses a canonical UUID string (hex digits of either case) into its 16 bytes in RFC 4122 order.
 * @throws {SsmProtocolError} `MESSAGE_ID_INVALID` when the text is not a hyphenated 36-character UUID.
 */
export function parseUuid(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  parseInto(text, bytes, 0, false);
  return bytes;
}

/**
 * Formats 16 bytes at `offset` (RFC 4122 order) as a canonical lower-case UUID.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE` when fewer than 16 bytes are available.
 */
export function formatUuid(bytes: Uint8Array, offset = 0): string {
  checkRange(bytes, offset, 16);
  return formatAt(bytes, offset, offset + 8);
}

/** Char codes of the two lower-case hex digits of a byte: first digit in bits 0..7, second in 8..15. */
const HEX_CODES = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX_CODES[i] = HEX[i]!.charCodeAt(0) | (HEX[i]!.charCodeAt(1) << 8);

/**
 * Formats UUID bytes `U[0..7]` found at `high` and `U[8..15]` found at `low` (unchecked). One
 * `String.fromCharCode` call builds a flat string without intermediate concatenations.
 */
function formatAt(b: Uint8Array, high: number, low: number): string {
  const h = HEX_CODES;
  const u0 = h[b[high]!]!;
  const u1 = h[b[high + 1]!]!;
  const u2 = h[b[high + 2]!]!;
  const u3 = h[b[high + 3]!]!;
  const u4 = h[b[high + 4]!]!;
  const u5 = h[b[high + 5]!]!;
  const u6 = h[b[high + 6]!]!;
  const u7 = h[b[high + 7]!]!;
  const u8 = h[b[low]!]!;
  const u9 = h[b[low + 1]!]!;
  const u10 = h[b[low + 2]!]!;
  const u11 = h[b[low + 3]!]!;
  const u12 = h[b[low + 4]!]!;
  const u13 = h[b[low + 5]!]!;
  const u14 = h[b[low + 6]!]!;
  const u15 = h[b[low + 7]!]!;
  // biome-ignore format: one pair of digits per byte, hyphens after bytes 3, 5, 7 and 9.
  return String.fromCharCode(
    u0 & 0xff, u0 >> 8, u1 & 0xff, u1 >> 8, u2 & 0xff, u2 >> 8, u3 & 0xff, u3 >> 8, 0x2d,
    u4 & 0xff, u4 >> 8, u5 & 0xff, u5 >> 8, 0x2d,
    u6 & 0xff, u6 >> 8, u7 & 0xff, u7 >> 8, 0x2d,
    u8 & 0xff, u8 >> 8, u9 & 0xff, u9 >> 8, 0x2d,
    u10 & 0xff, u10 >> 8, u11 & 0xff, u11 >> 8, u12 & 0xff, u12 >> 8,
    u13 & 0xff, u13 >> 8, u14 & 0xff, u14 >> 8, u15 & 0xff, u15 >> 8,
  );
}

/**
 * Reads a half-swapped MessageId (16 wire bytes at `offset`: `U[8..15]` then `U[0..7]`) as a canonical
 * lower-case UUID string. Any 16 bytes are accepted, including the nil UUID. Unchecked offset.
 */
export function readMessageId(frame: Uint8Array, offset: number): string {
  // U[0..7] sit at offset+8, U[8..15] at offset.
  return formatAt(frame, offset + 8, offset);
}

/**
 * Writes the 36 ASCII characters of the canonical lower-case UUID of the half-swapped MessageId at
 * `frame[offset..offset+15]` into `target` at `at`: the bytes of `readMessageId(frame, offset)` without
 * making the string. Unchecked offsets.
 */
export function writeMessageIdText(frame: Uint8Array, offset: number, target: Uint8Array, at: number): void {
  // Canonical order U[0..15]: U[0..7] sit at offset+8, U[8..15] at offset; hyphens after U[3], U[5], U[7], U[9].
  let out = at;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) target[out++] = 0x2d;
    const pair = HEX_CODES[frame[offset + ((i + 8) & 15)]!]!;
    target[out++] = pair & 0xff;
    target[out++] = pair >> 8;
  }
}

/**
 * Writes `uuid` half-swapped at `offset` (unchecked offset).
 * @throws {SsmProtocolError} `MESSAGE_ID_INVALID` for a malformed or nil UUID (the official writer refuses nil).
 */
export function writeMessageId(frame: Uint8Array, offset: number, uuid: string): void {
  if (parseInto(uuid, frame, offset, true)) throw invalid();
}

/**
 * Writes `uuid` half-swapped at `offset`, bounds-checked.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `MESSAGE_ID_INVALID`.
 */
export function putUuid(buffer: Uint8Array, offset: number, uuid: string): void {
  checkRange(buffer, offset, 16);
  writeMessageId(buffer, offset, uuid);
}

/**
 * Reads a half-swapped UUID at `offset`, bounds-checked.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`.
 */
export function getUuid(buffer: Uint8Array, offset: number): string {
  checkRange(buffer, offset, 16);
  return readMessageId(buffer, offset);
}

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolNext = POOL_IDS;

/**
 * Writes a fresh random version-4 UUID half-swapped at `offset` (unchecked), drawing from a pool filled with
 * the platform's random bytes 256 ids at a time.
 */
export function writeRandomMessageId(frame: Uint8Array, offset: number): void {
  if (poolNext === POOL_IDS) {
    fillRandom(pool);
    poolNext = 0;
  }
  const p = poolNext++ * 16;
  for (let i = 0; i < 16; i++) frame[offset + i] = pool[p + i]!;
  // Wire bytes 0..7 = U[8..15]: byte U[8] carries the variant (10xx).
  frame[offset] = (frame[offset]! & 0x3f) | 0x80;
  // Wire bytes 8..15 = U[0..7]: byte U[6] carries the version (0100).
  frame[offset + 14] = (frame[offset + 14]! & 0x0f) | 0x40;
}

/** A fresh random version-4 UUID, canonical lower-case (from the same pool as message ids). */
export function randomUuid(): string {
  const wire = new Uint8Array(16);
  writeRandomMessageId(wire, 0);
  return readMessageId(wire, 0);
}

/**
 * Bounds-checked big-endian field helpers (internal; not exported from the package index).
 *
 * The checked functions throw {@link SsmProtocolError} `OFFSET_OUT_OF_RANGE` when a field would not fit
 * in the buffer (a field may end exactly at the buffer end) and `FIELD_OUT_OF_RANGE` when a value does not
 * fit its field. The `write*`/`read*` functions are the unchecked forms the message codec uses after it has
 * checked the frame length once.
 */
import { SsmProtocolError } from '../errors.js';

const TWO_32 = 0x1_0000_0000;
/** Largest high 32-bit word of a 64-bit integer that is still a safe JS integer. */
const MAX_SAFE_HIGH = 0x1f_ffff;

/**
 * Checks that `length` bytes at `offset` lie inside `buffer`.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE` for a negative, fractional or too-large offset or length.
 */
export function checkRange(buffer: Uint8Array, offset: number, length: number): void {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > buffer.length
  ) {
    throw new SsmProtocolError(
      'OFFSET_OUT_OF_RANGE',
      `Offset ${offset} and length ${length} are outside a ${buffer.length}-byte buffer`,
    );
  }
}

/** Writes a uint32 big-endian at `offset` (unchecked). */
export function writeUint32(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 24;
  buffer[offset + 1] = value >>> 16;
  buffer[offset + 2] = value >>> 8;
  buffer[offset + 3] = value;
}

/** Reads a uint32 big-endian at `offset` (unchecked). */
export function readUint32(buffer: Uint8Array, offset: number): number {
  return (
    ((buffer[offset]! << 24) |
      (buffer[offset + 1]! << 16) |
      (buffer[offset + 2]! << 8) |
      buffer[offset + 3]!) >>>
    0
  );
}

/**
 * Writes a safe integer as a 64-bit big-endian two's complement value at `offset` (unchecked).
 * Non-negative values are also their uint64 encoding.
 */
export function writeInt64(buffer: Uint8Array, offset: number, value: number): void {
  if (value >= 0 && value < TWO_32) {
    // The common case (sequence numbers, flags): no division needed.
    writeUint32(buffer, offset, 0);
    writeUint32(buffer, offset + 4, value);
    return;
  }
  let high = Math.floor(value / TWO_32);
  const low = value - high * TWO_32;
  if (high < 0) high += TWO_32;
  writeUint32(buffer, offset, high);
  writeUint32(buffer, offset + 4, low);
}

/**
 * Reads a big-endian int64 at `offset` (unchecked) and returns it as a number, or `undefined` when it is not
 * a safe integer.
 */
export function readInt64(buffer: Uint8Array, offset: number): number | undefined {
  const high = readUint32(buffer, offset) | 0;
  const low = readUint32(buffer, offset + 4);
  if (high > MAX_SAFE_HIGH || high < -MAX_SAFE_HIGH - 1) return undefined;
  const value = high * TWO_32 + low;
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Reads a big-endian uint64 at `offset` (unchecked); `undefined` when it exceeds 2^53-1.
 */
export function readUint64(buffer: Uint8Array, offset: number): number | undefined {
  const high = readUint32(buffer, offset);
  if (high > MAX_SAFE_HIGH) return undefined;
  return high * TWO_32 + readUint32(buffer, offset + 4);
}

function checkValue(ok: boolean, value: number, what: string): void {
  if (!ok) throw new SsmProtocolError('FIELD_OUT_OF_RANGE', `${value} does not fit a ${what}`);
}

/**
 * Writes a uint32 big-endian.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `FIELD_OUT_OF_RANGE` unless `value` is an integer in 0..2^32-1.
 */
export function putUint32(buffer: Uint8Array, offset: number, value: number): void {
  checkRange(buffer, offset, 4);
  checkValue(Number.isInteger(value) && value >= 0 && value < TWO_32, value, 'uint32');
  writeUint32(buffer, offset, value);
}

/**
 * Reads a uint32 big-endian.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`.
 */
export function getUint32(buffer: Uint8Array, offset: number): number {
  checkRange(buffer, offset, 4);
  return readUint32(buffer, offset);
}

/**
 * Writes a safe integer as a big-endian int64 (two's complement).
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `FIELD_OUT_OF_RANGE` unless `value` is a safe integer.
 */
export function putInt64(buffer: Uint8Array, offset: number, value: number): void {
  checkRange(buffer, offset, 8);
  checkValue(Number.isSafeInteger(value), value, 'int64 (safe integer)');
  writeInt64(buffer, offset, value);
}

/**
 * Reads a big-endian int64.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `FIELD_OUT_OF_RANGE` when it is not a safe integer.
 */
export function getInt64(buffer: Uint8Array, offset: number): number {
  checkRange(buffer, offset, 8);
  const value = readInt64(buffer, offset);
  if (value === undefined) {
    throw new SsmProtocolError('FIELD_OUT_OF_RANGE', `int64 at offset ${offset} is not a safe integer`);
  }
  return value;
}

/**
 * Fills `width` bytes at `offset` with spaces (0x20), then copies the ASCII `text` in from the left.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `FIELD_OUT_OF_RANGE` when `text` is longer than `width`
 * or holds a character above 0x7f.
 */
export function putPaddedString(buffer: Uint8Array, offset: number, width: number, text: string): void {
  checkRange(buffer, offset, width);
  if (text.length > width) {
    throw new SsmProtocolError('FIELD_OUT_OF_RANGE', `Not enough space: ${text.length} > ${width} bytes`);
  }
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) throw new SsmProtocolError('FIELD_OUT_OF_RANGE', 'Text is not ASCII');
  }
  buffer.fill(0x20, offset, offset + width);
  for (let i = 0; i < text.length; i++) buffer[offset + i] = text.charCodeAt(i);
}

const utf8 = new TextDecoder('utf-8');

/** Whether a UTF-16 code unit is whitespace as Go's `strings.TrimSpace` sees it (Unicode White_Space). */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * Decodes `length` bytes at `offset` as UTF-8 (invalid sequences become U+FFFD) and trims them the way
 * the official readers do: NULs at both ends first, then whitespace at both ends.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`.
 */
export function getTrimmedString(buffer: Uint8Array, offset: number, length: number): string {
  checkRange(buffer, offset, length);
  let start = offset;
  let end = offset + length;
  while (start < end && buffer[start] === 0) start++;
  while (end > start && buffer[end - 1] === 0) end--;
  const text = utf8.decode(buffer.subarray(start, end));
  let a = 0;
  let b = text.length;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/**
 * Copies `bytes` into the `fieldLength`-byte field at `offset`; the value must fill the field exactly.
 * @param fieldLength width of the field. @default bytes.length
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`; `FIELD_OUT_OF_RANGE` when `bytes.length !== fieldLength`.
 */
export function putBytes(
  buffer: Uint8Array,
  offset: number,
  bytes: Uint8Array,
  fieldLength = bytes.length,
): void {
  checkRange(buffer, offset, fieldLength);
  if (bytes.length !== fieldLength) {
    throw new SsmProtocolError(
      'FIELD_OUT_OF_RANGE',
      `Not enough space: ${bytes.length} bytes for a ${fieldLength}-byte field`,
    );
  }
  buffer.set(bytes, offset);
}

/**
 * Returns a zero-copy view of `length` bytes at `offset`.
 * @throws {SsmProtocolError} `OFFSET_OUT_OF_RANGE`.
 */
export function getBytes(buffer: Uint8Array, offset: number, length: number): Uint8Array {
  checkRange(buffer, offset, length);
  return buffer.subarray(offset, offset + length);
}

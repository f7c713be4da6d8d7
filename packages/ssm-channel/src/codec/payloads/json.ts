/**
 * JSON helpers shared by the payload codecs. Decoding follows Go's `encoding/json` as the official peers
 * use it: object keys match field names ASCII-case-insensitively (the last matching key wins), missing keys
 * and `null` values take the zero value, a `null` document is an all-zero struct, and a value of the wrong
 * JSON type fails the whole payload. Encoding writes exactly what Go's `json.Marshal` writes for the
 * official structs: fields in declaration order, no spaces, `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
import { SsmProtocolError } from '../../errors.js';
import { allocateFrame } from '../frame-allocator.js';

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function shape(what: string, detail: string): SsmProtocolError {
  return new SsmProtocolError('PAYLOAD_SHAPE_INVALID', `${what}: ${detail}`);
}

/**
 * Parses a JSON payload (UTF-8 bytes, invalid sequences read as U+FFFD like Go, or a string).
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; the parser's message is not kept, since it may quote
 * the input.
 */
export function parseJson(payload: Uint8Array | string, what: string): unknown {
  const text = typeof payload === 'string' ? payload : utf8Decoder.decode(payload);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SsmProtocolError('PAYLOAD_JSON_INVALID', `${what}: payload is not valid JSON`);
  }
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Serializes `value` as Go's `json.Marshal` would (`undefined` becomes `null`).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` when the value cannot be serialized (BigInt, cycles).
 */
export function goJson(value: unknown, what: string): string {
  if (typeof value === 'string' && isPlainText(value)) return `"${value}"`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw shape(what, 'value cannot be serialized as JSON');
  }
  if (text === undefined) return 'null';
  return text.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/**
 * Whether `text` is printable ASCII that JSON and Go write as it is: no `"`, `\\`, `<`, `>` or `&`. The
 * payloads on the hot path (acknowledgements: a message type, a UUID) always are.
 */
export function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      return false;
    }
  }
  return true;
}

/** The bytes of an ASCII constant. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  writeAscii(bytes, 0, text);
  return bytes;
}

/** Writes the char codes of an ASCII `text` into `target` at `at` (unchecked); returns the end offset. */
export function writeAscii(target: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * UTF-8 bytes of a text. ASCII is copied char by char into frame memory (see `allocateFrame`): a fresh
 * `Uint8Array` or `TextEncoder` output costs microseconds for a short text, more than the copy.
 */
export function utf8Bytes(text: string): Uint8Array {
  const bytes = allocateFrame(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return utf8Encoder.encode(text);
    bytes[i] = c;
  }
  return bytes;
}

function asciiLower(key: string): string {
  return key.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Per list of field names: the canonical names as a set, and by their lower-case form. */
const fieldIndexes = new WeakMap<readonly string[], { exact: Set<string>; byLower: Map<string, string> }>();

function fieldIndex(names: readonly string[]): { exact: Set<string>; byLower: Map<string, string> } {
  let index = fieldIndexes.get(names);
  if (index === undefined) {
    index = { exact: new Set(names), byLower: new Map(names.map((name) => [asciiLower(name), name])) };
    fieldIndexes.set(names, index);
  }
  return index;
}

/** The values of a decoded JSON object, keyed by canonical field name (`undefined` when absent). */
export type Fields<K extends string> = { readonly [P in K]: unknown };

/**
 * Picks the fields `names` out of a parsed JSON value that must be an object (or `null`, read as empty).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for an array or a primitive.
 */
export function jsonFields<K extends string>(value: unknown, names: readonly K[], what: string): Fields<K> {
  const out: Partial<Record<K, unknown>> = {};
  if (value === null) return out as Fields<K>;
  if (typeof value !== 'object' || Array.isArray(value)) throw shape(what, 'expected a JSON object');
  const { exact, byLower } = fieldIndex(names);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // Keys written as the official peers write them need no case folding.
    const name = (exact.has(key) ? key : byLower.get(asciiLower(key))) as K | undefined;
    if (name !== undefined) out[name] = record[key];
  }
  return out as Fields<K>;
}

/**
 * A string field; absent or `null` reads as `''`.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for any other JSON type.
 */
export function stringField(value: unknown, what: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw shape(what, 'expected a string');
  return value;
}

/**
 * An integer field within `min..max` (both safe integers); absent or `null` reads as 0.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for a non-number, a fraction or a value out of range.
 */
export function integerField(value: unknown, min: number, max: number, what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw shape(what, `expected an integer in ${min}..${max}`);
  }
  // JSON `-0` reads as 0.
  return value === 0 ? 0 : value;
}

/**
 * A boolean field; absent or `null` reads as `false`.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for any other JSON type.
 */
export function booleanField(value: unknown, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw shape(what, 'expected a boolean');
  return value;
}

/**
 * An array field; absent or `null` reads as `null` (Go's nil slice).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for any other JSON type.
 */
export function arrayField(value: unknown, what: string): readonly unknown[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw shape(what, 'expected an array');
  return value;
}

/** A raw JSON value (Go `json.RawMessage` / `interface{}`); absent reads as `null`. */
export function rawField(value: unknown): unknown {
  return value === undefined ? null : value;
}

/**
 * Checks an encoder input: `ok` or `PAYLOAD_SHAPE_INVALID`.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` when `ok` is false.
 */
export function requireShape(ok: boolean, what: string, detail: string): void {
  if (!ok) throw shape(what, detail);
}

/** Largest uint32. */
export const UINT32_MAX = 0xffff_ffff;

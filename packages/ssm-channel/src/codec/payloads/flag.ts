/**
 * Flag payload (PayloadType 10), section 14.7: the flag as a 4-byte big-endian uint32.
 */
import { readUint32, writeUint32 } from '../primitives.js';
import { requireShape, UINT32_MAX } from './json.js';

const WHAT = 'flag';

/**
 * Encodes a flag value (see `Flag`) as 4 big-endian bytes.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` unless `value` is an integer in 0..2^32-1.
 */
export function encodeFlag(value: number): Uint8Array {
  requireShape(Number.isInteger(value) && value >= 0 && value <= UINT32_MAX, WHAT, 'expected a uint32');
  const payload = new Uint8Array(4);
  writeUint32(payload, 0, value);
  return payload;
}

/**
 * Decodes a flag payload; any uint32 is returned, known or not.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` unless the payload is exactly 4 bytes.
 */
export function decodeFlag(payload: Uint8Array): number {
  requireShape(payload.length === 4, WHAT, `expected 4 bytes, got ${payload.length}`);
  return readUint32(payload, 0);
}

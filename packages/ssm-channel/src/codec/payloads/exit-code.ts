/**
 * ExitCode payload (agent -> client, PayloadType 12), section 14.5: ASCII `EXIT_CODE: <decimal>`.
 */
import { requireShape, utf8Bytes } from './json.js';

const WHAT = 'exit code';
const PREFIX = 'EXIT_CODE: ';
/** Optional surrounding ASCII whitespace, the prefix, an optionally negative decimal of at most 15 digits. */
const PATTERN = /^[\t\n\r ]*EXIT_CODE: (-?[0-9]{1,15})[\t\n\r ]*$/;
/** Longest payload worth matching (the pattern's maximum plus some whitespace). */
const MAX_LENGTH = 64;
const latin1 = new TextDecoder('latin1');

/**
 * Encodes `EXIT_CODE: <code>`.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` unless `code` is a safe integer of at most 15 digits.
 */
export function encodeExitCode(code: number): Uint8Array {
  requireShape(Number.isSafeInteger(code) && Math.abs(code) < 1e15, WHAT, 'expected an integer');
  return utf8Bytes(`${PREFIX}${code}`);
}

/**
 * Decodes an ExitCode payload, tolerating surrounding whitespace.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` when the text is not `EXIT_CODE: <integer>`.
 */
export function decodeExitCode(payload: Uint8Array): number {
  requireShape(payload.length <= MAX_LENGTH, WHAT, 'payload too long for an exit code');
  const match = PATTERN.exec(latin1.decode(payload));
  requireShape(match !== null, WHAT, 'expected "EXIT_CODE: <integer>"');
  return Number(match![1]);
}

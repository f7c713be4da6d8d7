/**
 * Terminal size payload (client -> agent, PayloadType 3), section 14.1: `{"cols":<uint32>,"rows":<uint32>}`.
 */
import { integerField, jsonFields, parseJson, requireShape, UINT32_MAX, utf8Bytes } from './json.js';

/** A terminal size in character cells. */
export interface TerminalSize {
  /** Columns, 0..2^32-1 (the agent truncates to uint16). */
  cols: number;
  /** Rows, 0..2^32-1 (the agent truncates to uint16). */
  rows: number;
}

const WHAT = 'terminal size';
const FIELDS = ['cols', 'rows'] as const;

function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= UINT32_MAX;
}

/**
 * Encodes `{"cols":C,"rows":R}`.
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` unless both are integers in 0..2^32-1.
 */
export function encodeTerminalSize(size: TerminalSize): Uint8Array {
  requireShape(
    isUint32(size.cols) && isUint32(size.rows),
    WHAT,
    'cols and rows must be integers in 0..2^32-1',
  );
  return utf8Bytes(`{"cols":${size.cols},"rows":${size.rows}}`);
}

/**
 * Decodes a terminal size; missing fields read as 0.
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for values outside uint32.
 */
export function decodeTerminalSize(payload: Uint8Array): TerminalSize {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  return { cols: integerField(f.cols, 0, UINT32_MAX, WHAT), rows: integerField(f.rows, 0, UINT32_MAX, WHAT) };
}

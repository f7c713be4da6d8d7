/**
 * The 32-byte MessageType field (header offset 4): ASCII text, right-padded with spaces on write; on read,
 * NULs then whitespace are trimmed at both ends, so space or NUL padding on either side decodes.
 */
import { SsmProtocolError } from '../errors.js';
import { MESSAGE_TYPE_FIELD_SIZE, MessageType } from './constants.js';
import { getTrimmedString } from './primitives.js';

/** Offset of the MessageType field in a frame. */
export const MESSAGE_TYPE_OFFSET = 4;

function paddedField(type: string): Uint8Array {
  const field = new Uint8Array(MESSAGE_TYPE_FIELD_SIZE).fill(0x20);
  for (let i = 0; i < type.length; i++) field[i] = type.charCodeAt(i);
  return field;
}

const KNOWN: readonly string[] = Object.values(MessageType);
const KNOWN_FIELDS = new Map<string, Uint8Array>(KNOWN.map((type) => [type, paddedField(type)]));
/** The known types' padded fields, first bytes and lengths, as parallel arrays for the decode fast path. */
const FAST_FIELDS = KNOWN.map((type) => KNOWN_FIELDS.get(type)!);
const FAST_FIRST = KNOWN.map((type) => type.charCodeAt(0));
const FAST_LENGTH = KNOWN.map((type) => type.length);
/** The known type encoded last, and its field: consecutive messages mostly share a type. */
let lastType: string = MessageType.InputStreamData;
let lastField: Uint8Array = KNOWN_FIELDS.get(lastType)!;

/**
 * Returns the space-padded 32-byte field for `type` (a shared, precomputed array for known types: do not
 * modify it).
 * @throws {SsmProtocolError} `MESSAGE_TYPE_MISSING` for an empty string; `MESSAGE_TYPE_INVALID` when it is
 * longer than 32 characters or holds a character outside printable ASCII 0x21..0x7e (spaces and control
 * characters would not survive the reader's trimming, so they are refused).
 */
export function messageTypeField(type: string): Uint8Array {
  if (type === lastType) return lastField;
  const known = KNOWN_FIELDS.get(type);
  if (known !== undefined) {
    lastType = type;
    lastField = known;
    return known;
  }
  if (typeof type !== 'string' || type.length === 0) {
    throw new SsmProtocolError('MESSAGE_TYPE_MISSING', 'MessageType is missing');
  }
  if (type.length > MESSAGE_TYPE_FIELD_SIZE) {
    throw new SsmProtocolError(
      'MESSAGE_TYPE_INVALID',
      `MessageType is longer than ${MESSAGE_TYPE_FIELD_SIZE} bytes`,
    );
  }
  for (let i = 0; i < type.length; i++) {
    const c = type.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      throw new SsmProtocolError(
        'MESSAGE_TYPE_INVALID',
        'MessageType must be printable ASCII without spaces',
      );
    }
  }
  return paddedField(type);
}

function sameField(frame: Uint8Array, field: Uint8Array): boolean {
  for (let i = 0; i < MESSAGE_TYPE_FIELD_SIZE; i++) {
    if (frame[MESSAGE_TYPE_OFFSET + i] !== field[i]) return false;
  }
  return true;
}

/** The known type whose space-padded field the frame carries, or `undefined`. */
function knownType(frame: Uint8Array): string | undefined {
  const first = frame[MESSAGE_TYPE_OFFSET];
  for (let k = 0; k < FAST_FIELDS.length; k++) {
    if (
      first === FAST_FIRST[k] &&
      frame[MESSAGE_TYPE_OFFSET + FAST_LENGTH[k]!] === 0x20 &&
      sameField(frame, FAST_FIELDS[k]!)
    ) {
      return KNOWN[k];
    }
  }
  return undefined;
}

/**
 * Reads the MessageType of a frame of at least 36 bytes (unchecked). Space-padded known types are matched
 * byte for byte; anything else is trimmed like the official readers (NULs, then whitespace).
 * @throws {SsmProtocolError} `MESSAGE_TYPE_MISSING` when nothing is left after trimming.
 */
export function readMessageType(frame: Uint8Array): string {
  const known = knownType(frame);
  if (known !== undefined) return known;
  const text = getTrimmedString(frame, MESSAGE_TYPE_OFFSET, MESSAGE_TYPE_FIELD_SIZE);
  if (text.length === 0) throw new SsmProtocolError('MESSAGE_TYPE_MISSING', 'MessageType is missing');
  return text;
}

import { AdminShellError } from './errors.js';
import { printableText } from './printable-text.js';

/** The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A short, printable rendering of an option's value for an error message. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(printableText(value, 40));
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null ? 'null' : `a value of type ${typeof value}`;
}

/**
 * Checks an option that counts milliseconds: a whole number from `min` to {@link MAX_TIMER_MS}, the same
 * rule as the `*Ms` options of `ssm-channel`. Returns `fallback` when `value` is `undefined`.
 * @throws {AdminShellError} `INVALID_ARGUMENT` that names the option and the value.
 */
export function checkMilliseconds(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `${name} must be a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}, not ${shownValue(value)}.`,
    );
  }
  return value;
}

/**
 * Checks an optional `signal` option.
 * @throws {AdminShellError} `INVALID_ARGUMENT` when it is given and is not an `AbortSignal`.
 */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new AdminShellError('INVALID_ARGUMENT', `signal must be an AbortSignal, not ${shownValue(value)}.`);
}

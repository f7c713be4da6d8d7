/**
 * Validation of the engines' numeric options.
 */
import { SsmChannelError } from '../errors.js';

/** What a bound may be besides a positive integer. */
export interface BoundRules {
  /** Accept `Infinity` (no bound). @default false */
  allowInfinity?: boolean;
  /** Accept 0. @default false */
  allowZero?: boolean;
}

/**
 * Returns `value ?? fallback` after checking it is a positive integer (or what `rules` allow).
 * @throws {SsmChannelError} `INVALID_ARGUMENT`
 */
export function checkBound(
  name: string,
  value: number | undefined,
  fallback: number,
  rules: BoundRules = {},
): number {
  const v = value ?? fallback;
  if (rules.allowInfinity === true && v === Number.POSITIVE_INFINITY) return v;
  const min = rules.allowZero === true ? 0 : 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new SsmChannelError(
      'INVALID_ARGUMENT',
      `${name} must be ${what}${rules.allowInfinity ? ' or Infinity' : ''}`,
    );
  }
  return v;
}

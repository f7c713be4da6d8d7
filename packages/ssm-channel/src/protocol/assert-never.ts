/**
 * Exhaustiveness check for `switch` statements over the engines' state unions.
 */

/**
 * Marks a branch the type checker proves unreachable.
 * @throws {Error} always, should a value outside the union ever get there.
 */
export function assertNever(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}

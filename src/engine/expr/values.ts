/**
 * The value rules of the expression language, shared by operators and functions.
 *
 * Decisions (documented in docs/expressions.md):
 * - Numbers stay finite. A result that would be NaN or ±Infinity (division or modulo by
 *   zero, `sqrt(-1)`, overflow) is null, and -0 is 0. Null, rather than an error, because a
 *   streaming task that throws on one record fails, restarts, replays the same record and
 *   fails again; null flows on and can be filtered out.
 * - Null propagates through arithmetic and most functions; comparisons with null are false;
 *   conditions treat null as false.
 * - Mixing types an operator does not define (`'a' - 1`, `true * 2`) is a type error:
 *   an `ExpressionError` naming the operator, its column and the types.
 */
import type { Value } from './ast';

/** Is the value a list (the result of `split` or `range`)? */
export function isList(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

/** Normalises a computed number: non-finite becomes null, -0 becomes 0. */
export function finite(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  return n === 0 ? 0 : n;
}

/** The type of a value as named in messages. */
export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (isList(value)) return 'a list';
  switch (typeof value) {
    case 'string': return 'text';
    case 'number': return 'a number';
    default: return 'a boolean';
  }
}

/**
 * `str(x)`: the text form of a value. Numbers print as JavaScript prints them (deterministic
 * shortest round-trip form), null as `null`, lists as JSON.
 */
export function toText(value: Value): string {
  if (typeof value === 'string') return value;
  if (isList(value)) return JSON.stringify(value);
  return String(value);
}

/** Equality without coercion: values of different types are unequal; lists compare by element. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (isList(a) || isList(b)) {
    if (!isList(a) || !isList(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!valuesEqual(a[i] as Value, b[i] as Value)) return false;
    }
    return true;
  }
  return a === b;
}

/** Truth of a condition: only `true` is true and null counts as false; anything else is reported. */
export function conditionValue(value: Value): boolean | undefined {
  if (value === true) return true;
  if (value === false || value === null) return false;
  return undefined;
}

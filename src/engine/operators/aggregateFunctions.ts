/**
 * The catalogue's aggregate functions (`count`, `sum`, `min`, `max`) as Flink-style
 * `AggregateFunction`s over one numeric field, shared by `aggregate` and `window`.
 *
 * Null (a missing field, or an expression's null) is skipped, as SQL aggregates skip NULL:
 * `sum` of only nulls is 0, `min`/`max` of only nulls is null; `count` counts records. A field
 * holding text or a boolean is a user error (the task fails with a `UserFunctionError`), not
 * something to coerce. Accumulators are plain numbers (or null), so they are immutable, as
 * state values must be.
 */
import type { FieldValue } from '../expr';
import type { StreamRecord } from '../runtime/types';
import type { AggregateFunction } from '../state/descriptors';

export type AggregateKind = 'count' | 'sum' | 'min' | 'max';

export const AGGREGATE_KINDS: readonly AggregateKind[] = ['count', 'sum', 'min', 'max'];

/** Accumulator and result of every catalogue aggregate. */
export type NumericAccumulator = number | null;

export type FieldAggregate = AggregateFunction<number | null, NumericAccumulator, NumericAccumulator>;

const count: FieldAggregate = {
  createAccumulator: () => 0,
  add: (_value, acc) => (acc ?? 0) + 1,
  getResult: (acc) => acc,
  merge: (a, b) => (a ?? 0) + (b ?? 0),
};

const sum: FieldAggregate = {
  createAccumulator: () => 0,
  add: (value, acc) => (value === null ? acc : (acc ?? 0) + value),
  getResult: (acc) => acc,
  merge: (a, b) => (a ?? 0) + (b ?? 0),
};

function extreme(pick: (a: number, b: number) => number): FieldAggregate {
  const combine = (a: NumericAccumulator, b: NumericAccumulator): NumericAccumulator => {
    if (a === null) return b;
    if (b === null) return a;
    return pick(a, b);
  };
  return { createAccumulator: () => null, add: (value, acc) => combine(acc, value), getResult: (acc) => acc, merge: combine };
}

const AGGREGATES: Readonly<Record<AggregateKind, FieldAggregate>> = {
  count,
  sum,
  min: extreme(Math.min),
  max: extreme(Math.max),
};

/** The aggregate for a catalogue `fn`. @throws Error on an unknown name. */
export function fieldAggregate(kind: string): FieldAggregate {
  if (!(AGGREGATE_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`Unknown aggregate function '${kind}': use count, sum, min or max.`);
  }
  return AGGREGATES[kind as AggregateKind];
}

/**
 * The numeric input of an aggregate: the field's number, null when absent or null.
 *
 * @throws Error when the field holds text or a boolean (wrapped by the operator).
 */
export function numericInput(record: StreamRecord, field: string): number | null {
  const value: FieldValue | undefined = Object.prototype.hasOwnProperty.call(record, field) ? record[field] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  throw new Error(`field '${field}' holds ${typeof value === 'string' ? 'text' : 'a boolean'} (${JSON.stringify(value)}), not a number.`);
}

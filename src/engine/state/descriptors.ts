/**
 * State descriptors: what an operator declares in `open()` (Flink's `StateDescriptor`s). A
 * descriptor names the state, optionally gives it a TTL, and for reducing and aggregating
 * states carries the function that folds values together.
 */
import type { StateTtlConfig } from './ttl';

interface DescriptorBase {
  /** Unique within the operator; part of every row's address. */
  name: string;
  ttl?: StateTtlConfig;
}

export type ValueStateDescriptor = DescriptorBase;
export type ListStateDescriptor = DescriptorBase;
export type MapStateDescriptor = DescriptorBase;

/** Flink `ReduceFunction`: combines two values into a new one (never mutates either). */
export type ReduceFunction<T> = (accumulated: T, value: T) => T;

export interface ReducingStateDescriptor<T> extends DescriptorBase {
  reduce: ReduceFunction<T>;
}

/**
 * Flink `AggregateFunction`. Accumulators are immutable values (numbers, frozen objects):
 * `add` and `merge` return new ones, because the backend keeps references in snapshots.
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

export interface AggregatingStateDescriptor<IN, ACC, OUT> extends DescriptorBase {
  aggregate: AggregateFunction<IN, ACC, OUT>;
}

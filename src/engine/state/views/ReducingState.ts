/**
 * Flink `ReducingState`: values added for a key are folded into one with a reduce function.
 * Also Flink's `InternalMergingState`: session windows merge namespaces.
 */
import type { StateTtlConfig } from '../ttl';
import type { ReduceFunction } from '../descriptors';
import { AbstractStateView, type CurrentKeyScope } from './AbstractStateView';

export class ReducingState<T> extends AbstractStateView {
  constructor(scope: CurrentKeyScope, name: string, ttl: StateTtlConfig | undefined, private readonly reduce: ReduceFunction<T>) {
    super(scope, name, ttl);
  }

  /** The reduced value, or `undefined` when nothing was added (or it expired). */
  get(): T | undefined {
    return this.readValue<T>(this.namespace, true);
  }

  /** Folds a value into the current key's result. */
  add(value: T): void {
    const current = this.readValue<T>(this.namespace, false);
    this.writeValue(this.namespace, current === undefined ? value : this.reduce(current, value));
  }

  /** Folds the sources' values into the target namespace and clears the sources. */
  mergeNamespaces(target: string, sources: readonly string[]): void {
    let merged = this.readValue<T>(target, false);
    for (const source of sources) {
      if (source === target) continue;
      const value = this.readValue<T>(source, false);
      if (value === undefined) continue;
      this.deleteRow(source);
      merged = merged === undefined ? value : this.reduce(merged, value);
    }
    if (merged !== undefined) this.writeValue(target, merged);
  }
}

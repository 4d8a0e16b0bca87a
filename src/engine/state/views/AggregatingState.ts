/**
 * Flink `AggregatingState`: inputs are added to an accumulator; reads return the result.
 * Also Flink's `InternalMergingState`, so session windows can merge accumulators.
 */
import type { AggregateFunction } from '../descriptors';
import type { StateTtlConfig } from '../ttl';
import { AbstractStateView, type CurrentKeyScope } from './AbstractStateView';

export class AggregatingState<IN, ACC, OUT> extends AbstractStateView {
  constructor(
    scope: CurrentKeyScope,
    name: string,
    ttl: StateTtlConfig | undefined,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(scope, name, ttl);
  }

  /** The result for the current key, or `undefined` when nothing was added (or it expired). */
  get(): OUT | undefined {
    const accumulator = this.readValue<ACC>(this.namespace, true);
    return accumulator === undefined ? undefined : this.fn.getResult(accumulator);
  }

  /** Adds an input to the current key's accumulator. */
  add(value: IN): void {
    const accumulator = this.readValue<ACC>(this.namespace, false) ?? this.fn.createAccumulator();
    this.writeValue(this.namespace, this.fn.add(value, accumulator));
  }

  /** Merges the sources' accumulators into the target namespace and clears the sources. */
  mergeNamespaces(target: string, sources: readonly string[]): void {
    let merged = this.readValue<ACC>(target, false);
    for (const source of sources) {
      if (source === target) continue;
      const accumulator = this.readValue<ACC>(source, false);
      if (accumulator === undefined) continue;
      this.deleteRow(source);
      merged = merged === undefined ? accumulator : this.fn.merge(merged, accumulator);
    }
    if (merged !== undefined) this.writeValue(target, merged);
  }
}

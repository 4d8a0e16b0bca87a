/** Flink `ValueState`: one value per key (and namespace). */
import { AbstractStateView } from './AbstractStateView';

export class ValueState<T> extends AbstractStateView {
  /** The current key's value, or `undefined` when absent or expired. */
  value(): T | undefined {
    return this.readValue<T>(this.namespace, true);
  }

  /** Sets the current key's value (creates or overwrites; refreshes TTL). */
  update(value: T): void {
    this.writeValue(this.namespace, value);
  }
}

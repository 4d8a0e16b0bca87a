/**
 * Flink `ListState`: a list per key. Stored lists are immutable, so `add` copies (O(n) per
 * add): fine for the short lists operators keep here; a long-list state would want the
 * IndexedDB backend's chunked rows instead. With TTL each element carries its own expiry,
 * as in Flink's `TtlListState`.
 */
import type { TtlValue } from '../ttl';
import { isExpired, refreshesOnRead, ttlWrap } from '../ttl';
import { AbstractStateView } from './AbstractStateView';

export class ListState<T> extends AbstractStateView {
  /** The current key's elements (live ones only under TTL); empty when none. */
  get(): readonly T[] {
    const stored = this.getRow(this.namespace) as readonly unknown[] | undefined;
    if (stored === undefined) return [];
    const ttl = this.ttl;
    if (ttl === undefined) return stored as readonly T[];
    const now = this.now();
    const alive = (stored as readonly TtlValue<T>[]).filter((element) => !isExpired(element, now));
    if (alive.length === 0) {
      this.deleteRow(this.namespace);
      return [];
    }
    if (refreshesOnRead(ttl)) this.putRow(this.namespace, alive.map((element) => ttlWrap(element.v, ttl, now)));
    else if (alive.length !== stored.length) this.putRow(this.namespace, alive);
    return alive.map((element) => element.v);
  }

  add(value: T): void {
    this.addAll([value]);
  }

  /** Appends values (one copy of the list for all of them). */
  addAll(values: readonly T[]): void {
    if (values.length === 0) return;
    const stored = (this.getRow(this.namespace) as readonly unknown[] | undefined) ?? [];
    this.putRow(this.namespace, [...this.liveStored(stored), ...this.wrapAll(values)]);
  }

  /** Replaces the list; an empty list clears the row. */
  update(values: readonly T[]): void {
    if (values.length === 0) this.clear();
    else this.putRow(this.namespace, this.wrapAll(values));
  }

  private liveStored(stored: readonly unknown[]): readonly unknown[] {
    if (this.ttl === undefined) return stored;
    const now = this.now();
    return (stored as readonly TtlValue<T>[]).filter((element) => !isExpired(element, now));
  }

  private wrapAll(values: readonly T[]): unknown[] {
    for (const value of values) {
      if (value === undefined) throw new Error(`List state '${this.name}': cannot store undefined elements.`);
    }
    const ttl = this.ttl;
    if (ttl === undefined) return [...values];
    const now = this.now();
    return values.map((value) => ttlWrap(value, ttl, now));
  }
}

/**
 * Flink `MapState` with text map keys. A key's map is stored as one immutable `Map` row and
 * copied on write (O(size) per put), which suits the small per-key maps of this catalogue and
 * keeps one row per key for the IndexedDB backend's prepare-by-key. With TTL each entry
 * carries its own expiry, as in Flink's `TtlMapState`.
 */
import type { TtlValue } from '../ttl';
import { isExpired, refreshesOnRead, ttlWrap } from '../ttl';
import { AbstractStateView } from './AbstractStateView';

export class MapState<V> extends AbstractStateView {
  /** The value under `mapKey`, or `undefined`. */
  get(mapKey: string): V | undefined {
    const stored = this.stored();
    const raw = stored?.get(mapKey);
    if (raw === undefined) return undefined;
    const ttl = this.ttl;
    if (ttl === undefined) return raw as V;
    const entry = raw as TtlValue<V>;
    const now = this.now();
    if (isExpired(entry, now)) {
      this.write(stored as Map<string, unknown>, (copy) => copy.delete(mapKey));
      return undefined;
    }
    if (refreshesOnRead(ttl)) this.write(stored as Map<string, unknown>, (copy) => copy.set(mapKey, ttlWrap(entry.v, ttl, now)));
    return entry.v;
  }

  contains(mapKey: string): boolean {
    return this.get(mapKey) !== undefined;
  }

  put(mapKey: string, value: V): void {
    if (value === undefined) throw new Error(`Map state '${this.name}': cannot store undefined; use remove().`);
    const ttl = this.ttl;
    const stored = this.stored() ?? new Map<string, unknown>();
    this.write(stored, (copy) => copy.set(mapKey, ttl === undefined ? value : ttlWrap(value, ttl, this.now())));
  }

  remove(mapKey: string): void {
    const stored = this.stored();
    if (stored === undefined || !stored.has(mapKey)) return;
    this.write(stored, (copy) => copy.delete(mapKey));
  }

  /** Live entries in insertion order (a copy; refreshed under `OnReadAndWrite`). */
  entries(): [string, V][] {
    const stored = this.stored();
    if (stored === undefined) return [];
    const ttl = this.ttl;
    if (ttl === undefined) return [...(stored as Map<string, V>)];
    const now = this.now();
    const alive: [string, V][] = [];
    for (const [k, raw] of stored as Map<string, TtlValue<V>>) if (!isExpired(raw, now)) alive.push([k, raw.v]);
    if (refreshesOnRead(ttl) || alive.length !== stored.size) {
      this.replace(new Map(alive.map(([k, v]) => [k, refreshesOnRead(ttl) ? ttlWrap(v, ttl, now) : (stored.get(k) as TtlValue<V>)])));
    }
    return alive;
  }

  keys(): string[] {
    return this.entries().map(([k]) => k);
  }

  values(): V[] {
    return this.entries().map(([, v]) => v);
  }

  isEmpty(): boolean {
    return this.entries().length === 0;
  }

  private stored(): Map<string, unknown> | undefined {
    return this.getRow(this.namespace) as Map<string, unknown> | undefined;
  }

  private write(stored: Map<string, unknown>, change: (copy: Map<string, unknown>) => void): void {
    const copy = new Map(stored);
    change(copy);
    this.replace(copy);
  }

  private replace(map: Map<string, unknown>): void {
    if (map.size === 0) this.deleteRow(this.namespace);
    else this.putRow(this.namespace, map);
  }
}

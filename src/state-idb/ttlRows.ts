/**
 * TTL on the IndexedDB backend's rows (DESIGN.md §5, "TTL honoured on every path"): rows of a
 * TTL state hold `TtlValue` envelopes (engine/state/ttl.ts). Two uses here:
 * - eviction: the shared cache evicts an entry first when every row of it is expired;
 * - compaction (after RocksDB's `CompactionFilter`, which Flink's `StateTtlConfig
 *   .cleanupInRocksdbCompactFilter` plugs into): merges and GC folds drop expired rows, so
 *   rows nobody reads again leave the disk too.
 */
import { purgeExpired } from '../engine/state/ttl';
import type { RowFilter } from './shardOps';

/** The compaction filter at `nowMs`; undefined when no state has a TTL (nothing to drop). */
export function ttlFilter(ttlStates: ReadonlySet<string>, nowMs: number): RowFilter | undefined {
  if (ttlStates.size === 0) return undefined;
  return (stateName, value) => (ttlStates.has(stateName) ? purgeExpired(value, nowMs) : value);
}

/** Is every row of a flat `[stateName, userKey, value]` list a TTL row expired at `nowMs`? */
export function allRowsExpired(ttlStates: ReadonlySet<string>, rows: readonly unknown[], nowMs: number): boolean {
  for (let i = 0; i < rows.length; i += 3) {
    if (!ttlStates.has(rows[i] as string) || purgeExpired(rows[i + 2], nowMs) !== undefined) return false;
  }
  return true;
}

/**
 * Shard-level IndexedDB operations on the chunk layout (schema.ts): key ranges, loading a key
 * group by folding its chunks in version order (per record key, for the cache), overlaying
 * pending writes, and folding old versions into one chunk.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type { StateTx, StateWriteTx } from './IdbStateStorage';
import type { ChunkKey, ChunkRow, MetaKey, ShardMeta } from './schema';
import { DELETED, recordKeyOf, removeRow, setRow, type WriteBatch } from './WriteBatch';

/** A loaded key group: record key → flat `[stateName, userKey, value]` rows. */
export type KeyTable = Map<string, unknown[]>;

/** Folds chunks (in version order) into rows per record key. */
export function foldByKey(chunks: readonly ChunkRow[]): KeyTable {
  const table: KeyTable = new Map();
  for (const chunk of chunks) {
    for (const [stateName, userKey] of chunk.deletes) {
      const rows = table.get(recordKeyOf(userKey));
      if (rows !== undefined) removeRow(rows, stateName, userKey);
    }
    for (const [stateName, userKey, value] of chunk.puts) writeRow(table, stateName, userKey, value);
  }
  return table;
}

/** Applies pending batches (oldest first) over a loaded key group. */
export function overlayPending(table: KeyTable, keyGroup: number, batches: readonly WriteBatch[]): void {
  for (const batch of batches) {
    batch.forEachOf(keyGroup, (stateName, userKey, value) => {
      if (value === DELETED) {
        const rows = table.get(recordKeyOf(userKey));
        if (rows !== undefined) removeRow(rows, stateName, userKey);
      } else {
        writeRow(table, stateName, userKey, value);
      }
    });
  }
}

function writeRow(table: KeyTable, stateName: string, userKey: string, value: unknown): void {
  const key = recordKeyOf(userKey);
  let rows = table.get(key);
  if (rows === undefined) {
    rows = [];
    table.set(key, rows);
  }
  setRow(rows, stateName, userKey, value);
}

/** Rows in a loaded key group. */
export function countRows(table: KeyTable): number {
  let n = 0;
  for (const rows of table.values()) n += rows.length / 3;
  return n;
}

/** A rough size of a value when serialised (strings as UTF-16), for bytes figures; depth-limited. */
export function approxBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 2 * value.length + 8;
  if (typeof value === 'number') return 8;
  if (typeof value !== 'object' || value === null) return 4;
  if (depth > 2) return 64;
  let n = 16;
  if (Array.isArray(value)) for (const item of value) n += approxBytes(item, depth + 1);
  else if (value instanceof Map) for (const [k, v] of value) n += approxBytes(k, depth + 1) + approxBytes(v, depth + 1);
  else for (const [k, v] of Object.entries(value)) n += 2 * k.length + approxBytes(v, depth + 1);
  return n;
}

/**
 * A compaction filter (after RocksDB's `CompactionFilter`): the row as it should survive a
 * merge — the value itself, a pruned value (expired list elements or map entries removed), or
 * `undefined` when nothing of it is alive (an expired TTL row).
 */
export type RowFilter = (stateName: string, value: unknown) => unknown;

/**
 * Merges delta chunks (in version order) into one delta: the last write to an address wins,
 * deletions are kept (they may hide rows of older versions underneath). A put the filter
 * drops becomes a deletion for the same reason: an older version may hold the address.
 */
export function mergeDeltas(chunks: readonly ChunkRow[], filter?: RowFilter): ChunkRow {
  // state → userKey → newest value or DELETED (nested, so no address string is built per row).
  const last = new Map<string, Map<string, unknown>>();
  const rowsOf = (stateName: string): Map<string, unknown> => {
    let rows = last.get(stateName);
    if (rows === undefined) last.set(stateName, (rows = new Map()));
    return rows;
  };
  for (const chunk of chunks) {
    for (const [stateName, userKey] of chunk.deletes) rowsOf(stateName).set(userKey, DELETED);
    for (const [stateName, userKey, value] of chunk.puts) rowsOf(stateName).set(userKey, value);
  }
  const merged: ChunkRow = { puts: [], deletes: [] };
  for (const [stateName, rows] of last) {
    for (const [userKey, value] of rows) {
      const kept = value === DELETED || filter === undefined ? value : filter(stateName, value);
      if (kept === DELETED || kept === undefined) merged.deletes.push([stateName, userKey]);
      else merged.puts.push([stateName, userKey, kept]);
    }
  }
  return merged;
}

/**
 * Merges a shard's chunks newer than `sealedVersion` into one chunk at the newest of them (a
 * seal: no checkpoint needs them apart) and returns how many rows that chunk carries, i.e.
 * the rows changed since the last seal. Reads only those chunks, so its cost follows the
 * change since the last checkpoint, never the shard's size.
 */
export async function compactTail(tx: StateWriteTx, meta: ShardMeta, sealedVersion: number, filter?: RowFilter): Promise<{ changed: number; rowsRead: number }> {
  const tail = chunkRange(meta.operatorId, meta.keyGroup, sealedVersion);
  const chunks = await tx.objectStore('chunks').getAll(tail);
  if (chunks.length === 1 && filter === undefined) {
    const only = chunks[0] as ChunkRow;
    return { changed: only.puts.length + only.deletes.length, rowsRead: 1 };
  }
  const merged = mergeDeltas(chunks, filter);
  await tx.objectStore('chunks').delete(tail);
  await tx.objectStore('chunks').put(merged, [meta.operatorId, meta.keyGroup, meta.nextVersion - 1]);
  return { changed: merged.puts.length + merged.deletes.length, rowsRead: chunks.length };
}

/** The chunks of one shard in version order. */
export function readShardChunks(tx: StateTx, operatorId: string, keyGroup: number): Promise<ChunkRow[]> {
  return tx.objectStore('chunks').getAll(chunkRange(operatorId, keyGroup));
}

type Table = Map<string, Map<string, unknown>>;

export function newShardMeta(operatorId: string, keyGroup: number): ShardMeta {
  return { kind: 'shard', operatorId, keyGroup, nextVersion: 0, seals: [] };
}

/** The meta rows of an operator's shards in a key-group range. */
export function shardMetaRange(operatorId: string, range: KeyGroupRange): IDBKeyRange {
  const lower: MetaKey = ['shard', operatorId, range.start];
  const upper: MetaKey = ['shard', operatorId, range.end];
  return IDBKeyRange.bound(lower, upper);
}

/** A shard's chunks with versions above `afterVersion` (all of them by default). */
export function chunkRange(operatorId: string, keyGroup: number, afterVersion = -Infinity): IDBKeyRange {
  const lower: ChunkKey = [operatorId, keyGroup, afterVersion];
  const upper: ChunkKey = [operatorId, keyGroup, Infinity];
  return IDBKeyRange.bound(lower, upper, true, false);
}

/** Applies one delta chunk to a table. */
export function applyChunk(table: Table, chunk: ChunkRow): void {
  for (const [stateName, userKey] of chunk.deletes) table.get(stateName)?.delete(userKey);
  for (const [stateName, userKey, value] of chunk.puts) {
    let rows = table.get(stateName);
    if (rows === undefined) {
      rows = new Map();
      table.set(stateName, rows);
    }
    rows.set(userKey, value);
  }
}


/** What one shard's fold removed (see {@link foldShard}). */
export interface FoldResult {
  /** Chunk rows (IndexedDB rows) removed. */
  chunks: number;
  /** Seals (shard versions) merged away. */
  versions: number;
  /** State rows (puts and deletes) the folded chunks held beyond the merged chunk, and their approximate bytes. */
  rows: number;
  bytes: number;
}

const NOTHING_FOLDED: FoldResult = { chunks: 0, versions: 0, rows: 0, bytes: 0 };

function rowBytes(stateName: string, userKey: string, value?: unknown): number {
  return approxBytes(stateName) + approxBytes(userKey) + (value === undefined ? 0 : approxBytes(value));
}

/**
 * Garbage collection when every checkpoint before `checkpointId` is released: the shard's
 * state at `checkpointId` is its last seal at or before it; the chunks up to that seal fold
 * into one chunk at its version, and older seals are dropped. What is left is exactly what
 * the retained checkpoints need: one base row plus one delta row per later seal.
 * Rows the filter drops (expired TTL rows, a compaction filter) are left out: the folded
 * chunk is the oldest version, with nothing beneath it. Returns what the fold removed.
 */
export async function foldShard(
  tx: StateWriteTx,
  meta: ShardMeta,
  checkpointId: number,
  filterAt?: (nowMs: number) => RowFilter | undefined,
): Promise<FoldResult> {
  let count = 0;
  while (count < meta.seals.length && (meta.seals[count]?.checkpointId ?? Infinity) <= checkpointId) count++;
  if (count < 2) return NOTHING_FOLDED;
  const keep = meta.seals[count - 1];
  if (keep === undefined) return NOTHING_FOLDED;
  const range = IDBKeyRange.bound([meta.operatorId, meta.keyGroup, -Infinity], [meta.operatorId, meta.keyGroup, keep.version]);
  const chunks = await tx.objectStore('chunks').getAll(range);
  const table: Table = new Map();
  let rowsBefore = 0;
  let bytesBefore = 0;
  for (const chunk of chunks) {
    applyChunk(table, chunk);
    rowsBefore += chunk.puts.length + chunk.deletes.length;
    for (const [stateName, userKey, value] of chunk.puts) bytesBefore += rowBytes(stateName, userKey, value);
    for (const [stateName, userKey] of chunk.deletes) bytesBefore += rowBytes(stateName, userKey);
  }
  // Expiry as of when the kept checkpoint was taken: what is expired then is expired for any
  // restore of it (virtual time never runs backwards past a checkpoint).
  const filter = keep.atMs === undefined ? undefined : filterAt?.(keep.atMs);
  const merged: ChunkRow = { puts: [], deletes: [] };
  let bytesAfter = 0;
  // The oldest version has nothing beneath it, so its deletions carry no information.
  for (const [stateName, rows] of table) {
    for (const [userKey, value] of rows) {
      const kept = filter === undefined ? value : filter(stateName, value);
      if (kept === undefined) continue;
      merged.puts.push([stateName, userKey, kept]);
      bytesAfter += rowBytes(stateName, userKey, kept);
    }
  }
  await tx.objectStore('chunks').delete(range);
  await tx.objectStore('chunks').put(merged, [meta.operatorId, meta.keyGroup, keep.version]);
  meta.seals.splice(0, count, { ...keep, entries: merged.puts.length, rows: merged.puts.length });
  await tx.objectStore('meta').put(meta, ['shard', meta.operatorId, meta.keyGroup]);
  return { chunks: chunks.length - 1, versions: count - 1, rows: rowsBefore - merged.puts.length, bytes: Math.max(0, bytesBefore - bytesAfter) };
}

/**
 * Shard-level IndexedDB operations on the chunk layout (schema.ts): key ranges, loading a key
 * group by folding its chunks in version order, and folding old versions into one chunk.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type { StateTx, StateWriteTx } from './IdbStateStorage';
import type { ChunkKey, ChunkRow, MetaKey, ShardMeta } from './schema';

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

/** A key group's live rows: its chunks folded in version order. */
export async function loadShardRows(tx: StateTx, operatorId: string, keyGroup: number): Promise<Table> {
  const chunks = await tx.objectStore('chunks').getAll(chunkRange(operatorId, keyGroup));
  const table: Table = new Map();
  for (const chunk of chunks) applyChunk(table, chunk);
  return table;
}

/**
 * Folds the chunks of every version older than `checkpointId` into one chunk at the newest of
 * those versions (no retained checkpoint needs them apart); the seals before it are dropped.
 */
export async function foldShard(tx: StateWriteTx, meta: ShardMeta, checkpointId: number): Promise<void> {
  let count = 0;
  while (count < meta.seals.length && (meta.seals[count]?.checkpointId ?? Infinity) < checkpointId) count++;
  if (count < 2) return;
  const keep = meta.seals[count - 1];
  if (keep === undefined) return;
  const range = IDBKeyRange.bound([meta.operatorId, meta.keyGroup, -Infinity], [meta.operatorId, meta.keyGroup, keep.version]);
  const chunks = await tx.objectStore('chunks').getAll(range);
  const table: Table = new Map();
  for (const chunk of chunks) applyChunk(table, chunk);
  const merged: ChunkRow = { puts: [], deletes: [] };
  // The oldest version has nothing beneath it, so its deletions carry no information.
  for (const [stateName, rows] of table) for (const [userKey, value] of rows) merged.puts.push([stateName, userKey, value]);
  await tx.objectStore('chunks').delete(range);
  await tx.objectStore('chunks').put(merged, [meta.operatorId, meta.keyGroup, keep.version]);
  meta.seals.splice(0, count, keep);
  await tx.objectStore('meta').put(meta, ['shard', meta.operatorId, meta.keyGroup]);
}

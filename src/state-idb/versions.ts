/**
 * Shard versions on disk (DESIGN.md §5, "snapshots per shard, metadata-only"): sealing a
 * checkpoint, reverting to one, and checking that a checkpoint's marker still exists.
 *
 * A shard's chunk rows carry growing versions; a seal records "checkpoint n = chunks up to
 * version v". Sealing writes one meta row per *changed* shard plus one strict-durability
 * marker, so its cost follows the change, never the state. Reverting deletes the chunks newer
 * than the restored version (that history was abandoned) and touches no other row.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type { KeyGroupFigures, KeyedStateSnapshot } from '../engine/state/types';
import { StateDatabaseLostError } from './errors';
import type { StateTx, StateWriteTx } from './IdbStateStorage';
import type { ShardMeta } from './schema';
import { chunkRange, newShardMeta, shardMetaRange } from './shardOps';

/** What a seal needs to know about a shard beyond its meta row. */
export interface ShardFigures {
  /** Rows now, when known. */
  entries: number | undefined;
  /** Rows changed since the last seal. */
  changed: number;
}

/** The meta rows of a range, by key group. */
export async function readShardMetas(tx: StateTx, operatorId: string, range: KeyGroupRange): Promise<Map<number, ShardMeta>> {
  const rows = await tx.objectStore('meta').getAll(shardMetaRange(operatorId, range));
  const metas = new Map<number, ShardMeta>();
  for (const row of rows) if (row.kind === 'shard') metas.set(row.keyGroup, row);
  return metas;
}

/** A shard's meta row, or a fresh one. */
export async function shardMeta(tx: StateTx, operatorId: string, keyGroup: number): Promise<ShardMeta> {
  const stored = await tx.objectStore('meta').get(['shard', operatorId, keyGroup]);
  return stored?.kind === 'shard' ? stored : newShardMeta(operatorId, keyGroup);
}

/** @throws Error when some shard already sealed a checkpoint id at or above `checkpointId`. */
export function assertGrowing(metas: Iterable<ShardMeta>, checkpointId: number): void {
  for (const meta of metas) {
    const last = meta.seals[meta.seals.length - 1];
    if (last !== undefined && !(checkpointId > last.checkpointId)) {
      throw new Error(`Key group ${meta.keyGroup}: snapshot ${checkpointId} is not newer than version ${last.checkpointId}; checkpoint ids must grow.`);
    }
  }
}

/**
 * Seals version `checkpointId` of every shard with chunks newer than its last seal, writes the
 * strict marker, and returns the handle. `figures` supplies counts of the shards that changed.
 */
export async function sealShards(
  tx: StateWriteTx,
  handleBase: Omit<KeyedStateSnapshot, 'keyGroups' | 'totalEntries' | 'changedEntries'>,
  metas: Map<number, ShardMeta>,
  figures: (keyGroup: number) => ShardFigures,
): Promise<{ snapshot: KeyedStateSnapshot; versions: number }> {
  const keyGroups: KeyGroupFigures[] = [];
  let totalEntries = 0;
  let changedEntries = 0;
  let versions = 0;
  for (const meta of [...metas.values()].sort((a, b) => a.keyGroup - b.keyGroup)) {
    const last = meta.seals[meta.seals.length - 1];
    const head = meta.nextVersion - 1;
    let entries = last?.entries ?? 0;
    let changed = 0;
    if (head > (last?.version ?? -1)) {
      const known = figures(meta.keyGroup);
      entries = known.entries ?? meta.entries ?? entries;
      changed = known.changed;
      meta.seals.push({ checkpointId: handleBase.checkpointId, version: head, entries });
      meta.entries = entries;
      await tx.objectStore('meta').put(meta, ['shard', meta.operatorId, meta.keyGroup]);
    }
    versions += meta.seals.length;
    if (entries > 0 || changed > 0) keyGroups.push({ keyGroup: meta.keyGroup, entries, changed });
    totalEntries += entries;
    changedEntries += changed;
  }
  const snapshot: KeyedStateSnapshot = { ...handleBase, keyGroupRange: { ...handleBase.keyGroupRange }, keyGroups, totalEntries, changedEntries };
  await tx.objectStore('meta').put(
    { kind: 'checkpoint', operatorId: snapshot.operatorId, checkpointId: snapshot.checkpointId, handle: snapshot },
    ['checkpoint', snapshot.operatorId, snapshot.checkpointId, snapshot.keyGroupRange.start],
  );
  return { snapshot, versions };
}

/**
 * @throws StateDatabaseLostError when a snapshot's strict marker is missing: the database was
 * deleted or evicted since, and its state must not be read as empty.
 */
export async function assertMarkers(tx: StateTx, databaseName: string, snapshots: readonly KeyedStateSnapshot[]): Promise<void> {
  for (const s of snapshots) {
    const marker = await tx.objectStore('meta').get(['checkpoint', s.operatorId, s.checkpointId, s.keyGroupRange.start]);
    if (marker === undefined) {
      throw new StateDatabaseLostError(databaseName, `the marker of checkpoint ${s.checkpointId} of operator ${s.operatorId} is missing`);
    }
  }
}

/** Drops chunks newer than each owned shard's restored version (metadata and deletes only). Returns retained versions. */
export async function revertShards(
  tx: StateWriteTx,
  operatorId: string,
  range: KeyGroupRange,
  snapshots: readonly KeyedStateSnapshot[],
): Promise<number> {
  const metas = await readShardMetas(tx, operatorId, range);
  let versions = 0;
  for (const meta of metas.values()) {
    const covering = snapshots.find((s) => meta.keyGroup >= s.keyGroupRange.start && meta.keyGroup <= s.keyGroupRange.end);
    const target = covering?.checkpointId ?? -Infinity;
    meta.seals = meta.seals.filter((s) => s.checkpointId <= target);
    const kept = meta.seals[meta.seals.length - 1];
    meta.entries = kept?.entries ?? 0;
    await tx.objectStore('chunks').delete(chunkRange(operatorId, meta.keyGroup, kept?.version ?? -1));
    await tx.objectStore('meta').put(meta, ['shard', operatorId, meta.keyGroup]);
    versions += meta.seals.length;
  }
  return versions;
}

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
import { chunkRange, compactTail, newShardMeta, shardMetaRange, type RowFilter } from './shardOps';

/** What a seal needs to know about a shard beyond its meta row. */
export interface SealContext {
  /** Rows the shard holds now, when known. */
  entries: (keyGroup: number) => number | undefined;
  /** Approximate bytes of those rows, when known (the handle's per-key-group sizes). */
  bytes?: (keyGroup: number) => number | undefined;
  /** Virtual time of the seal (recorded for TTL compaction). */
  nowMs: number;
  /** Drops expired TTL rows while the tail is merged (see shardOps.compactTail). */
  filter?: RowFilter;
  /** Chunk rows read (the storage's figures). */
  onRowsRead: (rows: number) => void;
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
 * Seals version `checkpointId` of every shard with chunks newer than its last seal: merges
 * those chunks into one (which also counts the rows changed since the last seal, in time
 * proportional to that change), records the seal, writes the strict marker and returns the
 * handle. Shards without new chunks cost nothing but their figures.
 */
export async function sealShards(
  tx: StateWriteTx,
  handleBase: Omit<KeyedStateSnapshot, 'keyGroups' | 'totalEntries' | 'changedEntries'>,
  metas: Map<number, ShardMeta>,
  context: SealContext,
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
      const tail = await compactTail(tx, meta, last?.version ?? -1, context.filter);
      context.onRowsRead(tail.rowsRead);
      changed = tail.changed;
      entries = context.entries(meta.keyGroup) ?? meta.entries ?? entries;
      const seal: ShardMeta['seals'][number] = { checkpointId: handleBase.checkpointId, version: head, entries, atMs: context.nowMs, rows: changed };
      const bytes = context.bytes?.(meta.keyGroup);
      if (bytes !== undefined) seal.bytes = bytes;
      meta.seals.push(seal);
      meta.entries = entries;
      await tx.objectStore('meta').put(meta, ['shard', meta.operatorId, meta.keyGroup]);
    }
    versions += meta.seals.length;
    const sealedBytes = meta.seals[meta.seals.length - 1]?.bytes;
    if (entries > 0 || changed > 0) {
      keyGroups.push(sealedBytes === undefined ? { keyGroup: meta.keyGroup, entries, changed } : { keyGroup: meta.keyGroup, entries, changed, bytes: sealedBytes });
    }
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

/** What reverting a range to some snapshots means for its shards (see {@link revertShards}). */
export interface RevertPlan {
  /** Versions the shards keep. */
  versions: number;
  /** Shards with chunks or seals newer than their restored version, with what they keep. */
  changes: { meta: ShardMeta; seals: ShardMeta['seals']; keptVersion: number; entries: number }[];
}

/** Decides, from the shards' meta rows alone, which shards a revert to `snapshots` must change. */
export function planRevert(metas: Map<number, ShardMeta>, snapshots: readonly KeyedStateSnapshot[]): RevertPlan {
  const plan: RevertPlan = { versions: 0, changes: [] };
  for (const meta of metas.values()) {
    const covering = snapshots.find((s) => meta.keyGroup >= s.keyGroupRange.start && meta.keyGroup <= s.keyGroupRange.end);
    const target = covering?.checkpointId ?? -Infinity;
    const seals = meta.seals.filter((s) => s.checkpointId <= target);
    const kept = seals[seals.length - 1];
    const keptVersion = kept?.version ?? -1;
    plan.versions += seals.length;
    if (seals.length === meta.seals.length && meta.nextVersion - 1 <= keptVersion) continue;
    plan.changes.push({ meta, seals, keptVersion, entries: kept?.entries ?? 0 });
  }
  return plan;
}

/**
 * Drops chunks newer than each owned shard's restored version (metadata and deletes only; no
 * state row is written or moved). A shard already at its restored version is not touched, so
 * restoring the latest checkpoint, as a rescale does, writes nothing. Returns retained versions.
 */
export async function revertShards(
  tx: StateWriteTx,
  operatorId: string,
  range: KeyGroupRange,
  snapshots: readonly KeyedStateSnapshot[],
): Promise<number> {
  const plan = planRevert(await readShardMetas(tx, operatorId, range), snapshots);
  for (const { meta, seals, keptVersion, entries } of plan.changes) {
    meta.seals = seals;
    meta.entries = entries;
    await tx.objectStore('chunks').delete(chunkRange(operatorId, meta.keyGroup, keptVersion));
    await tx.objectStore('meta').put(meta, ['shard', operatorId, meta.keyGroup]);
  }
  return plan.versions;
}

/**
 * @throws Error when a snapshot belongs to another operator or max parallelism, or two
 * snapshots claim the same key group (restore takes one snapshot per key group).
 */
export function assertRestorable(operatorId: string, maxParallelism: number, snapshots: readonly KeyedStateSnapshot[]): void {
  for (const snapshot of snapshots) {
    if (snapshot.operatorId !== operatorId || snapshot.maxParallelism !== maxParallelism) {
      throw new Error(
        `Cannot restore operator ${operatorId} (max parallelism ${maxParallelism}) from a snapshot of ` +
          `${snapshot.operatorId} (max parallelism ${snapshot.maxParallelism}).`,
      );
    }
  }
  const sorted = [...snapshots].sort((a, b) => a.keyGroupRange.start - b.keyGroupRange.start);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as KeyedStateSnapshot;
    const current = sorted[i] as KeyedStateSnapshot;
    if (current.keyGroupRange.start <= previous.keyGroupRange.end) {
      throw new Error(
        `Snapshots ${previous.checkpointId} and ${current.checkpointId} of operator ${current.operatorId} both cover key group ` +
          `${current.keyGroupRange.start}; restore from one snapshot per key group.`,
      );
    }
  }
}

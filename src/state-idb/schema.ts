/**
 * The IndexedDB layout of keyed state (DESIGN.md §5, STYLE.md habit 6): one database per job.
 *
 * - `chunks`: one row per (operator, key group, version) holding *many* state entries (a delta
 *   of puts and deletes). IndexedDB commits ~15 k rows/s however batched but ~3 M records/s in
 *   rows of ~1000 records (reference/browser-limits.md c), so a flush writes one row per dirty
 *   key group, never one row per key. A key group's live state is its chunks folded in version
 *   order; a key group's rows are one contiguous key range `[op, kg, *]`.
 * - `meta`: per-shard bookkeeping (`['shard', op, kg]`: next chunk version, sealed versions per
 *   checkpoint, row count) and checkpoint markers (`['checkpoint', op, checkpointId, rangeStart]`,
 *   written with durability 'strict').
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

/** Store names, in one place. */
export const STORES = { chunks: 'chunks', meta: 'meta' } as const;

/** Changing the schema needs a migration: bump the version and add a step to `upgrade`. */
export const DB_VERSION = 1;

/** The default database name prefix; the job id completes it (one database per job). */
export const DB_NAME_PREFIX = 'sluice-state-';

/** A state entry in a chunk: `[stateName, userKey, value]`. */
export type ChunkEntry = [stateName: string, userKey: string, value: unknown];
/** A deletion in a chunk: `[stateName, userKey]`. */
export type ChunkDeletion = [stateName: string, userKey: string];

export type ChunkKey = [operatorId: string, keyGroup: number, version: number];

export interface ChunkRow {
  puts: ChunkEntry[];
  deletes: ChunkDeletion[];
}

/** A checkpoint's version of a shard: chunks up to `version` (inclusive) make up the state at `checkpointId`. */
export interface SealRecord {
  checkpointId: number;
  version: number;
  /** Rows the shard held at this checkpoint. */
  entries: number;
}

export interface ShardMeta {
  kind: 'shard';
  operatorId: string;
  keyGroup: number;
  /** The version the next chunk gets (versions only grow, even across restores). */
  nextVersion: number;
  /** Ascending by checkpoint id. */
  seals: SealRecord[];
}

export interface CheckpointMarker {
  kind: 'checkpoint';
  operatorId: string;
  checkpointId: number;
  /** The snapshot handle, as returned by `snapshot`. */
  handle: unknown;
}

export type MetaKey = ['shard', string, number] | ['checkpoint', string, number, number];

export interface StateDbSchema extends DBSchema {
  chunks: { key: ChunkKey; value: ChunkRow };
  meta: { key: MetaKey; value: ShardMeta | CheckpointMarker };
}

export type StateDb = IDBPDatabase<StateDbSchema>;

/** The one upgrade function, for every version. */
function upgrade(db: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORES.chunks);
    db.createObjectStore(STORES.meta);
  }
}

/**
 * Opens (creating or upgrading) a job's state database through an injectable factory (the
 * browser's `indexedDB`, or fake-indexeddb in Node). `onVersionChange` runs when another tab
 * upgrades or deletes the database; the connection is closed first.
 */
export async function openStateDb(name: string, factory: IDBFactory, onVersionChange?: () => void): Promise<StateDb> {
  const request = factory.open(name, DB_VERSION);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  const db = (await wrap(request)) as unknown as StateDb;
  db.addEventListener('versionchange', () => {
    db.close();
    onVersionChange?.();
  });
  return db;
}

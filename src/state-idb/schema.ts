/**
 * The IndexedDB layout of keyed state (DESIGN.md §5, STYLE.md habit 6): one database per job.
 *
 * - `chunks`: one row per (operator, key group, version) holding *many* state entries (a delta
 *   of puts and deletes). IndexedDB commits ~15 k rows/s however batched but ~3 M records/s in
 *   rows of ~1000 records (reference/browser-limits.md c), so a flush writes one row per dirty
 *   key group, never one row per key. A key group's live state is its chunks folded in version
 *   order; a key group's rows are one contiguous key range `[op, kg, *]`.
 * - `meta`: per-shard bookkeeping (`['shard', op, kg]`: next chunk version, sealed versions per
 *   checkpoint, row count), checkpoint markers (`['checkpoint', op, checkpointId, rangeStart]`,
 *   written with durability 'strict') and the database identity (`['identity']`, written when
 *   the database is created). A database that lost its identity or a marker was deleted or
 *   evicted: restoring from it fails instead of reading empty state.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

/** Store names, in one place. */
export const STORES = { chunks: 'chunks', meta: 'meta' } as const;

/** Changing the schema needs a migration: bump the version and add a step to `upgrade`. */
export const DB_VERSION = 2;

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
  /** Virtual time the seal was taken at (TTL compaction); absent in rows written before it existed. */
  atMs?: number;
  /**
   * Rows (puts and deletes) the version's chunk holds: its cost on disk, for the garbage
   * collection figures; absent in rows written before it existed (counted as 0).
   */
  rows?: number;
  /** Approximate bytes of the shard's rows at this checkpoint, when the backend knew them. */
  bytes?: number;
}

export interface ShardMeta {
  kind: 'shard';
  operatorId: string;
  keyGroup: number;
  /** The version the next chunk gets (versions only grow, even across restores). */
  nextVersion: number;
  /** Ascending by checkpoint id. */
  seals: SealRecord[];
  /** Rows the shard held after the last flush, when known (metrics of shards not yet loaded). */
  entries?: number;
  /** Approximate bytes of those rows. */
  bytes?: number;
}

/** Written once when the database is created; its absence means the database was recreated. */
export interface IdentityRecord {
  kind: 'identity';
  id: string;
  createdAtMs: number;
}

export interface CheckpointMarker {
  kind: 'checkpoint';
  operatorId: string;
  checkpointId: number;
  /** The snapshot handle, as returned by `snapshot`. */
  handle: unknown;
}

export type MetaKey = ['shard', string, number] | ['checkpoint', string, number, number] | ['identity'];

export const IDENTITY_KEY: MetaKey = ['identity'];

export interface StateDbSchema extends DBSchema {
  chunks: { key: ChunkKey; value: ChunkRow };
  meta: { key: MetaKey; value: ShardMeta | CheckpointMarker | IdentityRecord };
}

export type StateDb = IDBPDatabase<StateDbSchema>;

/** The one upgrade function, for every version. */
function upgrade(db: IDBDatabase, tx: IDBTransaction | null, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORES.chunks);
    db.createObjectStore(STORES.meta);
  }
  if (oldVersion < 2 && tx !== null) {
    // Version 2 adds the identity row. A version-1 database predates it; it gets one now.
    const identity: IdentityRecord = { kind: 'identity', id: newIdentity(), createdAtMs: Date.now() };
    tx.objectStore(STORES.meta).put(identity, IDENTITY_KEY);
  }
}

function newIdentity(): string {
  const random = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID;
  return random !== undefined ? random.call(globalThis.crypto) : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** What the connection reports after opening. */
export interface StateDbEvents {
  /** Another tab upgrades or deletes the database; the connection is already closed. */
  onVersionChange?: () => void;
  /** The browser closed the connection unexpectedly (storage cleared, disk error). */
  onClose?: () => void;
}

/**
 * Opens (creating or upgrading) a job's state database through an injectable factory (the
 * browser's `indexedDB`, or fake-indexeddb in Node). `onVersionChange` runs when another tab
 * upgrades or deletes the database; the connection is closed first.
 */
export async function openStateDb(name: string, factory: IDBFactory, events: StateDbEvents = {}): Promise<StateDb> {
  const request = factory.open(name, DB_VERSION);
  request.onupgradeneeded = (event) => upgrade(request.result, request.transaction, event.oldVersion);
  const db = (await wrap(request)) as unknown as StateDb;
  db.addEventListener('versionchange', () => {
    db.close();
    events.onVersionChange?.();
  });
  db.addEventListener('close', () => events.onClose?.());
  return db;
}

/** Deletes a job's database (a fresh run); resolves once deleted, also when it did not exist. */
export function deleteStateDb(name: string, factory: IDBFactory): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`Could not delete state database '${name}'.`));
  });
}

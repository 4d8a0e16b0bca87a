/**
 * The keyed state port (DESIGN.md §5, STYLE.md habit 5): the narrow interface through which
 * operators' keyed state reaches a storage backend. The in-memory backend implements it here;
 * `src/state-idb` implements it on IndexedDB; both pass `testing/backendContract.ts`.
 *
 * Shape of the port, and why:
 * - **Addressing** is Flink's and the seed's: a row is `[operatorId, keyGroup, stateName,
 *   userKey]`. A backend instance is scoped to one operator subtask (operator id and key-group
 *   range fixed at open), so calls carry `(keyGroup, stateName, userKey)`. `userKey` is the
 *   encoded record key, optionally followed by a namespace (see keyEncoding.ts), so all rows
 *   of one record key in one state form a contiguous prefix range.
 * - **Async only at batch boundaries.** A JS Map does ~26 M updates/s and IndexedDB ~15 k
 *   rows/s (reference/browser-limits.md), so per-record awaits are ruled out. The engine calls
 *   `prepare()` with the keys the next batch (or the next timers) will touch; a backend that
 *   must load from disk returns a promise and fills its cache, the memory backend returns
 *   `undefined` (sync fast path, no microtask). Then get/put/delete run synchronously.
 *   `flush`, `snapshot`, `restore`, `close` follow the same "promise or undefined" rule.
 * - **Values are immutable once put.** Views always put fresh values (copy-on-write), so a
 *   backend may keep references in snapshot versions and write caches without copying.
 *   `undefined` is not a storable value (it means "absent").
 * - **Snapshots are metadata.** `snapshot(n)` seals what changed since the previous snapshot
 *   as version n of each key-group shard; the returned handle lists per-key-group figures, not
 *   bytes. `restore` reverts shards to a version. Cost is proportional to change (§5).
 */
import type { KeyGroupRange } from '../keygroups/keyGroups';
import type { VirtualMs } from '../runtime/types';

/** The injected virtual clock (DESIGN.md §3): processing time for TTL and processing-time timers. */
export interface VirtualClock {
  now(): VirtualMs;
}

/** What a backend instance serves: one operator subtask's key groups. */
export interface KeyedBackendOptions {
  /** Stable operator id (from `uid` or the structural hash), the first part of every address. */
  operatorId: string;
  /** The operator's number of key groups. */
  maxParallelism: number;
  /** The key groups this subtask owns; every access outside it throws. */
  keyGroupRange: KeyGroupRange;
}

/** A state declared by an operator in `open()` (STYLE.md habit 4). */
export interface StateRegistration {
  name: string;
  /**
   * Set when the state's values carry TTL envelopes (`TtlValue`, see ttl.ts). A backend may
   * use it to evict or skip expired rows; it never has to.
   */
  ttlMs?: number;
}

/**
 * Keys the next batch will touch. `encodedKeys[i]` lives in `keyGroups[i]`; the backend loads
 * every registered state's rows whose userKey starts with that encoded key.
 */
export interface PrepareRequest {
  keyGroups: readonly number[];
  encodedKeys: readonly string[];
  /** Whole key groups to load (scans, TTL cleanup); optional. */
  wholeKeyGroups?: readonly number[];
}

/** Per key group figures in a snapshot handle and in metrics. */
export interface KeyGroupFigures {
  keyGroup: number;
  /** Rows held for this key group (all states). */
  entries: number;
  /** Rows written or deleted since the previous snapshot (snapshot handles only). */
  changed?: number;
  /**
   * Approximate bytes of the rows (serialised size estimate): in metrics, and in IndexedDB
   * snapshot handles when the backend knew them at the seal.
   */
  bytes?: number;
}

/**
 * A sealed snapshot of one backend instance: metadata only (DESIGN.md §5). The state itself
 * stays in the storage as shard versions; restoring hands this handle back.
 */
export interface KeyedStateSnapshot {
  operatorId: string;
  checkpointId: number;
  maxParallelism: number;
  keyGroupRange: KeyGroupRange;
  /** Non-empty or changed key groups only, ascending. */
  keyGroups: KeyGroupFigures[];
  /** Rows in the snapshot (sum of `entries`). */
  totalEntries: number;
  /** Rows that changed since the previous snapshot: the cost of this snapshot. */
  changedEntries: number;
}

/**
 * State-version garbage collection of one backend instance (`releaseSnapshotsBefore`),
 * measured by the backend itself; the release counters are cumulative.
 */
export interface VersionGcFigures {
  /** Releases that folded at least one shard. */
  folds: number;
  /** Shard versions merged away (no retained checkpoint needed them apart). */
  versionsReleased: number;
  /** Rows those versions held beyond what the merged version keeps (superseded values, tombstones, expired rows). */
  rowsReleased: number;
  /** Approximate serialised bytes of those rows (IndexedDB; the memory backend measures no bytes). */
  bytesReleased?: number;
  /** As of the last release: shard versions kept and the rows they hold (every version, history included). */
  versionsRetained: number;
  rowsRetained: number;
}

/** Running figures of a backend instance, for the state panel (DESIGN.md §5, last bullet). */
export interface KeyedStateMetrics {
  operatorId: string;
  totalEntries: number;
  /** Non-empty key groups only, ascending. */
  keyGroups: KeyGroupFigures[];
  reads: number;
  writes: number;
  deletes: number;
  /** Snapshot versions retained across this instance's shards. */
  versions: number;
  /** Garbage collection of versions so far (backends that measure it). */
  gc?: VersionGcFigures;
}

/** Every row of one key group, as `[stateName, userKey, value]` (unsorted). */
export interface KeyGroupRows {
  keyGroup: number;
  rows: [stateName: string, userKey: string, value: unknown][];
}

/** A value or a promise of it: the port's "async only when it must be" convention. */
export type MaybePromise<T> = T | Promise<T>;

/** The keyed state port: one operator subtask's view of a state storage. */
export interface KeyedStateBackend {
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  /**
   * False when `prepare` never does anything (memory): callers may then skip computing the
   * keys of a batch. True for backends with a cache in front of slower storage.
   */
  readonly needsPrepare: boolean;

  /** Declares a state before use; names are unique per operator. */
  registerState(registration: StateRegistration): void;
  /** Loads what the next batch touches; `undefined` when nothing had to wait. */
  prepare(request: PrepareRequest): Promise<void> | undefined;

  /** The value at an address, or `undefined` when absent. Sees unflushed writes. */
  get(keyGroup: number, stateName: string, userKey: string): unknown;
  /** Stores a value (never `undefined`); the backend may keep the reference (values are immutable). */
  put(keyGroup: number, stateName: string, userKey: string, value: unknown): void;
  delete(keyGroup: number, stateName: string, userKey: string): void;
  /**
   * Rows of one state in one key group, in unspecified but deterministic order. The iterator
   * tolerates put/delete during iteration (rows deleted before they are reached are skipped),
   * as JS Map iterators do. Only prepared key groups are complete in a caching backend.
   */
  scan(keyGroup: number, stateName: string): IterableIterator<[string, unknown]>;

  /** Writes buffered changes through to storage (no-op in memory). */
  flush(): Promise<void> | undefined;
  /**
   * Seals version `checkpointId` of every owned shard and returns the metadata handle.
   *
   * @throws Error when `checkpointId` is not above every version already sealed in a shard.
   */
  snapshot(checkpointId: number): MaybePromise<KeyedStateSnapshot>;
  /**
   * Reverts every owned key group to the snapshot (of any former subtask of this operator, at
   * any parallelism) whose range contains it; key groups no snapshot covers revert to empty.
   * Versions newer than the restored one are dropped (that history was abandoned).
   */
  restore(snapshots: readonly KeyedStateSnapshot[]): Promise<void> | undefined;
  /** Folds versions older than `checkpointId` together: no retained checkpoint needs them apart. */
  releaseSnapshotsBefore(checkpointId: number): Promise<void> | undefined;
  metrics(): KeyedStateMetrics;
  /**
   * Every row of one record key in one key group, over all registered states, as
   * `[stateName, userKey, value]` (the state panel's "look up a key"). Call `prepare` with the
   * key first; sees unflushed writes; expired TTL envelopes are returned as stored.
   */
  entriesOfKey(keyGroup: number, encodedKey: string): [stateName: string, userKey: string, value: unknown][];
  /**
   * Every row of some owned key groups, over all states (the state processor's scan, between
   * ticks): sees unflushed writes, installs nothing in caches (the working set stays), returns
   * expired TTL envelopes as stored. Optional: a backend without it cannot be scanned.
   */
  rowsOfKeyGroups?(keyGroups: readonly number[]): MaybePromise<KeyGroupRows[]>;
  /** Releases the instance (the storage keeps the data, for restore and rescale). */
  close(): Promise<void> | undefined;
}

/** Why a write batch was flushed (DESIGN.md §5 write path). */
export type FlushCause = 'size' | 'latency' | 'checkpoint' | 'close';

/**
 * Cumulative figures of one TaskManager's state storage (DESIGN.md §5, last bullet). Counters
 * only grow during a run; rates are derived by whoever samples them. The memory storage
 * reports zeros for what it does not have (cache, Bloom filter, IndexedDB).
 */
export interface StateStorageFigures {
  kind: 'memory' | 'idb';
  /** Fixed capacity of the shared read cache, in entries (0: no cache). */
  cacheCapacity: number;
  /** Entries in the cache now (a gauge). */
  cacheEntries: number;
  /** Reads answered from the cache or the unflushed write batch. */
  cacheHits: number;
  /** Reads that had to go past the cache (Bloom filter, then IndexedDB). */
  cacheMisses: number;
  /** Reads of absent keys answered by a shard's Bloom filter without touching IndexedDB. */
  bloomNegatives: number;
  /** Reads the Bloom filter let through that IndexedDB then found absent. */
  bloomFalsePositives: number;
  /** Entries evicted from the cache, and how many of those were expired (TTL) first. */
  evictions: number;
  expiredEvictions: number;
  /** IndexedDB transactions committed (read and write) and rows read/written by them. */
  idbTransactions: number;
  idbRowsRead: number;
  idbRowsWritten: number;
  /** State entries (puts and deletes) those written rows carried. */
  idbEntriesWritten: number;
  /** Approximate bytes written to IndexedDB. */
  idbBytesWritten: number;
  /** Write-batch flushes, the entries they carried (mean batch size = entries / flushes), per cause. */
  flushes: number;
  flushedEntries: number;
  flushCauses: Record<FlushCause, number>;
  /** Entries waiting in write batches now (a gauge). */
  unflushedEntries: number;
  /** Snapshots sealed and restores done. */
  snapshots: number;
  restores: number;
  /** Connection reopen attempts after a lost connection. */
  reconnects: number;
}

/** All-zero figures of a storage kind (memory, and a start point for IndexedDB). */
export function emptyStateStorageFigures(kind: 'memory' | 'idb'): StateStorageFigures {
  return {
    kind, cacheCapacity: 0, cacheEntries: 0, cacheHits: 0, cacheMisses: 0, bloomNegatives: 0,
    bloomFalsePositives: 0, evictions: 0, expiredEvictions: 0, idbTransactions: 0, idbRowsRead: 0,
    idbRowsWritten: 0, idbEntriesWritten: 0, idbBytesWritten: 0, flushes: 0, flushedEntries: 0,
    flushCauses: { size: 0, latency: 0, checkpoint: 0, close: 0 }, unflushedEntries: 0,
    snapshots: 0, restores: 0, reconnects: 0,
  };
}

/**
 * A state storage: one per TaskManager (memory) or per job database (IndexedDB). Opening a
 * backend for another key-group range over the same storage is how restore and rescale work
 * without moving state.
 */
export interface StateStorage {
  readonly kind: 'memory' | 'idb';
  openKeyedBackend(options: KeyedBackendOptions): MaybePromise<KeyedStateBackend>;
  /**
   * Called by the TaskManager at the end of every tick with the virtual time: starts the
   * latency-triggered flushes (in the background; reads never depend on them, so output stays
   * deterministic) and **throws** the error of any background flush that failed since the
   * last call (e.g. StateStorageFullError), so a failed flush is never taken as done.
   */
  endTick(nowMs: VirtualMs): void;
  /** Cumulative figures (see {@link StateStorageFigures}). */
  figures(): StateStorageFigures;
  /** Drops everything (tests, a new run). */
  dispose(): Promise<void> | undefined;
}

/**
 * One operator subtask's view of the IndexedDB state storage (DESIGN.md §5).
 *
 * - **Reads** (after `prepare`, the only async point): the record key's entry, held in
 *   `prepared` for the current batch and in the storage's shared {@link StateCache}; an entry
 *   holds every row of the key, kept current by every put and delete. A key not in the cache
 *   is looked up in its shard's Bloom filter: "absent" creates an empty entry without
 *   IndexedDB; "maybe" loads the shard's chunks in one readonly transaction, overlays the
 *   pending batches, and installs the keys asked for (other keys only into free cache slots).
 *   `prepared` pins the batch's entries, so a shared cache evicting them cannot break a batch.
 * - **Per-record cost.** `prepared` is keyed by the encoded key alone (a key's group follows
 *   from the key, so it is unique within a view), the string the engine passes for the record,
 *   so `get` and `put` of a prepared key are a Map lookup each plus a scan of the key's few
 *   rows; the cache is addressed by a precomputed group number and that same string (no key
 *   building). A write adds its key to the shard's Bloom filter only when the entry is not
 *   known to be in that filter yet.
 * - **Writes** go to the entry and to the {@link WriteBatch}; the batch flushes in the
 *   background (size threshold at put, latency threshold at the storage's `endTick`) as one
 *   chunk row per dirty key group in one transaction. A failed flush puts its writes back
 *   under newer ones (still readable, flushed again later) and its error surfaces from the
 *   next `endTick`, `flush` or `snapshot`.
 * - **Bloom filters** per shard are rebuilt when the shard is first loaded by this view (from
 *   the rows it reads anyway), and take every key put afterwards; they are never persisted, so
 *   a restored or rescaled view cannot inherit a stale one (0 false negatives by design).
 * - **Snapshots, restore, GC**: see versions.ts; all IndexedDB work of one view runs through
 *   one queue, so loads, flushes, seals and reverts never interleave.
 * - **Restore is atomic**: the revert runs first, in one transaction; only once it committed
 *   does the view drop its pending writes, pinned entries, cached rows and filters. A failed
 *   restore leaves the view as it was (still the state before the call) and can be retried.
 *   A readonly transaction checks the markers and the shards' versions first; when no shard
 *   is newer than the restored version (a rescale, a recovery with nothing flushed since),
 *   no read-write transaction runs at all.
 * - **scan** (TTL cleanup only) and `entriesOfKey` read resident rows (residentRows.ts).
 * - **TTL compaction**: merges and GC folds drop expired rows (shardOps.RowFilter), so rows
 *   nobody reads again do not stay on disk forever.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type {
  FlushCause, KeyGroupFigures, KeyGroupRows, KeyedBackendOptions, KeyedStateBackend, KeyedStateMetrics, KeyedStateSnapshot, PrepareRequest, StateRegistration,
  VersionGcFigures,
} from '../engine/state/types';
import type { CacheEntry } from './StateCache';
import type { IdbStateStorage } from './IdbStateStorage';
import { PendingWrites, type TakenBatch } from './PendingWrites';
import { rowsOfKey, scanResident, type ResidentView } from './residentRows';
import { foldByKey, foldShard, overlayPending, readShardChunks } from './shardOps';
import { ShardSet } from './ShardSet';
import { allRowsExpired, ttlFilter } from './ttlRows';
import { assertGrowing, assertMarkers, assertRestorable, planRevert, readShardMetas, revertShards, sealShards } from './versions';
import { DELETED, findRow, recordKeyOf, removeRow, setRow } from './WriteBatch';

export class IdbKeyedStateBackend implements KeyedStateBackend {
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly needsPrepare = true;
  private readonly shards: ShardSet;
  /** Entries of the current batch by encoded key (pinned until the next prepare). */
  private readonly prepared = new Map<string, CacheEntry>();
  /** The cache's group number of each owned key group (index: key group − range start). */
  private readonly groups: Int32Array;
  private readonly pendingWrites = new PendingWrites();
  /** Key groups written since the last seal (their row counts must be exact when it seals). */
  private readonly dirtySinceSeal = new Set<number>();
  private readonly registered = new Map<string, StateRegistration>();
  private readonly ttlStates = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private reads = 0;
  private writes = 0;
  private deletes = 0;
  private versionCount = 0;
  private closed = false;
  private readonly gc: Required<VersionGcFigures> = { folds: 0, versionsReleased: 0, rowsReleased: 0, bytesReleased: 0, versionsRetained: 0, rowsRetained: 0 };
  private readonly expired = (entry: CacheEntry, now: number): boolean => allRowsExpired(this.ttlStates, entry.rows, now);
  /** Pending batches, oldest first, read when a load installs (after its await). */
  private readonly pendingBatches = () => this.pendingWrites.batches();
  private readonly resident: ResidentView = {
    entryOf: (keyGroup, encodedKey) => this.entryOf(keyGroup, encodedKey),
    entriesOf: (keyGroup) => [...this.prepared.values(), ...this.storage.cache.entriesOf(this.groupOf(keyGroup))],
    pending: (keyGroup, stateName, userKey) => this.pendingWrites.lookup(keyGroup, stateName, userKey),
    batches: () => this.pendingWrites.batches(),
  };

  constructor(options: KeyedBackendOptions, private readonly storage: IdbStateStorage) {
    const { keyGroupRange, maxParallelism } = options;
    if (keyGroupRange.start < 0 || keyGroupRange.end >= maxParallelism || keyGroupRange.end < keyGroupRange.start) {
      throw new RangeError(`Key-group range [${keyGroupRange.start}, ${keyGroupRange.end}] does not fit max parallelism ${maxParallelism}.`);
    }
    this.operatorId = options.operatorId;
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = { ...keyGroupRange };
    this.groups = new Int32Array(keyGroupRange.end - keyGroupRange.start + 1);
    for (let kg = keyGroupRange.start; kg <= keyGroupRange.end; kg++) this.groups[kg - keyGroupRange.start] = storage.cache.groupOf(options.operatorId, kg);
    this.shards = new ShardSet(options.operatorId, storage, this.keyGroupRange, {
      newEntry: (keyGroup, encodedKey, rows) => this.newEntry(keyGroup, encodedKey, rows),
      install: (entry, pin) => this.install(entry, pin),
      resident: (keyGroup, encodedKey) => this.entryOf(keyGroup, encodedKey),
    });
  }

  registerState(registration: StateRegistration): void {
    const existing = this.registered.get(registration.name);
    if (existing !== undefined && existing.ttlMs !== registration.ttlMs) {
      throw new Error(`State '${registration.name}' of operator ${this.operatorId} is declared twice with different TTLs.`);
    }
    this.registered.set(registration.name, { ...registration });
    if (registration.ttlMs !== undefined) this.ttlStates.add(registration.name);
  }

  /** Makes the keys of the next batch resident; a promise only when IndexedDB must be read or flushes must drain. */
  prepare(request: PrepareRequest): Promise<void> | undefined {
    this.assertOpen();
    this.prepared.clear();
    const counters = this.storage.counters;
    const cache = this.storage.cache;
    const prepared = this.prepared;
    const misses = new Map<number, string[]>();
    for (let i = 0; i < request.keyGroups.length; i++) {
      const keyGroup = request.keyGroups[i] as number;
      const encodedKey = request.encodedKeys[i] as string;
      this.checkRange(keyGroup);
      if (prepared.get(encodedKey)?.keyGroup === keyGroup) continue;
      const cached = cache.get(this.groupOf(keyGroup), encodedKey);
      if (cached !== undefined) {
        counters.cacheHits++;
        prepared.set(encodedKey, cached);
        continue;
      }
      counters.cacheMisses++;
      if (this.shards.definitelyAbsent(keyGroup, encodedKey)) {
        counters.bloomNegatives++;
        this.install(this.newEntry(keyGroup, encodedKey, []));
        continue;
      }
      let keys = misses.get(keyGroup);
      if (keys === undefined) misses.set(keyGroup, (keys = []));
      keys.push(encodedKey);
    }
    const whole = request.wholeKeyGroups ?? [];
    for (const keyGroup of whole) this.checkRange(keyGroup);
    const waits: Promise<unknown>[] = [];
    if (misses.size > 0 || whole.length > 0) {
      waits.push(this.enqueue(() => this.shards.load(misses, whole, this.pendingBatches, true)));
    }
    const capacity = this.storage.flushCapacity();
    if (capacity !== undefined) waits.push(capacity);
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }

  get(keyGroup: number, stateName: string, userKey: string): unknown {
    this.checkRange(keyGroup);
    this.reads++;
    const encodedKey = recordKeyOf(userKey);
    const entry = this.entryOf(keyGroup, encodedKey);
    if (entry !== undefined) {
      const at = findRow(entry.rows, stateName, userKey);
      return at < 0 ? undefined : entry.rows[at + 2];
    }
    const pending = this.pendingWrites.lookup(keyGroup, stateName, userKey);
    if (pending !== undefined) return pending === DELETED ? undefined : pending;
    if (this.shards.definitelyAbsent(keyGroup, encodedKey)) {
      this.storage.counters.bloomNegatives++;
      return undefined;
    }
    throw new Error(
      `State '${stateName}' of operator ${this.operatorId}: key group ${keyGroup} key was read without prepare; ` +
        'the IndexedDB backend serves reads only for prepared keys.',
    );
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    this.checkRange(keyGroup);
    if (value === undefined) throw new Error(`State '${stateName}': undefined is not a storable value; delete the row instead.`);
    this.writes++;
    const encodedKey = recordKeyOf(userKey);
    const entry = this.entryOf(keyGroup, encodedKey);
    const shard = this.shards.of(keyGroup);
    if (entry !== undefined) {
      if (setRow(entry.rows, stateName, userKey, value)) shard.entries++;
      if (entry.inFilter !== shard.filter) {
        shard.filter.add(encodedKey);
        entry.inFilter = shard.filter;
      }
    } else {
      // Not resident (a write without prepare): count from what is known, else guess "new".
      const pending = this.pendingWrites.lookup(keyGroup, stateName, userKey);
      if (pending === undefined && !(shard.loaded && !shard.filter.mightContain(encodedKey))) shard.countKnown = false;
      if (pending === undefined || pending === DELETED) shard.entries++;
      shard.filter.add(encodedKey);
    }
    this.record(keyGroup, stateName, userKey, value);
  }

  delete(keyGroup: number, stateName: string, userKey: string): void {
    this.checkRange(keyGroup);
    this.deletes++;
    const entry = this.entryOf(keyGroup, recordKeyOf(userKey));
    if (entry !== undefined) {
      // A complete entry without the row: nothing to delete anywhere.
      if (!removeRow(entry.rows, stateName, userKey)) return;
      this.shards.of(keyGroup).entries--;
    } else {
      const pending = this.pendingWrites.lookup(keyGroup, stateName, userKey);
      if (pending === DELETED) return;
      const shard = this.shards.of(keyGroup);
      if (pending === undefined) shard.countKnown = false;
      else shard.entries--;
    }
    this.record(keyGroup, stateName, userKey, DELETED);
  }

  scan(keyGroup: number, stateName: string): IterableIterator<[string, unknown]> {
    this.checkRange(keyGroup);
    return scanResident(this.resident, keyGroup, stateName);
  }

  entriesOfKey(keyGroup: number, encodedKey: string): [string, string, unknown][] {
    this.checkRange(keyGroup);
    return rowsOfKey(this.resident, keyGroup, encodedKey).filter(([name]) => this.registered.has(name));
  }

  /**
   * Every row of some key groups, read like a load (chunks in version order, then the pending
   * batches over them) but installed nowhere: a scan leaves the shared cache to the working set.
   */
  rowsOfKeyGroups(keyGroups: readonly number[]): Promise<KeyGroupRows[]> {
    for (const keyGroup of keyGroups) this.checkRange(keyGroup);
    return this.enqueue(async () => {
      const chunks = await this.storage.transact('readonly', async (tx) => {
        const out = new Map<number, Awaited<ReturnType<typeof readShardChunks>>>();
        for (const keyGroup of keyGroups) out.set(keyGroup, await readShardChunks(tx, this.operatorId, keyGroup));
        return out;
      });
      // Read after the await, as a load does, so no write is missed.
      const batches = this.pendingWrites.batches();
      return keyGroups.map((keyGroup) => {
        const read = chunks.get(keyGroup) ?? [];
        this.storage.counters.idbRowsRead += read.length;
        const table = foldByKey(read);
        overlayPending(table, keyGroup, batches);
        const rows: KeyGroupRows['rows'] = [];
        for (const flat of table.values()) {
          for (let i = 0; i < flat.length; i += 3) rows.push([flat[i] as string, flat[i + 1] as string, flat[i + 2]]);
        }
        return { keyGroup, rows };
      });
    });
  }

  /** Writes everything pending; rejects with the error of any failed background flush. */
  flush(): Promise<void> | undefined {
    this.storage.throwFailures();
    if (this.pendingWrites.idle) return undefined;
    const started = this.startFlush('checkpoint', false);
    return (started ?? this.queue.then(() => undefined)).then(() => this.storage.throwFailures());
  }

  snapshot(checkpointId: number): Promise<KeyedStateSnapshot> {
    this.assertOpen();
    this.storage.throwFailures();
    return this.enqueue(async () => {
      const unknown = this.shards.uncounted([...this.pendingWrites.keyGroups(), ...this.dirtySinceSeal]);
      if (unknown.length > 0) await this.shards.load(new Map(), unknown, this.pendingBatches, false);
      const taken = this.pendingWrites.take();
      if (taken.batch.size > 0) this.storage.countFlush('checkpoint', taken.batch.size);
      const nowMs = this.storage.nowMs;
      const counters = this.storage.counters;
      let failed = true;
      try {
        const handle = await this.storage.transact(
          'readwrite',
          async (tx) => {
            const metas = await readShardMetas(tx, this.operatorId, this.keyGroupRange);
            assertGrowing(metas.values(), checkpointId);
            for (const keyGroup of taken.batch.keyGroups()) metas.set(keyGroup, await this.shards.appendChunk(tx, taken.batch, keyGroup));
            const base = { operatorId: this.operatorId, checkpointId, maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange };
            const sealed = await sealShards(tx, base, metas, {
              entries: (kg) => this.shards.knownEntries(kg),
              bytes: (kg) => this.shards.knownBytes(kg),
              nowMs,
              filter: ttlFilter(this.ttlStates, nowMs),
              onRowsRead: (rows) => (counters.idbRowsRead += rows),
            });
            this.versionCount = sealed.versions;
            return sealed.snapshot;
          },
          'strict',
        );
        failed = false;
        this.dirtySinceSeal.clear();
        counters.snapshots++;
        return handle;
      } finally {
        this.pendingWrites.settle(taken, failed);
      }
    });
  }

  /**
   * Reverts the owned key groups to `snapshots` (see versions.revertShards). Atomic: the
   * in-memory side is dropped only after the revert committed; on failure nothing changed.
   */
  restore(snapshots: readonly KeyedStateSnapshot[]): Promise<void> {
    this.assertOpen();
    assertRestorable(this.operatorId, this.maxParallelism, snapshots);
    return this.enqueue(async () => {
      // Checked in a readonly transaction first: restoring the latest checkpoint (a rescale, a
      // recovery without newer flushes) changes no shard, and then commits nothing.
      const unchanged = await this.storage.transact('readonly', async (tx) => {
        await assertMarkers(tx, this.storage.dbName, snapshots);
        const plan = planRevert(await readShardMetas(tx, this.operatorId, this.keyGroupRange), snapshots);
        return plan.changes.length === 0 ? plan.versions : undefined;
      });
      const versions = unchanged ?? (await this.storage.transact('readwrite', async (tx) => {
        await assertMarkers(tx, this.storage.dbName, snapshots);
        return revertShards(tx, this.operatorId, this.keyGroupRange, snapshots);
      }));
      // Unflushed writes belong to the abandoned history; cached rows of this range may too.
      this.versionCount = versions;
      this.pendingWrites.discard();
      this.prepared.clear();
      this.dirtySinceSeal.clear();
      this.shards.clear();
      const { start, end } = this.keyGroupRange;
      // Shards load lazily; until then, the rows each key group held at the checkpoint (from
      // the snapshot handles) are the best count for metrics, exact until the next write.
      for (const snapshot of snapshots) {
        for (const figures of snapshot.keyGroups) {
          if (figures.keyGroup >= start && figures.keyGroup <= end && figures.entries > 0) this.shards.of(figures.keyGroup).entries = figures.entries;
        }
      }
      this.storage.cache.deleteWhere((e) => e.operatorId === this.operatorId && e.keyGroup >= start && e.keyGroup <= end);
      this.storage.counters.restores++;
    });
  }

  /**
   * Folds versions older than `checkpointId` into one chunk per shard (retained checkpoints
   * stay restorable), and counts what that released and what is retained (`metrics().gc`).
   */
  releaseSnapshotsBefore(checkpointId: number): Promise<void> {
    return this.enqueue(async () => {
      const outcome = await this.storage.transact('readwrite', async (tx) => {
        const metas = await readShardMetas(tx, this.operatorId, this.keyGroupRange);
        const totals = { versions: 0, rows: 0, released: { versions: 0, rows: 0, bytes: 0 } };
        for (const meta of metas.values()) {
          const fold = await foldShard(tx, meta, checkpointId, (nowMs) => ttlFilter(this.ttlStates, nowMs));
          totals.released.versions += fold.versions;
          totals.released.rows += fold.rows;
          totals.released.bytes += fold.bytes;
          totals.versions += meta.seals.length;
          for (const seal of meta.seals) totals.rows += seal.rows ?? 0;
        }
        return totals;
      });
      // Counted once the transaction committed (a failed release rejects and counts nothing).
      this.versionCount = outcome.versions;
      if (outcome.released.versions > 0) this.gc.folds++;
      this.gc.versionsReleased += outcome.released.versions;
      this.gc.rowsReleased += outcome.released.rows;
      this.gc.bytesReleased += outcome.released.bytes;
      this.gc.versionsRetained = outcome.versions;
      this.gc.rowsRetained = outcome.rows;
    });
  }

  metrics(): KeyedStateMetrics {
    const keyGroups: KeyGroupFigures[] = this.shards.figures(this.keyGroupRange);
    const totalEntries = keyGroups.reduce((n, g) => n + g.entries, 0);
    return {
      operatorId: this.operatorId, totalEntries, keyGroups, reads: this.reads, writes: this.writes, deletes: this.deletes, versions: this.versionCount,
      gc: { ...this.gc },
    };
  }

  /** Flushes what is pending, then releases the instance (the database and cache keep the data). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pendingWrites.size > 0) await this.startFlush('close', false);
    await this.queue;
    this.closed = true;
    this.prepared.clear();
    this.storage.forget(this);
  }

  /** Entries waiting in this view's batches (the storage's gauge). */
  unflushedEntries(): number {
    return this.pendingWrites.unflushed;
  }

  /** Bytes held by this view's Bloom filters (benchmarks). */
  filterBytes(): number {
    return this.shards.filterBytes();
  }

  /** Starts a latency flush when the oldest pending write is at or before `cutoffMs`. */
  flushIfOlderThan(cutoffMs: number): void {
    const first = this.pendingWrites.firstWriteMs;
    if (first !== undefined && first <= cutoffMs) void this.startFlush('latency', true);
  }

  /** Takes the batch and writes it in the queue; background flushes report failures to the storage. */
  private startFlush(cause: FlushCause, background: boolean): Promise<void> | undefined {
    if (this.pendingWrites.size === 0) return undefined;
    const taken = this.pendingWrites.take();
    this.storage.countFlush(cause, taken.batch.size);
    this.storage.flushStarted();
    const filter = ttlFilter(this.ttlStates, this.storage.nowMs);
    const write = this.enqueue(() => this.storage.transact('readwrite', async (tx) => {
      for (const keyGroup of taken.batch.keyGroups()) await this.shards.appendChunk(tx, taken.batch, keyGroup, filter);
    }));
    const settled = write.then(
      () => this.finishFlush(taken, false),
      (error: unknown) => {
        // Back under newer writes before leaving the in-flight list: the writes stay readable throughout.
        this.finishFlush(taken, true);
        if (!background) throw error;
        this.storage.reportFailure(error);
      },
    );
    if (background) settled.catch(() => undefined);
    return settled;
  }

  private finishFlush(taken: TakenBatch, failed: boolean): void {
    this.pendingWrites.settle(taken, failed);
    this.storage.flushEnded();
  }

  private record(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    this.pendingWrites.put(keyGroup, stateName, userKey, value, this.storage.nowMs);
    this.dirtySinceSeal.add(keyGroup);
    if (this.pendingWrites.size >= this.storage.flushThresholdEntries) void this.startFlush('size', true);
  }

  private entryOf(keyGroup: number, encodedKey: string): CacheEntry | undefined {
    const pinned = this.prepared.get(encodedKey);
    if (pinned !== undefined && pinned.keyGroup === keyGroup) return pinned;
    return this.storage.cache.get(this.groupOf(keyGroup), encodedKey);
  }

  /** The cache's group number of an owned key group. */
  private groupOf(keyGroup: number): number {
    return this.groups[keyGroup - this.keyGroupRange.start] as number;
  }

  private newEntry(keyGroup: number, encodedKey: string, rows: unknown[]): CacheEntry {
    return { operatorId: this.operatorId, keyGroup, group: this.groupOf(keyGroup), encodedKey, rows, inFilter: undefined, expired: this.expired };
  }

  /** Pins an entry for the current batch and caches it. */
  private install(entry: CacheEntry, pin = true): void {
    if (pin) this.prepared.set(entry.encodedKey, entry);
    this.storage.cache.set(entry, this.storage.nowMs, pin);
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** @throws RangeError outside the owned range. */
  private checkRange(keyGroup: number): void {
    if (!(keyGroup >= this.keyGroupRange.start && keyGroup <= this.keyGroupRange.end)) {
      throw new RangeError(
        `Key group ${keyGroup} is outside [${this.keyGroupRange.start}, ${this.keyGroupRange.end}] of operator ${this.operatorId}: ` +
          'a record reached a subtask that does not own its key.',
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The state backend of operator ${this.operatorId} is closed.`);
  }
}

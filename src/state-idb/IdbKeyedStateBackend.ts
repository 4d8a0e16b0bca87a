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
 * - **scan** (TTL cleanup only) lists the *resident* rows of a key group: prepared entries (a
 *   `wholeKeyGroups` prepare makes them complete), cached entries and pending writes. Rows
 *   only on disk are not visited; they are still never returned expired (views check TTL on read).
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import { purgeExpired } from '../engine/state/ttl';
import type {
  FlushCause,
  KeyGroupFigures,
  KeyedBackendOptions,
  KeyedStateBackend,
  KeyedStateMetrics,
  KeyedStateSnapshot,
  PrepareRequest,
  StateRegistration,
} from '../engine/state/types';
import { cacheKey, type CacheEntry } from './StateCache';
import type { IdbStateStorage } from './IdbStateStorage';
import { foldShard } from './shardOps';
import { ShardSet } from './ShardSet';
import { assertGrowing, assertMarkers, readShardMetas, revertShards, sealShards } from './versions';
import { DELETED, findRow, recordKeyOf, removeRow, setRow, WriteBatch } from './WriteBatch';

const SEP = '\u0000';

export class IdbKeyedStateBackend implements KeyedStateBackend {
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly needsPrepare = true;
  private readonly shards: ShardSet;
  /** Entries of the current batch (pinned until the next prepare). */
  private readonly prepared = new Map<string, CacheEntry>();
  private batch = new WriteBatch();
  /** Batches taken by flushes that have not committed yet (overlaid on loads). */
  private readonly inFlight: WriteBatch[] = [];
  private readonly changedSinceSeal = new Map<number, Set<string>>();
  private readonly registered = new Map<string, StateRegistration>();
  private readonly ttlStates = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by restore: failed flushes of an abandoned history must not come back. */
  private epoch = 0;
  private reads = 0;
  private writes = 0;
  private deletes = 0;
  private versionCount = 0;
  private closed = false;
  private readonly expired = (entry: CacheEntry, now: number): boolean => this.allExpired(entry, now);
  /** Pending batches, oldest first, read when a load installs (after its await). */
  private readonly pendingBatches = (): WriteBatch[] => [...this.inFlight, this.batch];

  constructor(options: KeyedBackendOptions, private readonly storage: IdbStateStorage) {
    const { keyGroupRange, maxParallelism } = options;
    if (keyGroupRange.start < 0 || keyGroupRange.end >= maxParallelism || keyGroupRange.end < keyGroupRange.start) {
      throw new RangeError(`Key-group range [${keyGroupRange.start}, ${keyGroupRange.end}] does not fit max parallelism ${maxParallelism}.`);
    }
    this.operatorId = options.operatorId;
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = { ...keyGroupRange };
    this.shards = new ShardSet(options.operatorId, storage, {
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
    const misses = new Map<number, string[]>();
    for (let i = 0; i < request.keyGroups.length; i++) {
      const keyGroup = request.keyGroups[i] as number;
      const encodedKey = request.encodedKeys[i] as string;
      this.checkRange(keyGroup);
      const key = cacheKey(this.operatorId, keyGroup, encodedKey);
      if (this.prepared.has(key)) continue;
      const cached = this.storage.cache.get(key);
      if (cached !== undefined) {
        counters.cacheHits++;
        this.prepared.set(key, cached);
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
    const pending = this.pending(keyGroup, stateName, userKey);
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
    } else {
      // Not resident (a write without prepare): count from what is known, else guess "new".
      const pending = this.pending(keyGroup, stateName, userKey);
      if (pending === undefined && !(shard.loaded && !shard.filter.mightContain(encodedKey))) shard.countKnown = false;
      if (pending === undefined || pending === DELETED) shard.entries++;
    }
    shard.filter.add(encodedKey);
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
      const pending = this.pending(keyGroup, stateName, userKey);
      if (pending === DELETED) return;
      const shard = this.shards.of(keyGroup);
      if (pending === undefined) shard.countKnown = false;
      else shard.entries--;
    }
    this.record(keyGroup, stateName, userKey, DELETED);
  }

  scan(keyGroup: number, stateName: string): IterableIterator<[string, unknown]> {
    this.checkRange(keyGroup);
    const userKeys = new Set<string>();
    const seen = new Set<string>();
    const take = (entry: CacheEntry): void => {
      if (entry.keyGroup !== keyGroup || seen.has(entry.encodedKey)) return;
      seen.add(entry.encodedKey);
      for (let i = 0; i < entry.rows.length; i += 3) if (entry.rows[i] === stateName) userKeys.add(entry.rows[i + 1] as string);
    };
    for (const entry of this.prepared.values()) take(entry);
    for (const entry of this.storage.cache.entriesOf(this.operatorId, keyGroup)) take(entry);
    for (const pending of [...this.inFlight, this.batch]) {
      for (const [name, userKey, value] of pending.entriesOf(keyGroup)) {
        if (name === stateName && value !== DELETED && !seen.has(recordKeyOf(userKey))) userKeys.add(userKey);
      }
    }
    return this.liveRows(keyGroup, stateName, [...userKeys]);
  }

  entriesOfKey(keyGroup: number, encodedKey: string): [string, string, unknown][] {
    this.checkRange(keyGroup);
    const out: [string, string, unknown][] = [];
    const entry = this.entryOf(keyGroup, encodedKey);
    const rows = entry?.rows ?? [];
    for (let i = 0; i < rows.length; i += 3) out.push([rows[i] as string, rows[i + 1] as string, rows[i + 2]]);
    if (entry === undefined) {
      for (const pending of [...this.inFlight, this.batch]) {
        const list = pending.rowsOf(keyGroup, encodedKey) ?? [];
        for (let i = 0; i < list.length; i += 3) if (list[i + 2] !== DELETED) out.push([list[i] as string, list[i + 1] as string, list[i + 2]]);
      }
    }
    return out.filter(([name]) => this.registered.has(name));
  }

  /** Writes everything pending; rejects with the error of any failed background flush. */
  flush(): Promise<void> | undefined {
    this.storage.throwFailures();
    if (this.batch.size === 0 && this.inFlight.length === 0) return undefined;
    const started = this.startFlush('checkpoint', false);
    return (started ?? this.queue.then(() => undefined)).then(() => this.storage.throwFailures());
  }

  snapshot(checkpointId: number): Promise<KeyedStateSnapshot> {
    this.assertOpen();
    this.storage.throwFailures();
    const epoch = this.epoch;
    return this.enqueue(async () => {
      const unknown = this.shards.uncounted([...this.batch.keyGroups(), ...this.changedSinceSeal.keys()]);
      if (unknown.length > 0) await this.shards.load(new Map(), unknown, this.pendingBatches, false);
      const taken = this.batch.take();
      this.inFlight.push(taken);
      if (taken.size > 0) this.countFlush('checkpoint', taken);
      try {
        const handle = await this.storage.transact(
          'readwrite',
          async (tx) => {
            const metas = await readShardMetas(tx, this.operatorId, this.keyGroupRange);
            assertGrowing(metas.values(), checkpointId);
            for (const keyGroup of taken.keyGroups()) metas.set(keyGroup, await this.shards.appendChunk(tx, taken, keyGroup));
            const base = { operatorId: this.operatorId, checkpointId, maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange };
            const sealed = await sealShards(tx, base, metas, (kg) => ({
              entries: this.shards.knownEntries(kg),
              changed: this.changedSinceSeal.get(kg)?.size ?? 0,
            }));
            this.versionCount = sealed.versions;
            return sealed.snapshot;
          },
          'strict',
        );
        this.changedSinceSeal.clear();
        this.storage.counters.snapshots++;
        return handle;
      } catch (error) {
        if (epoch === this.epoch) this.restoreFailed(taken);
        throw error;
      } finally {
        this.inFlight.splice(this.inFlight.indexOf(taken), 1);
      }
    });
  }

  restore(snapshots: readonly KeyedStateSnapshot[]): Promise<void> {
    this.assertOpen();
    for (const snapshot of snapshots) {
      if (snapshot.operatorId !== this.operatorId || snapshot.maxParallelism !== this.maxParallelism) {
        throw new Error(
          `Cannot restore operator ${this.operatorId} (max parallelism ${this.maxParallelism}) from a snapshot of ` +
            `${snapshot.operatorId} (max parallelism ${snapshot.maxParallelism}).`,
        );
      }
    }
    assertDisjoint(snapshots);
    // Unflushed writes belong to the abandoned history; cached rows of this range may too.
    this.epoch++;
    this.batch = new WriteBatch();
    this.prepared.clear();
    this.changedSinceSeal.clear();
    this.shards.clear();
    const { start, end } = this.keyGroupRange;
    this.storage.cache.deleteWhere((e) => e.operatorId === this.operatorId && e.keyGroup >= start && e.keyGroup <= end);
    this.storage.counters.restores++;
    return this.enqueue(async () => {
      this.versionCount = await this.storage.transact('readwrite', async (tx) => {
        await assertMarkers(tx, this.storage.dbName, snapshots);
        return revertShards(tx, this.operatorId, this.keyGroupRange, snapshots);
      });
    });
  }

  /** Folds versions older than `checkpointId` into one chunk per shard (retained checkpoints stay restorable). */
  releaseSnapshotsBefore(checkpointId: number): Promise<void> {
    return this.enqueue(() =>
      this.storage.transact('readwrite', async (tx) => {
        const metas = await readShardMetas(tx, this.operatorId, this.keyGroupRange);
        let versions = 0;
        for (const meta of metas.values()) {
          await foldShard(tx, meta, checkpointId);
          versions += meta.seals.length;
        }
        this.versionCount = versions;
      }),
    );
  }

  metrics(): KeyedStateMetrics {
    const keyGroups: KeyGroupFigures[] = this.shards.figures(this.keyGroupRange);
    const totalEntries = keyGroups.reduce((n, g) => n + g.entries, 0);
    return { operatorId: this.operatorId, totalEntries, keyGroups, reads: this.reads, writes: this.writes, deletes: this.deletes, versions: this.versionCount };
  }

  /** Flushes what is pending, then releases the instance (the database and cache keep the data). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.batch.size > 0) await this.startFlush('close', false);
    await this.queue;
    this.closed = true;
    this.prepared.clear();
    this.storage.forget(this);
  }

  /** Entries waiting in this view's batches (the storage's gauge). */
  unflushedEntries(): number {
    return this.inFlight.reduce((n, b) => n + b.size, this.batch.size);
  }

  /** Starts a latency flush when the oldest pending write is at or before `cutoffMs`. */
  flushIfOlderThan(cutoffMs: number): void {
    const first = this.batch.firstWriteMs;
    if (first !== undefined && first <= cutoffMs) void this.startFlush('latency', true);
  }

  /** Takes the batch and writes it in the queue; background flushes report failures to the storage. */
  private startFlush(cause: FlushCause, background: boolean): Promise<void> | undefined {
    if (this.batch.size === 0) return undefined;
    const taken = this.batch.take();
    const epoch = this.epoch;
    this.inFlight.push(taken);
    this.countFlush(cause, taken);
    this.storage.flushStarted();
    const write = this.enqueue(() => this.storage.transact('readwrite', async (tx) => {
      for (const keyGroup of taken.keyGroups()) await this.shards.appendChunk(tx, taken, keyGroup);
    }));
    const settled = write.then(
      () => this.finishFlush(taken),
      (error: unknown) => {
        // Back under newer writes before leaving inFlight: the writes stay readable throughout.
        if (epoch === this.epoch) this.restoreFailed(taken);
        this.finishFlush(taken);
        if (!background) throw error;
        this.storage.reportFailure(error);
      },
    );
    if (background) settled.catch(() => undefined);
    return settled;
  }

  /** A failed batch's writes go back into the current batch, beneath every newer write. */
  private restoreFailed(taken: WriteBatch): void {
    this.batch.restoreUnder(taken, this.inFlight.slice(this.inFlight.indexOf(taken) + 1));
  }

  private finishFlush(taken: WriteBatch): void {
    this.inFlight.splice(this.inFlight.indexOf(taken), 1);
    this.storage.flushEnded();
  }

  private countFlush(cause: FlushCause, taken: WriteBatch): void {
    const counters = this.storage.counters;
    counters.flushes++;
    counters.flushedEntries += taken.size;
    counters.flushCauses[cause]++;
  }

  private record(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    if (value === DELETED) this.batch.delete(keyGroup, stateName, userKey, this.storage.nowMs);
    else this.batch.put(keyGroup, stateName, userKey, value, this.storage.nowMs);
    let changed = this.changedSinceSeal.get(keyGroup);
    if (changed === undefined) this.changedSinceSeal.set(keyGroup, (changed = new Set()));
    changed.add(stateName + SEP + userKey);
    if (this.batch.size >= this.storage.flushThresholdEntries) void this.startFlush('size', true);
  }

  /** The newest pending write at an address (current batch, then in-flight ones newest first). */
  private pending(keyGroup: number, stateName: string, userKey: string): unknown {
    const own = this.batch.lookup(keyGroup, stateName, userKey);
    if (own !== undefined) return own;
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const value = (this.inFlight[i] as WriteBatch).lookup(keyGroup, stateName, userKey);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  private entryOf(keyGroup: number, encodedKey: string): CacheEntry | undefined {
    const key = cacheKey(this.operatorId, keyGroup, encodedKey);
    return this.prepared.get(key) ?? this.storage.cache.get(key);
  }

  private newEntry(keyGroup: number, encodedKey: string, rows: unknown[]): CacheEntry {
    return { operatorId: this.operatorId, keyGroup, encodedKey, rows, expired: this.expired };
  }

  /** Pins an entry for the current batch and caches it. */
  private install(entry: CacheEntry, pin = true): void {
    const key = cacheKey(entry.operatorId, entry.keyGroup, entry.encodedKey);
    if (pin) this.prepared.set(key, entry);
    this.storage.cache.set(key, entry, this.storage.nowMs, pin);
  }

  /** TTL-aware eviction: every row belongs to a TTL state and is expired. */
  private allExpired(entry: CacheEntry, now: number): boolean {
    for (let i = 0; i < entry.rows.length; i += 3) {
      if (!this.ttlStates.has(entry.rows[i] as string) || purgeExpired(entry.rows[i + 2], now) !== undefined) return false;
    }
    return true;
  }

  private *liveRows(keyGroup: number, stateName: string, userKeys: string[]): IterableIterator<[string, unknown]> {
    for (const userKey of userKeys) {
      const entry = this.entryOf(keyGroup, recordKeyOf(userKey));
      let value: unknown;
      if (entry !== undefined) {
        const at = findRow(entry.rows, stateName, userKey);
        value = at < 0 ? undefined : entry.rows[at + 2];
      } else {
        const pending = this.pending(keyGroup, stateName, userKey);
        value = pending === DELETED ? undefined : pending;
      }
      if (value !== undefined) yield [userKey, value];
    }
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

/** @throws Error when two snapshots claim the same key group. */
function assertDisjoint(snapshots: readonly KeyedStateSnapshot[]): void {
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

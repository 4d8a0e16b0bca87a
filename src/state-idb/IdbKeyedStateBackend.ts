/**
 * One operator subtask's view of the IndexedDB state storage (DESIGN.md §5).
 *
 * - **Memory first.** `tables` holds the live rows of each key group at Map speed; get/put/
 *   delete/scan are synchronous. A key group is *loaded* once `prepare` has folded its chunk
 *   rows into memory; before that its table holds only this instance's own writes.
 * - **Write path.** Every put/delete also goes into the {@link WriteBatch}; `flush` writes one
 *   chunk row per dirty key group in one readwrite transaction. Loading a key group overlays
 *   the pending (and in-flight) batches on the rows read from disk, so nothing is lost to order.
 * - **Versions.** A chunk is a delta with a growing version per shard. `snapshot(n)` flushes and
 *   records, per changed shard, "checkpoint n = chunks up to version v" (metadata only), with
 *   a strict-durability checkpoint marker in the same transaction. `restore` deletes chunks
 *   newer than the restored version (history abandoned) and drops the loaded tables; they
 *   reload on the next `prepare`. `releaseSnapshotsBefore` folds old chunks into one.
 * - All IndexedDB work runs through one queue per instance, so loads, flushes, snapshots and
 *   restores never interleave.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type {
  KeyGroupFigures,
  KeyedBackendOptions,
  KeyedStateBackend,
  KeyedStateMetrics,
  KeyedStateSnapshot,
  PrepareRequest,
  StateRegistration,
} from '../engine/state/types';
import { KEY_SEPARATOR } from '../engine/state/keyEncoding';
import type { IdbStateStorage, StateWriteTx } from './IdbStateStorage';
import { chunkRange, foldShard, loadShardRows, newShardMeta, shardMetaRange } from './shardOps';
import type { ShardMeta } from './schema';
import { DELETED, WriteBatch } from './WriteBatch';

type Table = Map<string, Map<string, unknown>>;
const EMPTY_ITERATOR: IterableIterator<[string, unknown]> = new Map<string, unknown>().entries();
const SEP = '\u0000';

export class IdbKeyedStateBackend implements KeyedStateBackend {
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly needsPrepare = true;
  private readonly tables = new Map<number, Table>();
  private readonly loaded = new Set<number>();
  private readonly loading = new Map<number, Promise<void>>();
  private batch = new WriteBatch();
  /** Batches taken by a flush that has not committed yet (overlaid on loads). */
  private readonly inFlight: WriteBatch[] = [];
  /** Addresses changed since the last snapshot, per key group (`stateName \0 userKey`). */
  private readonly changedSinceSeal = new Map<number, Set<string>>();
  private readonly registered = new Map<string, StateRegistration>();
  private queue: Promise<unknown> = Promise.resolve();
  private pendingOps = 0;
  private reads = 0;
  private writes = 0;
  private deletes = 0;
  private versionCount = 0;
  private closed = false;

  constructor(options: KeyedBackendOptions, private readonly storage: IdbStateStorage) {
    const { keyGroupRange, maxParallelism } = options;
    if (keyGroupRange.start < 0 || keyGroupRange.end >= maxParallelism || keyGroupRange.end < keyGroupRange.start) {
      throw new RangeError(`Key-group range [${keyGroupRange.start}, ${keyGroupRange.end}] does not fit max parallelism ${maxParallelism}.`);
    }
    this.operatorId = options.operatorId;
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = { ...keyGroupRange };
  }

  registerState(registration: StateRegistration): void {
    const existing = this.registered.get(registration.name);
    if (existing !== undefined && existing.ttlMs !== registration.ttlMs) {
      throw new Error(`State '${registration.name}' of operator ${this.operatorId} is declared twice with different TTLs.`);
    }
    this.registered.set(registration.name, { ...registration });
  }

  /** Loads the whole key groups involved (a chunk holds a key group); `undefined` when all are in memory. */
  prepare(request: PrepareRequest): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    const add = (keyGroup: number): void => {
      this.checkRange(keyGroup);
      if (this.loaded.has(keyGroup)) return;
      let pending = this.loading.get(keyGroup);
      if (pending === undefined) {
        pending = this.enqueue(() => this.load(keyGroup));
        this.loading.set(keyGroup, pending);
      }
      waits.push(pending);
    };
    for (const keyGroup of request.keyGroups) add(keyGroup);
    for (const keyGroup of request.wholeKeyGroups ?? []) add(keyGroup);
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }

  get(keyGroup: number, stateName: string, userKey: string): unknown {
    this.checkRange(keyGroup);
    this.reads++;
    return this.tables.get(keyGroup)?.get(stateName)?.get(userKey);
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    this.checkRange(keyGroup);
    if (value === undefined) throw new Error(`State '${stateName}': undefined is not a storable value; delete the row instead.`);
    this.writes++;
    setRow(this.tableOf(keyGroup), stateName, userKey, value);
    this.batch.put(keyGroup, stateName, userKey, value);
    this.markChanged(keyGroup, stateName, userKey);
  }

  delete(keyGroup: number, stateName: string, userKey: string): void {
    this.checkRange(keyGroup);
    this.deletes++;
    const existed = this.tables.get(keyGroup)?.get(stateName)?.delete(userKey) ?? false;
    if (!existed && this.loaded.has(keyGroup)) return;
    this.batch.delete(keyGroup, stateName, userKey);
    this.markChanged(keyGroup, stateName, userKey);
  }

  scan(keyGroup: number, stateName: string): IterableIterator<[string, unknown]> {
    this.checkRange(keyGroup);
    return this.tables.get(keyGroup)?.get(stateName)?.entries() ?? EMPTY_ITERATOR;
  }

  /** Writes the batch as one chunk row per dirty key group, in one transaction. */
  flush(): Promise<void> | undefined {
    if (this.batch.size === 0 && this.pendingOps === 0) return undefined;
    return this.enqueue(() => this.writeBatch());
  }

  snapshot(checkpointId: number): Promise<KeyedStateSnapshot> {
    this.assertOpen();
    return this.enqueue(() => this.seal(checkpointId));
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
    // Unflushed writes belong to the abandoned history; scans in progress stop.
    this.batch = new WriteBatch();
    for (const table of this.tables.values()) for (const rows of table.values()) rows.clear();
    this.tables.clear();
    this.loaded.clear();
    this.changedSinceSeal.clear();
    return this.enqueue(() => this.revert(snapshots));
  }

  releaseSnapshotsBefore(checkpointId: number): Promise<void> {
    return this.enqueue(() =>
      this.storage.transact('readwrite', async (tx) => {
        const metas = (await tx.objectStore('meta').getAll(shardMetaRange(this.operatorId, this.keyGroupRange))) as ShardMeta[];
        for (const meta of metas) await foldShard(tx, meta, checkpointId);
        this.versionCount = metas.reduce((n, m) => n + m.seals.length, 0);
      }),
    );
  }

  metrics(): KeyedStateMetrics {
    const keyGroups: KeyGroupFigures[] = [];
    let totalEntries = 0;
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const entries = countRows(this.tables.get(kg));
      if (entries === 0) continue;
      keyGroups.push({ keyGroup: kg, entries });
      totalEntries += entries;
    }
    return {
      operatorId: this.operatorId,
      totalEntries,
      keyGroups,
      reads: this.reads,
      writes: this.writes,
      deletes: this.deletes,
      versions: this.versionCount,
    };
  }

  entriesOfKey(keyGroup: number, encodedKey: string): [string, string, unknown][] {
    this.checkRange(keyGroup);
    const out: [string, string, unknown][] = [];
    const table = this.tables.get(keyGroup);
    if (table === undefined) return out;
    const prefix = encodedKey + KEY_SEPARATOR;
    for (const stateName of this.registered.keys()) {
      for (const [userKey, value] of table.get(stateName) ?? []) {
        if (userKey === encodedKey || userKey.startsWith(prefix)) out.push([stateName, userKey, value]);
      }
    }
    return out;
  }

  /** Flushes what is pending, then releases the instance (the database keeps the data). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    this.pendingOps++;
    const run = this.queue.then(op);
    const settled = run.finally(() => this.pendingOps--);
    this.queue = settled.catch(() => undefined);
    return settled;
  }

  private async load(keyGroup: number): Promise<void> {
    try {
      const rows = await this.storage.transact('readonly', (tx) => loadShardRows(tx, this.operatorId, keyGroup));
      this.installLoaded(keyGroup, rows);
    } finally {
      this.loading.delete(keyGroup);
    }
  }

  /** Replaces a key group's table by its disk state overlaid with pending writes. */
  private installLoaded(keyGroup: number, rows: Table): void {
    for (const pending of [...this.inFlight, this.batch]) {
      for (const [stateName, userKey, value] of pending.entriesOf(keyGroup)) {
        if (value === DELETED) rows.get(stateName)?.delete(userKey);
        else setRow(rows, stateName, userKey, value);
      }
    }
    this.tables.set(keyGroup, rows);
    this.loaded.add(keyGroup);
  }

  private async writeBatch(): Promise<void> {
    if (this.batch.size === 0) return;
    await this.withTakenBatch((taken) =>
      this.storage.transact('readwrite', async (tx) => {
        for (const keyGroup of taken.keyGroups()) await this.appendChunk(tx, taken, keyGroup);
      }),
    );
  }

  /** Takes the batch for one write; on failure its writes go back under the newer ones. */
  private async withTakenBatch<T>(write: (taken: WriteBatch) => Promise<T>): Promise<T> {
    const taken = this.batch.take();
    this.inFlight.push(taken);
    try {
      return await write(taken);
    } catch (error) {
      for (const keyGroup of taken.keyGroups()) {
        for (const [stateName, userKey, value] of taken.entriesOf(keyGroup)) {
          if (this.batch.lookup(keyGroup, stateName, userKey) !== undefined) continue;
          if (value === DELETED) this.batch.delete(keyGroup, stateName, userKey);
          else this.batch.put(keyGroup, stateName, userKey, value);
        }
      }
      throw error;
    } finally {
      this.inFlight.splice(this.inFlight.indexOf(taken), 1);
    }
  }

  private async appendChunk(tx: StateWriteTx, taken: WriteBatch, keyGroup: number): Promise<ShardMeta> {
    const meta = await this.shardMeta(tx, keyGroup);
    await tx.objectStore('chunks').put(taken.chunkOf(keyGroup), [this.operatorId, keyGroup, meta.nextVersion]);
    meta.nextVersion++;
    await tx.objectStore('meta').put(meta, ['shard', this.operatorId, keyGroup]);
    return meta;
  }

  private async shardMeta(tx: StateWriteTx, keyGroup: number): Promise<ShardMeta> {
    const stored = await tx.objectStore('meta').get(['shard', this.operatorId, keyGroup]);
    return stored?.kind === 'shard' ? stored : newShardMeta(this.operatorId, keyGroup);
  }

  private async seal(checkpointId: number): Promise<KeyedStateSnapshot> {
    // Changed key groups must be in memory to count their rows (cost ∝ change).
    for (const keyGroup of new Set([...this.batch.keyGroups(), ...this.changedSinceSeal.keys()])) {
      if (!this.loaded.has(keyGroup)) await this.load(keyGroup);
    }
    const handle = await this.withTakenBatch((taken) =>
      this.storage.transact(
        'readwrite',
        async (tx) => {
          const metas = (await tx.objectStore('meta').getAll(shardMetaRange(this.operatorId, this.keyGroupRange))) as ShardMeta[];
          const byGroup = new Map(metas.map((m) => [m.keyGroup, m]));
          for (const meta of metas) {
            const last = meta.seals[meta.seals.length - 1];
            if (last !== undefined && !(checkpointId > last.checkpointId)) {
              throw new Error(
                `Key group ${meta.keyGroup}: snapshot ${checkpointId} is not newer than version ${last.checkpointId}; checkpoint ids must grow.`,
              );
            }
          }
          for (const keyGroup of taken.keyGroups()) byGroup.set(keyGroup, await this.appendChunk(tx, taken, keyGroup));
          const snapshot = this.sealShards(tx, [...byGroup.values()].sort((a, b) => a.keyGroup - b.keyGroup), checkpointId);
          await tx.objectStore('meta').put(
            { kind: 'checkpoint', operatorId: this.operatorId, checkpointId, handle: snapshot },
            ['checkpoint', this.operatorId, checkpointId, this.keyGroupRange.start],
          );
          return snapshot;
        },
        'strict',
      ),
    );
    this.changedSinceSeal.clear();
    return handle;
  }

  /** Records version `checkpointId` of every shard with chunks newer than its last seal; builds the handle. */
  private sealShards(tx: StateWriteTx, metas: ShardMeta[], checkpointId: number): KeyedStateSnapshot {
    const keyGroups: KeyGroupFigures[] = [];
    let totalEntries = 0;
    let changedEntries = 0;
    let versions = 0;
    for (const meta of metas) {
      const last = meta.seals[meta.seals.length - 1];
      const head = meta.nextVersion - 1;
      let entries = last?.entries ?? 0;
      let changed = 0;
      if (head > (last?.version ?? -1)) {
        entries = this.loaded.has(meta.keyGroup) ? countRows(this.tables.get(meta.keyGroup)) : entries;
        changed = this.changedSinceSeal.get(meta.keyGroup)?.size ?? 0;
        meta.seals.push({ checkpointId, version: head, entries });
        void tx.objectStore('meta').put(meta, ['shard', this.operatorId, meta.keyGroup]);
      }
      versions += meta.seals.length;
      if (entries > 0 || changed > 0) keyGroups.push({ keyGroup: meta.keyGroup, entries, changed });
      totalEntries += entries;
      changedEntries += changed;
    }
    this.versionCount = versions;
    return {
      operatorId: this.operatorId,
      checkpointId,
      maxParallelism: this.maxParallelism,
      keyGroupRange: { ...this.keyGroupRange },
      keyGroups,
      totalEntries,
      changedEntries,
    };
  }

  /** Drops chunks newer than each owned shard's restored version (metadata and deletes only). */
  private async revert(snapshots: readonly KeyedStateSnapshot[]): Promise<void> {
    await this.storage.transact('readwrite', async (tx) => {
      const metas = (await tx.objectStore('meta').getAll(shardMetaRange(this.operatorId, this.keyGroupRange))) as ShardMeta[];
      for (const meta of metas) {
        const covering = snapshots.find((s) => meta.keyGroup >= s.keyGroupRange.start && meta.keyGroup <= s.keyGroupRange.end);
        const target = covering?.checkpointId ?? -Infinity;
        meta.seals = meta.seals.filter((s) => s.checkpointId <= target);
        const cutoff = meta.seals[meta.seals.length - 1]?.version ?? -1;
        await tx.objectStore('chunks').delete(chunkRange(this.operatorId, meta.keyGroup, cutoff));
        await tx.objectStore('meta').put(meta, ['shard', this.operatorId, meta.keyGroup]);
      }
    });
  }

  private tableOf(keyGroup: number): Table {
    let table = this.tables.get(keyGroup);
    if (table === undefined) {
      table = new Map();
      this.tables.set(keyGroup, table);
    }
    return table;
  }

  private markChanged(keyGroup: number, stateName: string, userKey: string): void {
    let set = this.changedSinceSeal.get(keyGroup);
    if (set === undefined) {
      set = new Set();
      this.changedSinceSeal.set(keyGroup, set);
    }
    set.add(stateName + SEP + userKey);
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

function setRow(table: Table, stateName: string, userKey: string, value: unknown): void {
  let rows = table.get(stateName);
  if (rows === undefined) {
    rows = new Map();
    table.set(stateName, rows);
  }
  rows.set(userKey, value);
}

function countRows(table: Table | undefined): number {
  let n = 0;
  if (table !== undefined) for (const rows of table.values()) n += rows.size;
  return n;
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

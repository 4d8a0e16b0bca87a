/**
 * The in-memory state storage and its keyed backend: the twin of the IndexedDB backend
 * (STYLE.md habit 5), used by the `memory` run setting and by unit tests.
 *
 * Layout: storage → operator id → key group → {@link MemoryShard}. A backend instance is a
 * view over the shards of one key-group range, so restore and rescale open a new view over
 * the same shards and revert them; no state is copied (DESIGN.md §5, "metadata operations").
 * Everything is synchronous: `prepare`, `flush`, `restore` and friends return `undefined`.
 *
 * The storage lives as long as its TaskManager worker: killing the worker loses it, as losing a
 * machine loses a heap backend in Flink. Durable recovery is the IndexedDB backend's job.
 */
import type { KeyGroupRange } from '../../keygroups/keyGroups';
import type {
  KeyGroupFigures,
  KeyGroupRows,
  KeyedBackendOptions,
  KeyedStateBackend,
  KeyedStateMetrics,
  KeyedStateSnapshot,
  PrepareRequest,
  VersionGcFigures,
  StateRegistration,
  StateStorage,
  StateStorageFigures,
} from '../types';
import { emptyStateStorageFigures } from '../types';
import { KEY_SEPARATOR } from '../keyEncoding';
import { MemoryShard } from './MemoryShard';

const EMPTY_ITERATOR: IterableIterator<[string, unknown]> = new Map<string, unknown>().entries();

/** One storage per TaskManager (or per test). */
export class MemoryStateStorage implements StateStorage {
  readonly kind = 'memory' as const;
  private readonly operators = new Map<string, Map<number, MemoryShard>>();

  openKeyedBackend(options: KeyedBackendOptions): MemoryKeyedStateBackend {
    let shards = this.operators.get(options.operatorId);
    if (shards === undefined) {
      shards = new Map();
      this.operators.set(options.operatorId, shards);
    }
    return new MemoryKeyedStateBackend(options, shards);
  }

  /** Nothing is buffered in memory, so a tick's end has nothing to flush or report. */
  endTick(): void {
    // Intentionally empty: the memory storage writes through.
  }

  figures(): StateStorageFigures {
    return emptyStateStorageFigures('memory');
  }

  dispose(): undefined {
    this.operators.clear();
    return undefined;
  }
}

/** Creates the memory storage (the scheduler's factory for `stateBackend: 'memory'`). */
export function createMemoryStateStorage(): MemoryStateStorage {
  return new MemoryStateStorage();
}

/** One operator subtask's view of the memory storage. */
export class MemoryKeyedStateBackend implements KeyedStateBackend {
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly needsPrepare = false;
  private readonly start: number;
  /** Shards of the owned range, by `keyGroup - start`; created on first write. */
  private readonly local: (MemoryShard | undefined)[];
  private readonly registered = new Map<string, StateRegistration>();
  private reads = 0;
  private writes = 0;
  private deletes = 0;
  private closed = false;
  private readonly gc: VersionGcFigures = { folds: 0, versionsReleased: 0, rowsReleased: 0, versionsRetained: 0, rowsRetained: 0 };

  constructor(options: KeyedBackendOptions, private readonly shards: Map<number, MemoryShard>) {
    const { keyGroupRange, maxParallelism } = options;
    if (keyGroupRange.start < 0 || keyGroupRange.end >= maxParallelism || keyGroupRange.end < keyGroupRange.start) {
      throw new RangeError(`Key-group range [${keyGroupRange.start}, ${keyGroupRange.end}] does not fit max parallelism ${maxParallelism}.`);
    }
    this.operatorId = options.operatorId;
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = { ...keyGroupRange };
    this.start = keyGroupRange.start;
    this.local = new Array<MemoryShard | undefined>(keyGroupRange.end - keyGroupRange.start + 1);
  }

  registerState(registration: StateRegistration): void {
    const existing = this.registered.get(registration.name);
    if (existing !== undefined && existing.ttlMs !== registration.ttlMs) {
      throw new Error(`State '${registration.name}' of operator ${this.operatorId} is declared twice with different TTLs.`);
    }
    this.registered.set(registration.name, { ...registration });
  }

  prepare(_request: PrepareRequest): undefined {
    return undefined;
  }

  get(keyGroup: number, stateName: string, userKey: string): unknown {
    this.reads++;
    return this.shardFor(keyGroup)?.get(stateName, userKey);
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    if (value === undefined) throw new Error(`State '${stateName}': undefined is not a storable value; delete the row instead.`);
    this.writes++;
    let shard = this.shardFor(keyGroup);
    if (shard === undefined) {
      shard = new MemoryShard(keyGroup);
      // Shard objects are shared through `shards`; a view only caches them in `local`.
      this.shards.set(keyGroup, shard);
      this.local[keyGroup - this.start] = shard;
    }
    shard.put(stateName, userKey, value);
  }

  delete(keyGroup: number, stateName: string, userKey: string): void {
    this.deletes++;
    this.shardFor(keyGroup)?.delete(stateName, userKey);
  }

  scan(keyGroup: number, stateName: string): IterableIterator<[string, unknown]> {
    return this.shardFor(keyGroup)?.tables.get(stateName)?.entries() ?? EMPTY_ITERATOR;
  }

  entriesOfKey(keyGroup: number, encodedKey: string): [string, string, unknown][] {
    const out: [string, string, unknown][] = [];
    const tables = this.shardFor(keyGroup)?.tables;
    if (tables === undefined) return out;
    const prefix = encodedKey + KEY_SEPARATOR;
    for (const stateName of this.registered.keys()) {
      const table = tables.get(stateName);
      if (table === undefined) continue;
      for (const [userKey, value] of table) {
        if (userKey === encodedKey || userKey.startsWith(prefix)) out.push([stateName, userKey, value]);
      }
    }
    return out;
  }

  rowsOfKeyGroups(keyGroups: readonly number[]): KeyGroupRows[] {
    return keyGroups.map((keyGroup) => {
      const rows: KeyGroupRows['rows'] = [];
      for (const [stateName, table] of this.shardFor(keyGroup)?.tables ?? []) {
        for (const [userKey, value] of table) rows.push([stateName, userKey, value]);
      }
      return { keyGroup, rows };
    });
  }

  flush(): undefined {
    return undefined;
  }

  snapshot(checkpointId: number): KeyedStateSnapshot {
    this.assertOpen();
    const keyGroups: KeyGroupFigures[] = [];
    let totalEntries = 0;
    let changedEntries = 0;
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const shard = this.shardFor(kg);
      if (shard === undefined) continue;
      const changed = shard.seal(checkpointId);
      const entries = shard.entries();
      if (entries > 0 || changed > 0) keyGroups.push({ keyGroup: shard.keyGroup, entries, changed });
      totalEntries += entries;
      changedEntries += changed;
    }
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

  restore(snapshots: readonly KeyedStateSnapshot[]): undefined {
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
    for (let i = 0; i < this.local.length; i++) {
      const keyGroup = this.start + i;
      const shard = this.shardFor(keyGroup);
      if (shard === undefined) continue;
      const covering = snapshots.find((s) => keyGroup >= s.keyGroupRange.start && keyGroup <= s.keyGroupRange.end);
      shard.revert(covering === undefined ? -Infinity : covering.checkpointId);
    }
    return undefined;
  }

  releaseSnapshotsBefore(checkpointId: number): undefined {
    let versions = 0;
    let rows = 0;
    let retained = 0;
    let retainedRows = 0;
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const shard = this.shardFor(kg);
      if (shard === undefined) continue;
      const released = shard.fold(checkpointId);
      versions += released.versions;
      rows += released.rows;
      retained += shard.versionCount();
      retainedRows += shard.versionRows();
    }
    if (versions > 0) this.gc.folds++;
    this.gc.versionsReleased += versions;
    this.gc.rowsReleased += rows;
    this.gc.versionsRetained = retained;
    this.gc.rowsRetained = retainedRows;
    return undefined;
  }

  metrics(): KeyedStateMetrics {
    const keyGroups: KeyGroupFigures[] = [];
    let totalEntries = 0;
    let versions = 0;
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const shard = this.shardFor(kg);
      if (shard === undefined) continue;
      const entries = shard.entries();
      versions += shard.versionCount();
      if (entries === 0) continue;
      keyGroups.push({ keyGroup: shard.keyGroup, entries });
      totalEntries += entries;
    }
    return { operatorId: this.operatorId, totalEntries, keyGroups, reads: this.reads, writes: this.writes, deletes: this.deletes, versions, gc: { ...this.gc } };
  }

  close(): undefined {
    this.closed = true;
    return undefined;
  }

  /** The shard of an owned key group (undefined until first written). @throws RangeError outside the range. */
  private shardFor(keyGroup: number): MemoryShard | undefined {
    const index = keyGroup - this.start;
    if (!(index >= 0 && index < this.local.length)) {
      throw new RangeError(
        `Key group ${keyGroup} is outside [${this.keyGroupRange.start}, ${this.keyGroupRange.end}] of operator ${this.operatorId}: ` +
          'a record reached a subtask that does not own its key.',
      );
    }
    const shard = this.local[index];
    if (shard !== undefined) return shard;
    // Another view over the same storage (a rescaled sibling, a test) may have created it.
    const shared = this.shards.get(keyGroup);
    if (shared !== undefined) this.local[index] = shared;
    return shared;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The state backend of operator ${this.operatorId} is closed.`);
  }
}

/** @throws Error when two snapshots claim the same key group (they must come from one parallelism each). */
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

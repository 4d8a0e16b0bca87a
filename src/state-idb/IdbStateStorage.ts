/**
 * The IndexedDB state storage (DESIGN.md §5): one database per job and one storage per
 * TaskManager. It owns what the TaskManager's keyed subtasks share: the connection (opened
 * lazily through an injectable `IDBFactory`, reopened with bounded retries when lost), the
 * fixed-capacity read cache, the flush budget (backpressure) and the figures. Backends
 * (IdbKeyedStateBackend.ts) are views over key-group ranges of the same database, so restore
 * and rescale open a new view; no state rows move.
 *
 * Every IndexedDB access goes through the one transaction helper {@link IdbStateStorage.transact}
 * (STYLE.md habit 6), which translates quota errors, retries a lost connection and counts.
 */
import type { IDBPTransaction } from 'idb';
import type { VirtualMs } from '../engine/runtime/types';
import { emptyStateStorageFigures, type FlushCause, type KeyedBackendOptions, type StateStorage, type StateStorageFigures } from '../engine/state/types';
import {
  isConnectionError,
  StateConnectionLostError,
  StateDatabaseLostError,
  StateVersionChangeError,
  translateStorageError,
} from './errors';
import { IdbKeyedStateBackend } from './IdbKeyedStateBackend';
import { deleteStateDb, IDENTITY_KEY, openStateDb, STORES, type StateDb, type StateDbSchema } from './schema';
import { StateCache } from './StateCache';

export type StateTx = IDBPTransaction<StateDbSchema, ['chunks', 'meta'], 'readwrite' | 'readonly'>;
export type StateWriteTx = IDBPTransaction<StateDbSchema, ['chunks', 'meta'], 'readwrite'>;

/** Where a test may inject a failure (see {@link IdbStateStorageOptions.injectFault}). */
export type FaultPoint = 'transaction' | 'commit';

export interface IdbStateStorageOptions {
  /** The job's database name (one database per job; see `stateDbName`). */
  dbName: string;
  /** The factory to open it with; defaults to the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** Delete the database before first use: a fresh run starts from no state. Default false. */
  fresh?: boolean;
  /** Called when another tab upgrades or deletes the database (the connection is closed). */
  onVersionChange?: () => void;
  /** Entries (record keys) of the shared read cache; fixed for the storage's life. Default 2^17. */
  cacheCapacity?: number;
  /** Configured false-positive rate of the per-shard Bloom filters. Default 0.01. */
  bloomFalsePositiveRate?: number;
  /**
   * A backend's write batch flushes when it holds this many distinct entries. Default 32768:
   * with ~128 key groups per operator that is ~256–1,000 entries per chunk row, where
   * IndexedDB writes records fastest (reference/browser-limits.md c), and a hot key set
   * coalesces many updates per flush. The batch's memory is bounded by it.
   */
  flushThresholdEntries?: number;
  /**
   * ... or when its oldest write is this old in virtual ms (checked in `endTick`). Default 5000:
   * checkpoints flush the batch anyway, so this only bounds unflushed age when they are off or rare.
   */
  flushLatencyMs?: number;
  /** Flushes in flight before `prepare` makes the caller wait (backpressure). Default 4. */
  maxInFlightFlushes?: number;
  /** Reopen attempts after a lost connection before failing. Default 3. */
  maxReconnects?: number;
  /**
   * Tests only: called before creating a transaction (`'transaction'`) and before awaiting its
   * commit (`'commit'`); a returned error is thrown there, as the browser would.
   */
  injectFault?: (point: FaultPoint, mode: IDBTransactionMode) => unknown;
}

/** Defaults of {@link IdbStateStorageOptions}. */
export const IDB_STATE_DEFAULTS = {
  cacheCapacity: 1 << 17,
  bloomFalsePositiveRate: 0.01,
  flushThresholdEntries: 32_768,
  flushLatencyMs: 5000,
  maxInFlightFlushes: 4,
  maxReconnects: 3,
} as const;

/** The database name of a job's state (one database per job). */
export function stateDbName(jobId: string): string {
  return `sluice-state-${jobId}`;
}

export class IdbStateStorage implements StateStorage {
  readonly kind = 'idb' as const;
  readonly dbName: string;
  readonly cache: StateCache;
  readonly bloomFpr: number;
  readonly flushThresholdEntries: number;
  readonly flushLatencyMs: number;
  /** Counters shared with the backends (they add to them directly). */
  readonly counters: StateStorageFigures = emptyStateStorageFigures('idb');
  /** The latest virtual time seen in `endTick` (TTL-aware eviction). */
  nowMs: VirtualMs = 0;
  private readonly factory: IDBFactory;
  private readonly maxInFlight: number;
  private readonly maxReconnects: number;
  private readonly backends = new Set<IdbKeyedStateBackend>();
  private dbPromise: Promise<StateDb> | undefined;
  private identity: string | undefined;
  private freshPending: boolean;
  private versionChanged = false;
  private failures: unknown[] = [];
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: IdbStateStorageOptions) {
    this.dbName = options.dbName;
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) throw new Error('IndexedDB is not available here; pass an IDBFactory or use stateBackend "memory".');
    this.factory = factory;
    this.cache = new StateCache(options.cacheCapacity ?? IDB_STATE_DEFAULTS.cacheCapacity);
    this.bloomFpr = options.bloomFalsePositiveRate ?? IDB_STATE_DEFAULTS.bloomFalsePositiveRate;
    this.flushThresholdEntries = Math.max(1, options.flushThresholdEntries ?? IDB_STATE_DEFAULTS.flushThresholdEntries);
    this.flushLatencyMs = options.flushLatencyMs ?? IDB_STATE_DEFAULTS.flushLatencyMs;
    this.maxInFlight = Math.max(1, options.maxInFlightFlushes ?? IDB_STATE_DEFAULTS.maxInFlightFlushes);
    this.maxReconnects = options.maxReconnects ?? IDB_STATE_DEFAULTS.maxReconnects;
    this.freshPending = options.fresh ?? false;
    this.counters.cacheCapacity = this.cache.capacity;
  }

  openKeyedBackend(options: KeyedBackendOptions): IdbKeyedStateBackend {
    const backend = new IdbKeyedStateBackend(options, this);
    this.backends.add(backend);
    return backend;
  }

  /** A backend closed: it no longer takes part in latency flushes. */
  forget(backend: IdbKeyedStateBackend): void {
    this.backends.delete(backend);
  }

  /** Starts latency flushes in the background; throws the first background failure since the last call. */
  endTick(nowMs: VirtualMs): void {
    this.nowMs = nowMs;
    for (const backend of this.backends) backend.flushIfOlderThan(nowMs - this.flushLatencyMs);
    this.throwFailures();
  }

  figures(): StateStorageFigures {
    let unflushed = 0;
    for (const backend of this.backends) unflushed += backend.unflushedEntries();
    const { evictions, expiredEvictions } = this.cache.counters;
    return {
      ...this.counters,
      flushCauses: { ...this.counters.flushCauses },
      cacheEntries: this.cache.size,
      evictions,
      expiredEvictions,
      unflushedEntries: unflushed,
    };
  }

  /** Records a background failure, to be thrown by the next `endTick`, `flush` or `snapshot`. */
  reportFailure(error: unknown): void {
    this.failures.push(error);
  }

  /** Throws (and clears) the first recorded background failure; a version change always throws. */
  throwFailures(): void {
    if (this.versionChanged) throw new StateVersionChangeError(this.dbName);
    const first = this.failures[0];
    if (this.failures.length === 0) return;
    this.failures = [];
    throw first;
  }

  /** Backpressure: a promise to wait on while too many flushes are in flight, else undefined. */
  flushCapacity(): Promise<void> | undefined {
    if (this.inFlight < this.maxInFlight) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => this.flushCapacity());
  }

  /** Counts a flush of `entries` entries (figures: mean batch size, causes). */
  countFlush(cause: FlushCause, entries: number): void {
    this.counters.flushes++;
    this.counters.flushedEntries += entries;
    this.counters.flushCauses[cause]++;
  }

  /** Brackets a flush for the in-flight budget. */
  flushStarted(): void {
    this.inFlight++;
  }

  flushEnded(): void {
    this.inFlight--;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Runs `body` in one transaction over both stores and resolves after it committed (awaiting
   * `tx.done`). A throw in `body` aborts the transaction. Quota errors become
   * StateStorageFullError; a lost connection is reopened up to `maxReconnects` times before
   * StateConnectionLostError (only before `body` ran, so nothing runs twice).
   */
  async transact<T>(mode: 'readonly', body: (tx: StateTx) => Promise<T>): Promise<T>;
  async transact<T>(mode: 'readwrite', body: (tx: StateWriteTx) => Promise<T>, durability?: IDBTransactionDurability): Promise<T>;
  async transact<T>(
    mode: 'readonly' | 'readwrite',
    body: (tx: StateWriteTx) => Promise<T>,
    durability: IDBTransactionDurability = 'default',
  ): Promise<T> {
    const tx = await this.begin(mode, durability);
    const done = tx.done;
    done.catch(() => undefined);
    let result: T;
    try {
      result = await body(tx);
      const fault = this.options.injectFault?.('commit', mode);
      if (fault !== undefined) throw fault;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborting: the original error is what matters.
      }
      throw translateStorageError(this.dbName, error, transactionError(tx));
    }
    try {
      await done;
    } catch (error) {
      throw translateStorageError(this.dbName, error, transactionError(tx));
    }
    this.counters.idbTransactions++;
    return result;
  }

  /** Closes the connection (tests; the data stays). */
  async close(): Promise<void> {
    const pending = this.dbPromise;
    this.dbPromise = undefined;
    if (pending !== undefined) (await pending.catch(() => undefined))?.close();
  }

  /** Deletes the job's database (the end of a run, or tests). */
  async dispose(): Promise<void> {
    await this.close();
    await deleteStateDb(this.dbName, this.factory);
  }

  private async begin(mode: IDBTransactionMode, durability: IDBTransactionDurability): Promise<StateWriteTx> {
    for (let attempt = 0; ; attempt++) {
      if (this.versionChanged) throw new StateVersionChangeError(this.dbName);
      try {
        const db = await this.db();
        const fault = this.options.injectFault?.('transaction', mode);
        if (fault !== undefined) throw fault;
        return db.transaction([STORES.chunks, STORES.meta], mode, { durability }) as unknown as StateWriteTx;
      } catch (error) {
        if (this.versionChanged) throw new StateVersionChangeError(this.dbName);
        if (!isConnectionError(error)) throw translateStorageError(this.dbName, error);
        if (attempt >= this.maxReconnects) throw new StateConnectionLostError(this.dbName, attempt, { cause: error });
        this.counters.reconnects++;
        await this.close();
      }
    }
  }

  private db(): Promise<StateDb> {
    this.dbPromise ??= this.connect();
    const pending = this.dbPromise;
    // A failed open is not cached: the next transaction tries again.
    pending.catch(() => {
      if (this.dbPromise === pending) this.dbPromise = undefined;
    });
    return pending;
  }

  private async connect(): Promise<StateDb> {
    if (this.freshPending) {
      await deleteStateDb(this.dbName, this.factory);
      this.freshPending = false;
    }
    const db = await openStateDb(this.dbName, this.factory, {
      onVersionChange: () => {
        this.versionChanged = true;
        this.dbPromise = undefined;
        this.options.onVersionChange?.();
      },
      onClose: () => {
        this.dbPromise = undefined;
      },
    });
    const record = await db.get(STORES.meta, IDENTITY_KEY);
    const id = record?.kind === 'identity' ? record.id : undefined;
    if (id === undefined || (this.identity !== undefined && id !== this.identity)) {
      db.close();
      throw new StateDatabaseLostError(this.dbName, id === undefined ? 'its identity row is missing' : 'it was recreated while in use');
    }
    this.identity = id;
    return db;
  }
}

function transactionError(tx: StateWriteTx): unknown {
  try {
    return tx.error;
  } catch {
    return undefined;
  }
}

/** Opens a job's IndexedDB state storage (the database itself opens on first use). */
export function openIdbStateStorage(options: IdbStateStorageOptions): IdbStateStorage {
  return new IdbStateStorage(options);
}

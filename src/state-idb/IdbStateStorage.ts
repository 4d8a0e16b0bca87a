/**
 * The IndexedDB state storage (DESIGN.md §5): one database per job, opened lazily through an
 * injectable `IDBFactory`, and the one private transaction helper every write goes through
 * (STYLE.md habit 6). Backends (IdbKeyedStateBackend.ts) are views over key-group ranges of
 * the same database, so restore and rescale open a new view; no state rows move.
 */
import type { IDBPTransaction } from 'idb';
import { emptyStateStorageFigures, type KeyedBackendOptions, type StateStorage, type StateStorageFigures } from '../engine/state/types';
import { translateStorageError } from './errors';
import { IdbKeyedStateBackend } from './IdbKeyedStateBackend';
import { openStateDb, STORES, type StateDb, type StateDbSchema } from './schema';

export type StateTx = IDBPTransaction<StateDbSchema, ['chunks', 'meta'], 'readwrite' | 'readonly'>;
export type StateWriteTx = IDBPTransaction<StateDbSchema, ['chunks', 'meta'], 'readwrite'>;

export interface IdbStateStorageOptions {
  /** The job's database name (one database per job). */
  dbName: string;
  /** The factory to open it with; defaults to the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** Called when another tab upgrades or deletes the database (the connection is closed). */
  onVersionChange?: () => void;
}

export class IdbStateStorage implements StateStorage {
  readonly kind = 'idb' as const;
  readonly dbName: string;
  private readonly factory: IDBFactory;
  private dbPromise: Promise<StateDb> | undefined;

  constructor(private readonly options: IdbStateStorageOptions) {
    this.dbName = options.dbName;
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) throw new Error('IndexedDB is not available here; pass an IDBFactory or use stateBackend "memory".');
    this.factory = factory;
  }

  openKeyedBackend(options: KeyedBackendOptions): IdbKeyedStateBackend {
    return new IdbKeyedStateBackend(options, this);
  }

  /** Latency flushes arrive with the bounded-memory write path; nothing runs in the background yet. */
  endTick(): void {
    // Intentionally empty until background flushes exist.
  }

  figures(): StateStorageFigures {
    return emptyStateStorageFigures('idb');
  }

  /**
   * Runs `body` in one transaction over both stores and resolves after it committed (awaiting
   * `tx.done`). A throw in `body` aborts the transaction. Quota errors become StateStorageFullError.
   */
  async transact<T>(mode: 'readonly', body: (tx: StateTx) => Promise<T>): Promise<T>;
  async transact<T>(mode: 'readwrite', body: (tx: StateWriteTx) => Promise<T>, durability?: IDBTransactionDurability): Promise<T>;
  async transact<T>(
    mode: 'readonly' | 'readwrite',
    body: (tx: StateWriteTx) => Promise<T>,
    durability: IDBTransactionDurability = 'default',
  ): Promise<T> {
    const db = await this.db();
    const tx = db.transaction([STORES.chunks, STORES.meta], mode, { durability }) as StateWriteTx;
    const done = tx.done;
    done.catch(() => undefined);
    let result: T;
    try {
      result = await body(tx);
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
    return result;
  }

  /** Closes the connection (tests; the data stays). */
  async close(): Promise<void> {
    const pending = this.dbPromise;
    this.dbPromise = undefined;
    if (pending !== undefined) (await pending).close();
  }

  /** Deletes the job's database. */
  async dispose(): Promise<void> {
    await this.close();
    await new Promise<void>((resolve, reject) => {
      const request = this.factory.deleteDatabase(this.dbName);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error(`Could not delete database ${this.dbName}.`));
    });
  }

  private db(): Promise<StateDb> {
    this.dbPromise ??= openStateDb(this.dbName, this.factory, () => {
      this.dbPromise = undefined;
      this.options.onVersionChange?.();
    });
    return this.dbPromise;
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

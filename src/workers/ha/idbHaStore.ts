/**
 * The HA file store in IndexedDB (DESIGN.md §6, the "file-like store" of seed 2's hybrid HA):
 * the same versioned, epoch-fenced records as the coordination store, durable across JobManager
 * workers (every JobManager worker of the page opens the same database, `sluice-ha`).
 *
 * The rules of HaRecordStore (src/engine/ha/types.ts) hold inside one readwrite transaction:
 * `put` reads the newest epoch and refuses a stale writer in the same transaction that writes
 * the record, and `claimEpoch` reads and bumps the epoch atomically, so two JobManager workers
 * racing for leadership never get the same epoch. Writes use strict durability: a snapshot a
 * successor relies on is on disk before the leader tells any TaskManager what it implies.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { HaFencedError, type HaRecordStore, type LeaderEntry, type VersionedRecord } from '../../engine/ha/types';

/** Bump with a migration in `upgrade` when the layout changes (needs a migration then). */
export const HA_DB_VERSION = 1;
export const HA_DB_NAME = 'sluice-ha';

const STORES = { records: 'records', meta: 'meta' } as const;
const EPOCH = 'epoch';

interface HaDb extends DBSchema {
  [STORES.records]: { key: string; value: VersionedRecord<unknown> };
  /** `epoch`: the newest epoch seen and its leader. */
  [STORES.meta]: { key: string; value: LeaderEntry };
}

type Tx = IDBPTransaction<HaDb, ('records' | 'meta')[], 'readwrite'>;

/** One upgrade function for every version. */
function upgrade(database: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    database.createObjectStore(STORES.records);
    database.createObjectStore(STORES.meta);
  }
}

/** The file store on `factory` (the worker's indexedDB; fake-indexeddb in Node tests). */
export class IdbHaStore implements HaRecordStore {
  readonly kind = 'file' as const;
  private open: Promise<IDBPDatabase<HaDb>> | undefined;

  constructor(private readonly factory: IDBFactory, private readonly name: string = HA_DB_NAME) {}

  async put<T>(key: string, value: T, epoch: number): Promise<number> {
    return this.readwrite(async (tx) => {
      const newest = (await tx.objectStore(STORES.meta).get(EPOCH))?.epoch ?? 0;
      if (epoch < newest) throw new HaFencedError('file', epoch, newest);
      if (epoch > newest) await tx.objectStore(STORES.meta).put({ leader: '', epoch }, EPOCH);
      const records = tx.objectStore(STORES.records);
      const version = ((await records.get(key))?.version ?? 0) + 1;
      await records.put({ value, version, epoch }, key);
      return version;
    });
  }

  async get<T>(key: string): Promise<VersionedRecord<T> | undefined> {
    return (await (await this.db()).get(STORES.records, key)) as VersionedRecord<T> | undefined;
  }

  async claimEpoch(candidate: string, atLeast: number): Promise<LeaderEntry> {
    return this.readwrite(async (tx) => {
      const newest = (await tx.objectStore(STORES.meta).get(EPOCH))?.epoch ?? 0;
      const entry: LeaderEntry = { leader: candidate, epoch: Math.max(newest, atLeast) + 1 };
      await tx.objectStore(STORES.meta).put(entry, EPOCH);
      return entry;
    });
  }

  async epoch(): Promise<number> {
    return (await (await this.db()).get(STORES.meta, EPOCH))?.epoch ?? 0;
  }

  /** Closes the connection (tests; a worker's closes with it). */
  close(): void {
    void this.open?.then((d) => d.close(), () => undefined);
    this.open = undefined;
  }

  private db(): Promise<IDBPDatabase<HaDb>> {
    if (this.open === undefined) {
      const request = this.factory.open(this.name, HA_DB_VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
      this.open = (wrap(request) as Promise<unknown>).then((d) => d as IDBPDatabase<HaDb>);
    }
    return this.open;
  }

  /** The one transaction helper: `work` runs in one strict readwrite transaction, awaited to its commit. */
  private async readwrite<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    const tx = (await this.db()).transaction([STORES.records, STORES.meta], 'readwrite', { durability: 'strict' });
    try {
      const result = await work(tx);
      await tx.done;
      return result;
    } catch (error) {
      // A refusal (fencing) writes nothing: the transaction is aborted, and its `done` rejection is expected.
      try {
        tx.abort();
      } catch {
        // already finished
      }
      await tx.done.catch(() => undefined);
      throw error;
    }
  }
}

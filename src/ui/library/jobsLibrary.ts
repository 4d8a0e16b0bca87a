/**
 * The designer's jobs library: saved jobs in IndexedDB (DESIGN.md §7 "save/open jobs").
 *
 * Follows the house IndexedDB template (STYLE.md habit 6): typed schema, store names in one
 * const, name and version as constants, one upgrade function, one transaction helper that
 * awaits `tx.done`, and `close()`.
 *
 * Rules it keeps:
 * - A save is one readwrite transaction: read the old record (for `createdAt`), put the new one.
 *   A call resolves only after the transaction has committed, and any failure aborts it, so a
 *   failed save never reports success and never touches the previously saved version.
 * - Every storage failure surfaces as a `LibraryError` (see `libraryErrors.ts`) whose message
 *   says what to do.
 * - Drafts are allowed: the library stores whatever job the designer holds, valid or not.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { JobGraph } from '../../engine/job/types';
import { LibraryError, libraryError, toLibraryError, type LibraryOperation } from './libraryErrors';

export { LibraryError, type LibraryErrorCode } from './libraryErrors';

export interface SavedJobSummary {
  id: string;
  name: string;
  /** Epoch ms of the last save or rename. */
  updatedAt: number;
  /** Epoch ms of the first save; kept by later saves. */
  createdAt: number;
  /** Number of operators in the job. */
  operators: number;
}

export interface SavedJob extends SavedJobSummary {
  job: JobGraph;
}

export interface JobsLibrary {
  /** Every saved job, newest `updatedAt` first. */
  list(): Promise<SavedJobSummary[]>;
  get(id: string): Promise<SavedJob | undefined>;
  /** Save a new job (fresh id) or overwrite `id`, keeping its `createdAt`. */
  save(job: JobGraph, id?: string): Promise<SavedJob>;
  /** Rename a saved job; also sets `job.name`. */
  rename(id: string, name: string): Promise<SavedJob>;
  /** Delete a saved job; deleting a missing id is not an error. */
  remove(id: string): Promise<void>;
  /** The job with the newest `updatedAt`, to reopen on start. */
  mostRecent(): Promise<SavedJob | undefined>;
  /** Close the connection; later calls fail with `library.closed`. */
  close(): void;
}

export interface OpenJobsLibraryOptions {
  /** Database name; tests pass a fresh one each. */
  dbName?: string;
  /** Clock for `createdAt`/`updatedAt` (epoch ms). */
  now?: () => number;
  /** Id generator for new jobs. */
  newId?: () => string;
}

export const DB_NAME = 'sluice-designer';
/**
 * Schema version. Bump it for any change to stores or indexes, and add the migration from the
 * previous version to `upgrade` below (never edit an existing step: users have data in it).
 */
export const DB_VERSION = 1;

export const STORES = {
  jobs: 'jobs',
} as const;

const BY_UPDATED_AT = 'byUpdatedAt';

interface DesignerDB extends DBSchema {
  [STORES.jobs]: {
    key: string;
    value: SavedJob;
    indexes: { [BY_UPDATED_AT]: number };
  };
}

type Db = IDBPDatabase<DesignerDB>;
type JobsTx<Mode extends IDBTransactionMode> = IDBPTransaction<DesignerDB, [typeof STORES.jobs], Mode>;

/** Every schema version, in order. Add a `if (oldVersion < N)` block per bump. */
function upgrade(db: Db, oldVersion: number): void {
  if (oldVersion < 1) {
    const jobs = db.createObjectStore(STORES.jobs, { keyPath: 'id' });
    jobs.createIndex(BY_UPDATED_AT, 'updatedAt');
  }
}

/** How long an open may stay blocked by another tab before we give up and say so. */
const DEFAULT_BLOCKED_GRACE_MS = 3000;

/**
 * Open the database, turning every way an open can fail into a `LibraryError`.
 * A `blocked` open (another tab keeps an older version open) gets `blockedGraceMs` to resolve
 * itself, since well-behaved tabs close on `versionchange`; after that it fails with
 * `library.blocked`, and a connection that arrives later is closed at once.
 * Exported for tests only (they need a version higher than `DB_VERSION` to provoke `blocked`).
 */
export function openDesignerDb(
  dbName: string,
  version: number,
  events: { onClosed: () => void },
  blockedGraceMs = DEFAULT_BLOCKED_GRACE_MS,
): Promise<Db> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(libraryError('library.unavailable', 'open'));
  }
  return new Promise<Db>((resolve, reject) => {
    let settled = false;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = (fn: () => void) => {
      if (settled) return false;
      settled = true;
      if (blockedTimer !== undefined) clearTimeout(blockedTimer);
      fn();
      return true;
    };
    openDB<DesignerDB>(dbName, version, {
      upgrade: (db, oldVersion) => upgrade(db, oldVersion),
      blocked: () => {
        blockedTimer ??= setTimeout(() => settle(() => reject(libraryError('library.blocked', 'open'))), blockedGraceMs);
      },
      // A newer Sluice in another tab wants to upgrade: step aside instead of blocking it.
      blocking: () => {
        if (!settled) return;
        events.onClosed();
      },
      terminated: () => events.onClosed(),
    }).then(
      (db) => {
        if (!settle(() => resolve(db))) db.close();
      },
      (error: unknown) => {
        settle(() => reject(toLibraryError(error, 'open')));
      },
    );
  });
}

function defaultNewId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `job-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function summaryOf(saved: SavedJob): SavedJobSummary {
  const { id, name, updatedAt, createdAt, operators } = saved;
  return { id, name, updatedAt, createdAt, operators };
}

/** Newest first; equal times fall back to id, in the order the `byUpdatedAt` index walks backwards. */
function newestFirst(a: SavedJobSummary, b: SavedJobSummary): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function displayName(name: unknown): string {
  return typeof name === 'string' && name.trim() !== '' ? name : 'Untitled job';
}

class IdbJobsLibrary implements JobsLibrary {
  private db: Db | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(db: Db, now: () => number, newId: () => string) {
    this.db = db;
    this.now = now;
    this.newId = newId;
  }

  /** Called when the connection goes away underneath us (another tab upgrading, the browser). */
  readonly onClosed = (): void => {
    this.close();
  };

  async list(): Promise<SavedJobSummary[]> {
    const all = await this.tx('readonly', 'list', (tx) => tx.store.getAll());
    return all.map(summaryOf).sort(newestFirst);
  }

  async get(id: string): Promise<SavedJob | undefined> {
    return this.tx('readonly', 'get', (tx) => tx.store.get(id));
  }

  async save(job: JobGraph, id?: string): Promise<SavedJob> {
    return this.tx('readwrite', 'save', async (tx) => {
      const key = id ?? this.newId();
      const previous = id === undefined ? undefined : await tx.store.get(key);
      const updatedAt = this.now();
      const record: SavedJob = {
        id: key,
        name: displayName(job.name),
        createdAt: previous?.createdAt ?? updatedAt,
        updatedAt,
        operators: Array.isArray(job.operators) ? job.operators.length : 0,
        job,
      };
      await tx.store.put(record);
      // The caller keeps editing its job object; hand back an independent copy of what was stored.
      return structuredClone(record);
    });
  }

  async rename(id: string, name: string): Promise<SavedJob> {
    if (name.trim() === '') throw libraryError('library.invalid-name', 'rename');
    return this.tx('readwrite', 'rename', async (tx) => {
      const previous = await tx.store.get(id);
      if (!previous) throw libraryError('library.not-found', 'rename', { detail: id });
      const record: SavedJob = { ...previous, name, updatedAt: this.now(), job: { ...previous.job, name } };
      await tx.store.put(record);
      return record;
    });
  }

  async remove(id: string): Promise<void> {
    await this.tx('readwrite', 'remove', (tx) => tx.store.delete(id));
  }

  async mostRecent(): Promise<SavedJob | undefined> {
    return this.tx('readonly', 'get', async (tx) => {
      const cursor = await tx.store.index(BY_UPDATED_AT).openCursor(null, 'prev');
      return cursor?.value;
    });
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  /**
   * The one transaction helper: runs `body`, then awaits `tx.done`, so a result is returned only
   * once the transaction committed. On any failure the transaction is aborted (nothing partial
   * commits) and the error is mapped to a `LibraryError`.
   */
  private async tx<T, Mode extends IDBTransactionMode>(
    mode: Mode,
    operation: LibraryOperation,
    body: (tx: JobsTx<Mode>) => Promise<T>,
  ): Promise<T> {
    if (!this.db) throw libraryError('library.closed', operation);
    let tx: JobsTx<Mode>;
    try {
      tx = this.db.transaction(STORES.jobs, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
    } catch (error) {
      throw toLibraryError(error, operation);
    }
    const done = tx.done;
    done.catch(() => undefined); // observed below; this only stops an "unhandled rejection" report
    try {
      const result = await body(tx);
      await done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already committed or aborted
      }
      throw error instanceof LibraryError ? error : toLibraryError(error, operation, tx.error);
    }
  }
}

/** Open (creating or upgrading as needed) the designer's jobs library. */
export async function openJobsLibrary(options: OpenJobsLibraryOptions = {}): Promise<JobsLibrary> {
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? defaultNewId;
  // The connection can be closed under us (see `openDesignerDb`); route that to the library.
  const holder: { library?: IdbJobsLibrary } = {};
  const db = await openDesignerDb(options.dbName ?? DB_NAME, DB_VERSION, { onClosed: () => holder.library?.onClosed() });
  holder.library = new IdbJobsLibrary(db, now, newId);
  return holder.library;
}

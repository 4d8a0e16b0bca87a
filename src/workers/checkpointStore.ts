/**
 * The JobManager's durable checkpoint metadata (DESIGN.md §6: "checkpoint metadata persists in
 * IndexedDB"): after every completed checkpoint the coordinator's exported state (completed
 * checkpoints with their snapshot handles, the next checkpoint id) is written to the job's own
 * database, `sluice-checkpoints-<jobId>`, apart from its keyed state (`sluice-state-<jobId>`),
 * so a reload can restore from the last completed checkpoint. A checkpoint is written only once
 * it completed, in one transaction, so a half-written checkpoint is never read back.
 *
 * With the metadata, in the same record (so in the same strict-durability transaction), goes
 * the saved run a resume after reload starts from (engine/cluster/resume.ts): a record is
 * only ever written for a checkpoint that completed, and replaces the previous one whole.
 *
 * Node tests and hosts without IndexedDB use the memory twin.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import type { CheckpointMetadata } from '../engine/cluster/CheckpointDriver';
import type { CheckpointMetadataStore } from '../engine/cluster/clusterPorts';
import type { ResumableRun, SavedRun } from '../engine/cluster/resume';

/** Bump with a migration in `upgrade` when the layout changes. */
export const CHECKPOINT_DB_VERSION = 1;

const STORES = { metadata: 'metadata' } as const;
const LATEST = 'latest';
const PREFIX = 'sluice-checkpoints-';

interface CheckpointDb extends DBSchema {
  [STORES.metadata]: { key: string; value: { metadata: CheckpointMetadata; run?: SavedRun; savedAtMs?: number } };
}

/** The database name of a job's checkpoint metadata. */
export function checkpointDbName(jobId: string): string {
  return `${PREFIX}${jobId}`;
}

/** Checkpoint metadata in IndexedDB, one database per job, connections kept open per job. */
export function idbCheckpointStore(factory: IDBFactory): CheckpointMetadataStore & { close(): void } {
  const connections = new Map<string, Promise<IDBPDatabase<CheckpointDb>>>();
  const db = (jobId: string): Promise<IDBPDatabase<CheckpointDb>> => {
    let open = connections.get(jobId);
    if (open === undefined) {
      // Opened on the given factory (fake-indexeddb in Node), the way state-idb's schema does.
      const request = factory.open(checkpointDbName(jobId), CHECKPOINT_DB_VERSION);
      request.onupgradeneeded = () => {
        const database = request.result;
        if (!database.objectStoreNames.contains(STORES.metadata)) database.createObjectStore(STORES.metadata);
      };
      open = (wrap(request) as Promise<unknown>).then((database) => database as IDBPDatabase<CheckpointDb>);
      connections.set(jobId, open);
    }
    return open;
  };
  /** The one transaction helper: a write, awaited to its commit. */
  const write = async (jobId: string, work: (store: IDBPObjectStore<CheckpointDb, ['metadata'], 'metadata', 'readwrite'>) => void): Promise<void> => {
    // Strict: the record is on disk before the transaction reports done (a crash right after keeps it).
    const tx = (await db(jobId)).transaction(STORES.metadata, 'readwrite', { durability: 'strict' });
    work(tx.store);
    await tx.done;
  };
  return {
    save: (jobId, metadata, run) => write(jobId, (store) => void store.put(run === undefined ? { metadata } : { metadata, run, savedAtMs: Date.now() }, LATEST)),
    load: async (jobId) => (await (await db(jobId)).get(STORES.metadata, LATEST))?.metadata,
    loadRun: async (jobId) => {
      const entry = await (await db(jobId)).get(STORES.metadata, LATEST);
      return entry?.run === undefined ? undefined : { run: entry.run, metadata: entry.metadata, savedAtMs: entry.savedAtMs ?? 0 };
    },
    listRuns: async () => {
      const names = (await factory.databases()).flatMap((d) => (d.name?.startsWith(PREFIX) === true ? [d.name.slice(PREFIX.length)] : []));
      const runs: ResumableRun[] = [];
      for (const jobId of names) {
        const entry = await (await db(jobId)).get(STORES.metadata, LATEST);
        if (entry?.run !== undefined) runs.push(resumableOf(entry.run, entry.savedAtMs ?? 0));
      }
      return runs.sort((a, b) => b.savedAtMs - a.savedAtMs);
    },
    clear: (jobId) => write(jobId, (store) => void store.delete(LATEST)),
    close: () => {
      for (const open of connections.values()) void open.then((d) => d.close(), () => undefined);
      connections.clear();
    },
  };
}

/** What `resumable()` answers for a saved run. */
export function resumableOf(run: SavedRun, savedAtMs: number): ResumableRun {
  return { jobId: run.jobId, jobName: run.job.name, checkpointId: run.checkpointId, virtualTimeMs: run.virtualTimeMs, savedAtMs };
}

/** The memory twin (Node, or no IndexedDB); shared by clusters given the same instance, like a database. */
export function memoryCheckpointStore(): CheckpointMetadataStore {
  const saved = new Map<string, { metadata: CheckpointMetadata; run?: SavedRun; savedAtMs: number }>();
  let saves = 0;
  return {
    save: (jobId, metadata, run) => void saved.set(jobId, structuredClone({ metadata, ...(run === undefined ? {} : { run }), savedAtMs: ++saves })),
    load: (jobId) => {
      const entry = saved.get(jobId);
      return entry === undefined ? undefined : structuredClone(entry.metadata);
    },
    loadRun: async (jobId) => {
      const entry = saved.get(jobId);
      return entry?.run === undefined ? undefined : structuredClone({ run: entry.run, metadata: entry.metadata, savedAtMs: entry.savedAtMs });
    },
    listRuns: async () => [...saved.values()].flatMap((e) => (e.run === undefined ? [] : [resumableOf(e.run, e.savedAtMs)])).sort((a, b) => b.savedAtMs - a.savedAtMs),
    clear: (jobId) => void saved.delete(jobId),
  };
}

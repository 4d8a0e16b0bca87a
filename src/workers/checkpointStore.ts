/**
 * The JobManager's durable checkpoint metadata (DESIGN.md §6: "checkpoint metadata persists in
 * IndexedDB"): after every completed checkpoint the coordinator's exported state (completed
 * checkpoints with their snapshot handles, the next checkpoint id) is written to the job's own
 * database, `sluice-checkpoints-<jobId>`, apart from its keyed state (`sluice-state-<jobId>`),
 * so a reload can restore from the last completed checkpoint. A checkpoint is written only once
 * it completed, in one transaction, so a half-written checkpoint is never read back.
 *
 * Node tests and hosts without IndexedDB use the memory twin.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import type { CheckpointMetadata } from '../engine/cluster/CheckpointDriver';
import type { CheckpointMetadataStore } from '../engine/cluster/clusterPorts';

/** Bump with a migration in `upgrade` when the layout changes. */
export const CHECKPOINT_DB_VERSION = 1;

const STORES = { metadata: 'metadata' } as const;
const LATEST = 'latest';

interface CheckpointDb extends DBSchema {
  [STORES.metadata]: { key: string; value: { metadata: CheckpointMetadata } };
}

/** The database name of a job's checkpoint metadata. */
export function checkpointDbName(jobId: string): string {
  return `sluice-checkpoints-${jobId}`;
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
    const tx = (await db(jobId)).transaction(STORES.metadata, 'readwrite');
    work(tx.store);
    await tx.done;
  };
  return {
    save: (jobId, metadata) => write(jobId, (store) => void store.put({ metadata }, LATEST)),
    load: async (jobId) => (await (await db(jobId)).get(STORES.metadata, LATEST))?.metadata,
    clear: (jobId) => write(jobId, (store) => void store.delete(LATEST)),
    close: () => {
      for (const open of connections.values()) void open.then((d) => d.close(), () => undefined);
      connections.clear();
    },
  };
}

/** The memory twin (Node, or no IndexedDB). */
export function memoryCheckpointStore(): CheckpointMetadataStore {
  const saved = new Map<string, CheckpointMetadata>();
  return {
    save: (jobId, metadata) => void saved.set(jobId, structuredClone(metadata)),
    load: (jobId) => {
      const metadata = saved.get(jobId);
      return metadata === undefined ? undefined : structuredClone(metadata);
    },
    clear: (jobId) => void saved.delete(jobId),
  };
}

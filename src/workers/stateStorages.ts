/**
 * Keyed state storages for TaskManagers (DESIGN.md §5): `stateBackend: 'idb'` runs on the
 * job's IndexedDB database, `sluice-state-<jobId>` (one database per job, shared by the job's
 * TaskManagers, each opening its own connection); `'memory'` on a heap storage per
 * TaskManager. Without an IDBFactory (Node tests without fake-indexeddb) 'idb' falls back
 * to memory, and the run's state metrics say so (`backend: 'memory'`).
 *
 * Lifecycle of the database: the JobManager deletes it before a fresh run deploys
 * (`clearJobStateDatabase`), so a new run never sees an old run's rows; at stop the
 * TaskManagers only close their connections, so the data stays for later restores.
 */
import type { TaskManagerStatePorts } from '../engine/cluster/TaskManagerHost';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { StateStorage } from '../engine/state/types';
import { IdbStateStorage, openIdbStateStorage, stateDbName } from '../state-idb/IdbStateStorage';

/** How long a delete may stay blocked by connections that do not close (another tab) before the start is refused. */
export const CLEAR_BLOCKED_TIMEOUT_MS = 10_000;

/** Storage creation and release for TaskManager cores, on `factory` when given. */
export function stateStoragePorts(factory: IDBFactory | undefined): TaskManagerStatePorts {
  return {
    createStateStorage: (kind, context): StateStorage => (kind === 'idb' && factory !== undefined
      ? openIdbStateStorage({ dbName: stateDbName(context.jobId), indexedDB: factory })
      : createMemoryStateStorage()),
    releaseStateStorage: (storage) => {
      // IndexedDB keeps the job's rows (later runs restore from them); only the connection goes.
      if (storage instanceof IdbStateStorage) void storage.close().catch(() => undefined);
      else if (storage.kind === 'memory') void storage.dispose();
    },
  };
}

function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/**
 * Deletes a job's state database before a fresh run. Open connections get a `versionchange`
 * and close (the storage closes on it); if some stay open (`blocked`: another tab running the
 * same job, or a TaskManager that has not let go), the delete waits up to `blockedTimeoutMs`,
 * then rejects with code `state.databaseBlocked` and what to do.
 */
export function clearJobStateDatabase(
  factory: IDBFactory, jobId: string, blockedTimeoutMs = CLEAR_BLOCKED_TIMEOUT_MS,
): Promise<void> {
  const name = stateDbName(jobId);
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
    };
    let request: IDBOpenDBRequest;
    try {
      request = factory.deleteDatabase(name);
    } catch (error) {
      reject(coded('state.clearFailed', `Could not clear the keyed state left by an earlier run (database '${name}'): ${String(error)}. Reload the page and start again, or run with stateBackend "memory".`));
      return;
    }
    request.onsuccess = () => {
      done();
      resolve();
    };
    request.onerror = () => {
      done();
      const detail = request.error?.message ?? 'unknown error';
      reject(coded('state.clearFailed', `Could not clear the keyed state left by an earlier run (database '${name}'): ${detail}. Reload the page and start again, or run with stateBackend "memory".`));
    };
    request.onblocked = () => {
      timer ??= setTimeout(() => reject(coded(
        'state.databaseBlocked',
        `The keyed state database '${name}' of this job is still open elsewhere (another tab running the same job?), so a fresh run cannot clear it. ` +
          'Stop the job in the other tab or close it, then start again; or run with stateBackend "memory".',
      )), blockedTimeoutMs);
    };
  });
}

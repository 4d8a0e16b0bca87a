/**
 * Saved runs for resuming after a reload (engine/cluster/resume.ts), on the host's IndexedDB:
 * the record itself lives with the checkpoint metadata (checkpointStore.ts, one strict write
 * per completed checkpoint). Here: the check that the job's keyed state database still
 * exists before a resume, and the reads the page makes on its own at start-up (the resume
 * offer), without starting a JobManager worker.
 */
import type { ResumableRun, SavedRun } from '../engine/cluster/resume';
import { StateDatabaseLostError } from '../state-idb/errors';
import { stateDbName } from '../state-idb/IdbStateStorage';
import { idbCheckpointStore } from './checkpointStore';

/**
 * Rejects with StateDatabaseLostError when the job's keyed state database is gone (deleted,
 * or evicted by the browser): a resume would restore nothing. A database that exists but lost
 * a checkpoint's marker is caught by the restore itself (state-idb versions.ts).
 */
export async function checkJobStateDatabase(factory: IDBFactory, jobId: string): Promise<void> {
  const name = stateDbName(jobId);
  const names = (await factory.databases()).map((d) => d.name);
  if (!names.includes(name)) throw new StateDatabaseLostError(name, 'it no longer exists');
}

/** The newest saved run (of `jobId` when given), or null. */
export async function readResumable(factory: IDBFactory, jobId?: string): Promise<ResumableRun | null> {
  const store = idbCheckpointStore(factory);
  try {
    const runs = (await store.listRuns?.()) ?? [];
    return runs.find((r) => jobId === undefined || r.jobId === jobId) ?? null;
  } finally {
    store.close();
  }
}

/** Forgets a job's saved run and checkpoint metadata (the offer was declined). */
export async function discardSavedRun(factory: IDBFactory, jobId: string): Promise<void> {
  const store = idbCheckpointStore(factory);
  try {
    await store.clear(jobId);
  } finally {
    store.close();
  }
}

/** The job's saved run itself (its job and config), for the restore-an-edited-job preview; null when none. */
export async function readSavedRun(factory: IDBFactory, jobId: string): Promise<SavedRun | null> {
  const store = idbCheckpointStore(factory);
  try {
    return (await store.loadRun?.(jobId))?.run ?? null;
  } finally {
    store.close();
  }
}

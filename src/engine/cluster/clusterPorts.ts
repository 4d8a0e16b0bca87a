/**
 * What a LocalCluster is built from and answers with: the host's wall clock, the state
 * storage ports for in-process TaskManagers, the durable state clearing at a fresh start, and
 * where the TaskManagers run.
 */
import type { RunConfig } from '../runtime/runConfig';
import type { StateStorage } from '../state/types';
import type { CheckpointMetadata } from './CheckpointDriver';
import type { CheckpointSabotage } from './OperatorTask';
import type { ResumableRun, SavedRun } from './resume';
import type { StartProblem } from './planRun';
import type { TaskManagerHostFactory } from './TaskManagerHost';
import type { HaPorts } from './HaController';
import type { JobManagerHandoff } from './jobManagerFailover';
import type { TakeoverSabotage } from '../ha/types';
import type { StateStorageContext } from './TaskManagerState';

/** Wall time, injected by the host (performance.now / setTimeout in a worker, a fake in tests). */
export interface HostClock {
  /** Monotonic wall-clock ms. */
  now(): number;
  /** Resolves after about `ms` wall ms; 0 yields to the event loop once. */
  sleep(ms: number): Promise<void>;
}

export interface LocalClusterPorts {
  clock: HostClock;
  /**
   * One state storage per in-process TaskManager; default: memory for both kinds (Node tests;
   * the workers pass IndexedDB storages, src/workers/stateStorages.ts).
   */
  createStateStorage?: (kind: 'idb' | 'memory', context: StateStorageContext) => StateStorage;
  /** Releases an in-process TaskManager's storage at cancel, keeping its data (see TaskManagerPorts). */
  releaseStateStorage?: (storage: StateStorage) => void;
  /**
   * Clears what an earlier run of the job left in durable state storage (its IndexedDB
   * database), so a fresh run never sees old rows. Called for `stateBackend: 'idb'` runs
   * after the previous run's TaskManagers are released and before deploy; a rejection
   * refuses the start with its message.
   */
  clearJobState?: (jobId: string) => Promise<void>;
  /**
   * Where completed checkpoints' metadata goes (the JobManager's durable store: IndexedDB in
   * the JobManager worker, memory in Node), saved in completion order, so a reload can restore.
   */
  checkpointStore?: CheckpointMetadataStore;
  /**
   * Before a resume (resume.ts) of an `idb` run: rejects with the state storage's
   * StateDatabaseLostError when the job's keyed state database is gone (deleted or evicted).
   */
  checkJobState?: (jobId: string) => Promise<void>;
  /** Test only: a JobManager takeover broken on purpose (the HA oracle suite must catch it). */
  haTesting?: TakeoverSabotage;
  /** Test only: in-process TaskManagers break checkpointing on purpose or report snapshots and restores. */
  checkpointTesting?: CheckpointSabotage;
  /** Where the TaskManagers run, one host per run; default: in this thread. */
  taskManagers?: TaskManagerHostFactory;
  /** JobManager HA stores (src/engine/ha); default: both in memory. */
  ha?: HaPorts;
  /**
   * The JobManager worker dies for real at a kill-jobmanager (browser): told the facts a
   * successor needs, the host terminates this worker and starts one that calls
   * `LocalCluster.adoptRunning`. Absent: the successor is created in this thread at once.
   */
  jobManagerLost?: (handoff: JobManagerHandoff) => void;
}

/** The JobManager's durable checkpoint metadata (completed checkpoints, next id) per job. */
export interface CheckpointMetadataStore {
  /** Saves `metadata`, and `run` (what a resume after reload needs, resume.ts) with it in the same write. */
  save(jobId: string, metadata: CheckpointMetadata, run?: SavedRun): void | Promise<void>;
  load(jobId: string): CheckpointMetadata | undefined | Promise<CheckpointMetadata | undefined>;
  /** The saved run with its metadata (written together), if any. */
  loadRun?(jobId: string): Promise<{ run: SavedRun; metadata: CheckpointMetadata; savedAtMs: number } | undefined>;
  /** Jobs with a saved run, newest save first. */
  listRuns?(): Promise<ResumableRun[]>;
  /** Forgets the job's checkpoints (a fresh run of the job). */
  clear(jobId: string): void | Promise<void>;
}

/** What `start` resolves with (the shape of clusterApi's StartReport). */
export type StartReport =
  | { ok: true; config: RunConfig }
  | { ok: false; errors: StartProblem[] };

/**
 * JobManager high availability (DESIGN.md §6, seed 2's "hybrid HA"): what is kept outside the
 * JobManager so that a new one can take over a running job without restarting its tasks.
 *
 * Two stores hold the same records, each with a version (a per-key counter the store assigns)
 * and the epoch of the leader that wrote it:
 * - the **coordination store** (ZooKeeper-like, its own worker in the browser): leader election
 *   with epochs, the ephemeral leader entry, and the records. Faults can take it down.
 * - the **file store** (HDFS-like; IndexedDB in the browser): the same records, durable.
 * A leader writes every record to both. A new leader reads both where it can and takes the
 * newer version; when the coordination store is down it uses the file store alone and says so.
 *
 * Fencing: a store refuses a write from an epoch older than the newest epoch it has seen, and
 * a TaskManager refuses commands from an epoch older than the newest leader that reached it,
 * so a JobManager that lost leadership cannot change anything.
 */
import type { JobGraph } from '../job/types';
import type { SubtaskPlacement } from '../runtime/protocol';
import type { RunConfig } from '../runtime/runConfig';
import type { RecoveryReport, RunEvent } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import type { CheckpointMetadata } from '../cluster/CheckpointDriver';
import type { SavedSinkSubtask } from '../cluster/SinkOutputs';
import type { CheckpointHistoryState } from '../checkpoint/CheckpointHistory';

/** Which store served a read. */
export type HaStoreKind = 'coordination' | 'file';

/** A record as a store keeps it. */
export interface VersionedRecord<T> {
  value: T;
  /** 1 for the first write of the key, +1 per write. */
  version: number;
  /** The epoch of the leader that wrote it. */
  epoch: number;
}

/** Who leads, as the ephemeral leader entry says. */
export interface LeaderEntry {
  /** The JobManager's name (e.g. `jobmanager-2`). */
  leader: string;
  epoch: number;
}

/** What both stores offer: versioned records, fenced by epoch. */
export interface HaRecordStore {
  readonly kind: HaStoreKind;
  /**
   * Writes `value` under `key` as epoch `epoch`; resolves to the new version. Rejects with
   * {@link HaFencedError} when the store has seen a newer epoch, and with
   * {@link HaUnavailableError} when the store is down.
   */
  put<T>(key: string, value: T, epoch: number): Promise<number>;
  get<T>(key: string): Promise<VersionedRecord<T> | undefined>;
  /**
   * Takes the next epoch: one above every epoch this store has seen (and above `atLeast`),
   * recording `candidate` as the leader of it. Atomic within the store.
   */
  claimEpoch(candidate: string, atLeast: number): Promise<LeaderEntry>;
  /** The newest epoch this store has seen (0: none). */
  epoch(): Promise<number>;
}

/** The coordination store adds the ephemeral leader entry (ZooKeeper's leader latch). */
export interface CoordinationStore extends HaRecordStore {
  readonly kind: 'coordination';
  /** The current leader, or undefined when its session expired and nobody took over yet. */
  leader(): Promise<LeaderEntry | undefined>;
  /** The leader's session ended (its JobManager died): the ephemeral entry goes. */
  expire(leader: string): Promise<void>;
}

/** Record keys (per job). */
export const HA_KEYS = {
  /** The job graph and resolved config, written once at start. */
  job: (jobId: string) => `jobs/${jobId}/graph`,
  /** The latest {@link JobManagerSnapshot}, without its checkpoints ({@link StoredSnapshot}). */
  snapshot: (jobId: string) => `jobs/${jobId}/execution-graph`,
  /**
   * The completed checkpoints and their handles (CheckpointMetadata), in the file store only,
   * written only when a checkpoint completes: the snapshot, in both stores and written more
   * often, points at it by latest id (as Flink's ZooKeeper keeps pointers to checkpoint
   * metadata on HDFS rather than the metadata).
   */
  checkpoints: (jobId: string) => `jobs/${jobId}/checkpoints`,
} as const;

/** Bump on an incompatible change of {@link JobManagerSnapshot}; an older one is refused. */
export const SNAPSHOT_FORMAT = 'sluice-jm-snapshot/1';

/**
 * The ExecutionGraph snapshot (seed 2: "snapshots of the ExecutionGraph are stored in a
 * filesystem store"): what a new leader cannot learn from the TaskManagers. Written at the end
 * of every round that changed one of these facts (deploy, a checkpoint completed, a sink
 * committed, a failover began or ended), before the next round starts, so it never lags what
 * TaskManagers were told. Plain data (structured-cloneable).
 */
export interface JobManagerSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  jobId: string;
  job: JobGraph;
  config: RunConfig;
  placement: SubtaskPlacement[];
  /** The epoch of the leader that wrote it. */
  epoch: number;
  /** The leaders' write counter (1, 2, …, going on across epochs): orders copies from both stores. */
  sequence: number;
  /** The next tick the leader would have begun when it wrote this, and its start time. */
  tick: number;
  virtualTimeMs: VirtualMs;
  /** Completed checkpoints (with their handles) and the next checkpoint id. */
  checkpoints: CheckpointMetadata;
  /** Each collect sink subtask's committed output, as its destination holds it. */
  sinks: Record<string, SavedSinkSubtask[]>;
  /** Execution attempt per subtask, in plan order (0: never restarted). */
  attempts: number[];
  /** TaskManagers alive, by index. */
  alive: boolean[];
  /** Recoveries so far (for `recoveries()` and the timeline). */
  recoveries: RecoveryReport[];
  /** The most recent events, oldest first (the event log goes on from them). */
  events: RunEvent[];
  /** The trace hash when it was written (the new leader's trace continues from it). */
  traceHash: string;
  /** Leader changes so far (this one's included). */
  leaderChanges: LeaderChange[];
  /** The checkpoint statistics (`checkpoints()` history rows and counts), so the panel goes on. */
  checkpointHistory?: CheckpointHistoryState;
}

/** The snapshot as the stores keep it: checkpoints in their own record, pointed at by latest id. */
export type StoredSnapshot = Omit<JobManagerSnapshot, 'checkpoints'> & {
  /** The latest completed checkpoint: the pointer into the file store's checkpoints record. */
  latestCheckpointId: number;
  /** The checkpoint id counter (ZooKeeper's checkpoint-id counter in Flink): ids never go back. */
  nextCheckpointId: number;
};

/** One JobManager failover, as the UI and `haStatus()` show it. */
export interface LeaderChange {
  epoch: number;
  leader: string;
  virtualTimeMs: VirtualMs;
  /** Which store the new leader recovered from; absent for the first leader. */
  recoveredFrom?: HaStoreKind;
  /** Why that store: the coordination store was down, or the file store had the newer version. */
  reason?: string;
  /** Subtasks that kept running through the failover (none restarted). */
  keptRunning?: number;
  /** Version of the snapshot it recovered from. */
  snapshotVersion?: number;
}

/** A store is down (coordination-store-down) or failed; the caller may use the other. */
export class HaUnavailableError extends Error {
  readonly code = 'ha.storeUnavailable';

  constructor(readonly store: HaStoreKind, detail: string) {
    super(`The ${store} store is unavailable: ${detail}`);
    this.name = 'HaUnavailableError';
  }
}

/** A write from an epoch older than the store's newest: the writer is no longer leader. */
export class HaFencedError extends Error {
  readonly code = 'ha.fenced';

  constructor(readonly store: HaStoreKind, readonly epoch: number, readonly current: number) {
    super(`The ${store} store refused a write of epoch ${epoch}: epoch ${current} leads now.`);
    this.name = 'HaFencedError';
  }
}

/**
 * Test only: a takeover broken on purpose, one way per flag, so the JobManager-kill oracle
 * suite shows it catches each (jobManagerFailover.test.ts, "does the oracle bite").
 */
export interface TakeoverSabotage {
  /** Forget the transactions sinks committed after the last snapshot (late commits). */
  skipLateCommits?: boolean;
  /** Ignore the reports the dead leader never read (failures, the last tick's peer batches). */
  ignoreUnreadReports?: boolean;
  /** Go on with the snapshot's next checkpoint id, not above the ids TaskManagers saw. */
  reuseCheckpointIds?: boolean;
}

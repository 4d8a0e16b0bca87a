/**
 * What a run reports (DESIGN.md §8 `status()`, `metrics()`, `output()`, `events()`), as plain,
 * structured-cloneable data. The JobManager assembles it from TaskManager reports; the UI and
 * the automation API only ever read it. Public contract: fields are added, never renamed.
 */
import type { SubtaskRef } from '../plan/executionGraph';
import type { CheckpointStats, CheckpointSummary } from '../checkpoint/types';
import type { StateCleanup } from '../checkpoint/inspectRetention';
import type { KeyGroupFigures, StateStorageFigures } from '../state/types';
import type { StreamRecord, VirtualMs } from './types';

export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'failed' | 'finished' | 'restarting' | 'stopped';

/** A failure and what caused it, outermost first (Flink's cause chain). */
export interface FailureInfo {
  /** Stable code, e.g. `task.userFunction`, `taskmanager.lost`, `taskmanager.tickDeadline`. */
  code: string;
  message: string;
  operatorId?: string;
  subtask?: number;
  taskManager?: number;
  cause?: FailureInfo;
}

export interface RunStatus {
  state: RunState;
  virtualTimeMs: VirtualMs;
  failure?: FailureInfo;
  /** Virtual ms advanced per wall ms over the last second (the speed actually reached). */
  speedReached?: number;
}

/**
 * `restarting`: failed over and waiting for its restart (the restart strategy's delay);
 * `restoring`: redeployed, loading its snapshot before it runs again.
 */
export type SubtaskState = 'created' | 'running' | 'finished' | 'failed' | 'canceled' | 'restarting' | 'restoring';

export interface SubtaskMetrics extends SubtaskRef {
  taskManager: number;
  state: SubtaskState;
  recordsIn: number;
  recordsOut: number;
  /** Per virtual second, over the last virtual second. */
  recordsInPerSecond: number;
  recordsOutPerSecond: number;
  /** Flink's three ratios, ms per (virtual) second; they add up to 1000. */
  busyMsPerSecond: number;
  idleMsPerSecond: number;
  backPressuredMsPerSecond: number;
  /** Current output watermark, or null before the first. */
  watermark: VirtualMs | null;
  lateRecordsDropped: number;
  /** Cost multiplier from a `slow-task` fault (1 = normal). */
  slowFactor: number;
  /** Execution attempt (0: never restarted; +1 per restart). A JobManager failover keeps it. */
  attempt?: number;
}

export interface ChannelMetrics {
  edgeId: string;
  from: SubtaskRef;
  to: SubtaskRef;
  recordsOut: number;
  recordsPerSecond: number;
  /** Buffers queued at the sender (Flink's backlog). */
  backlog: number;
  /** Credits the sender holds. */
  credit: number;
}

export interface OperatorMetrics {
  operatorId: string;
  recordsIn: number;
  recordsOut: number;
  recordsInPerSecond: number;
  recordsOutPerSecond: number;
  /** Highest back-pressured ratio among its subtasks, ms per second. */
  backPressuredMsPerSecond: number;
}

export interface TaskManagerInfo {
  index: number;
  slots: number;
  alive: boolean;
  subtasks: SubtaskRef[];
  /** Drained for maintenance (cluster/drain.ts): up, hosting nothing, until returned to service. */
  drained?: boolean;
}

export interface MetricsSnapshot {
  virtualTimeMs: VirtualMs;
  operators: OperatorMetrics[];
  subtasks: SubtaskMetrics[];
  channels: ChannelMetrics[];
  taskManagers: TaskManagerInfo[];
  /** Keyed state: backend figures and key-group occupancy (sampled with the channel gauges). */
  state?: StateMetrics;
  /** Approximate local recovery: records lost so far in the run (RecoveryReport.recordsLost, summed). */
  recordsLost?: number;
}

/** One keyed subtask's state: its key groups and their occupancy. */
export interface SubtaskStateMetrics {
  index: number;
  taskManager: number;
  /** Inclusive key-group range the subtask owns. */
  keyGroupStart: number;
  keyGroupEnd: number;
  /** Non-empty key groups only, ascending, with rows and approximate bytes. */
  keyGroups: KeyGroupFigures[];
  totalEntries: number;
}

/** One keyed operator's state across its subtasks. */
export interface OperatorStateMetrics {
  operatorId: string;
  /** The id the state is addressed by: the operator's stable id (`uid` when set, else its structural hash). */
  stateId: string;
  maxParallelism: number;
  parallelism: number;
  subtasks: SubtaskStateMetrics[];
}

/** Keyed state of a run (DESIGN.md §5, last bullet; the State panel and `metrics().state`). */
export interface StateMetrics {
  backend: 'memory' | 'idb';
  /** Summed over live TaskManagers (gauges summed too). */
  figures: StateStorageFigures;
  perTaskManager: { taskManager: number; figures: StateStorageFigures }[];
  operators: OperatorStateMetrics[];
}

/** The answer to "what is this key's state?" (State panel lookup, the automation API's `lookupState`). */
export interface StateLookup {
  operatorId: string;
  /** The key as typed and as the job's keyBy sees it. */
  key: string | number;
  keyGroup: number;
  subtask: number;
  taskManager: number;
  /** Rows of that key over all states of the operator: state name, namespace ('' when none), value. */
  entries: { state: string; namespace: string; value: unknown }[];
}

export interface SinkOutput {
  /** Committed records, most recent `keepRecords` at most (oldest first). */
  committed: StreamRecord[];
  /** Records written but not yet committed (two-phase commit). */
  pending: StreamRecord[];
  committedCount: number;
  pendingCount: number;
}

export type RunEventKind =
  | 'run-started' | 'run-paused' | 'run-resumed' | 'run-stopped' | 'run-finished' | 'run-failed'
  | 'fault-injected' | 'task-failed' | 'taskmanager-lost' | 'taskmanager-started' | 'subtask-finished'
  | 'channel-selection-changed' | 'log'
  /** Fault tolerance (DESIGN.md §6): a checkpoint started, completed, or failed (wholly, or one region of it). */
  | 'checkpoint-triggered' | 'checkpoint-completed' | 'checkpoint-failed' | 'checkpoint-region-failed'
  /** A failover was decided (what restarts, from which checkpoint, after which delay). */
  | 'recovery-started'
  /** A restarted subtask was rebuilt and restored from its snapshot (checkpoint 0: from the beginning). */
  | 'subtask-restored'
  /** Every subtask of a recovery runs again. */
  | 'recovery-finished'
  /** A fresh TaskManager took a lost one's place. */
  | 'taskmanager-replaced'
  /** Approximate local recovery counted records lost (dropped, discarded, missing from restored state). */
  | 'records-lost'
  /** A rescale stopped the job with a checkpoint / runs again at the new parallelism (cluster/rescale.ts). */
  | 'rescale-started' | 'rescale-finished'
  /**
   * JobManager high availability (src/engine/ha): the leader died; a new one was elected (and
   * which store it recovered from); it reconciled with the running TaskManagers; a fault took
   * the coordination store down or brought it back.
   */
  | 'jobmanager-lost' | 'leader-elected' | 'jobmanager-reconciled' | 'ha-store-down' | 'ha-store-up' | 'ha-store-slow'
  /** A maintenance drain stopped the job with a checkpoint / runs again without (or, returned to service, with) that TaskManager (cluster/drain.ts). */
  | 'drain-started' | 'taskmanager-drained' | 'taskmanager-undrained'
  /**
   * A region-sharable committer (seed 2's `RegionSharable`): a checkpoint completed with some of
   * its regions failed (which, upstream or downstream of it, and why), or it stayed up while
   * one of its regions restarted and aborted what that region had sent since its snapshot.
   */
  | 'committer-regions-failed' | 'committer-region-rewound';

export interface RunEvent {
  virtualTimeMs: VirtualMs;
  kind: RunEventKind;
  message: string;
  operatorId?: string;
  subtask?: number;
  taskManager?: number;
}

/** Faults a user can inject (DESIGN.md §8); more kinds arrive with fault tolerance and HA. */
export type Fault =
  | { kind: 'kill-task'; operator: string; subtask: number }
  | { kind: 'kill-taskmanager'; taskManager: number }
  | { kind: 'slow-task'; operator: string; subtask: number; factor: number }
  | { kind: 'fail-checkpoint'; region: number }
  | { kind: 'kill-jobmanager' }
  | { kind: 'coordination-store-down' }
  | { kind: 'coordination-store-up' }
  /** The coordination store answers every call `latencyMs` wall ms late (0: at once again); virtual time is not affected. */
  | { kind: 'coordination-store-slow'; latencyMs: number };

/** The checkpoint history (`checkpoints()`, the Checkpoints panel): Flink-like statistics. */
export interface CheckpointsReport {
  /** False when the run has checkpoints off (`checkpointIntervalMs` 0 and none triggered). */
  enabled: boolean;
  mode: 'global' | 'regional';
  type: 'full' | 'incremental';
  summary: CheckpointSummary;
  /** Most recent last; at most the last 100 checkpoints. */
  history: CheckpointStats[];
  /**
   * Cleanups of state versions no retained checkpoint needs apart, oldest first (at most 50):
   * per operator the versions and rows (and bytes, on IndexedDB) each released, and what is
   * retained after it, as the keyed backends counted them.
   */
  cleanups?: StateCleanup[];
  /** Completed checkpoints still retained (restorable and inspectable), oldest first. */
  retained?: number[];
}

/** One recovery the JobManager carried out (failover or approximate local recovery). */
export interface RecoveryReport {
  /** When the failure was handled (the restart itself may come later, after the restart delay). */
  virtualTimeMs: VirtualMs;
  strategy: 'full' | 'region' | 'approximate';
  /** 1-based count of restarts so far in this run (the restart strategy's attempt). */
  attempt: number;
  cause: FailureInfo;
  /** Subtasks restarted by this recovery (plan order). */
  restarted: SubtaskRef[];
  /** Regions restarted (1-based region ids), empty for approximate recovery. */
  regions: number[];
  /** Per restarted subtask, the checkpoint its state came from (0: none, from the beginning). */
  restoredFrom: (SubtaskRef & { checkpointId: number })[];
  /** When the restarted subtasks ran again (absent while they are still down). */
  resumedMs?: VirtualMs;
  /**
   * Approximate recovery: records live tasks sent the restarted tasks between their snapshots
   * and their restart (the restored state never reflects them), in total and by restarted operator.
   */
  recordsLost?: number;
  recordsLostByOperator?: Record<string, number>;
  /** Approximate recovery: of `recordsLost`, those no operator read (dropped while the task was down, in flight, or unread). */
  recordsDropped?: number;
  /** Approximate recovery: the restarted tasks' own output discarded before a live receiver read it (partial buffers). */
  recordsDiscarded?: number;
}

/** One telemetry frame pushed to the UI (coalesced, at most 10 per wall second). */
export interface TelemetryFrame {
  status: RunStatus;
  metrics: MetricsSnapshot;
  /** Events since the previous frame. */
  events: RunEvent[];
  /** Up to the last 50 committed/pending records per sink, for live output. */
  outputs: Record<string, SinkOutput>;
  /** Checkpoint summary and the last few checkpoints (absent when checkpoints are off). */
  checkpoints?: CheckpointsReport;
  /** Recoveries since the previous frame. */
  recoveries?: RecoveryReport[];
}

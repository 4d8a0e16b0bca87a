/**
 * The vocabulary of checkpoints (DESIGN.md §6): configuration, what subtasks report, what the
 * coordinator decides, and what it keeps. Everything is plain, structured-cloneable data apart
 * from the opaque snapshot handle, which the coordinator stores and hands back untouched.
 */
import type { SubtaskRef } from '../plan/executionGraph';
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';

/** `global` fails a checkpoint on any failure (Flink); `regional` tracks it per region (seed 2). */
export type CheckpointMode = 'global' | 'regional';
/** `full`: self-contained snapshots; `incremental`: snapshots re-reference unchanged shard versions. */
export type CheckpointType = 'full' | 'incremental';

/** Coordinator settings; see {@link DEFAULT_CHECKPOINT_CONFIG}. */
export interface CheckpointConfig {
  /** Virtual ms between periodic triggers; 0 turns periodic checkpoints off (manual ones still work). */
  intervalMs: number;
  /** A checkpoint (or, regionally, a region) not acknowledged this long after its trigger expires. */
  timeoutMs: number;
  /** Least virtual ms between the end of one checkpoint and the next trigger (Flink `minPauseBetweenCheckpoints`). */
  minPauseMs: number;
  /** Checkpoints in flight at once (Flink `maxConcurrentCheckpoints`, default 1). */
  maxConcurrent: number;
  /** Counted failures in a row tolerated before the job fails (Flink `tolerableCheckpointFailureNumber`). */
  tolerableConsecutiveFailures: number;
  mode: CheckpointMode;
  /**
   * Regional mode: a checkpoint fails as a whole once `failedRegions / regions >= threshold`
   * (in (0, 1]; 1 means only "every region failed" fails it).
   */
  regionalFailureThreshold: number;
  type: CheckpointType;
  /** Completed checkpoints retained (Flink `state.checkpoints.num-retained`). */
  retained: number;
  /** Virtual ms of the first periodic trigger (default: `intervalMs`). */
  initialDelayMs?: number;
}

/** Defaults: Flink's where Flink has one, scaled to virtual time where it does not. */
export const DEFAULT_CHECKPOINT_CONFIG: Readonly<CheckpointConfig> = Object.freeze({
  intervalMs: 5_000,
  timeoutMs: 60_000,
  minPauseMs: 0,
  maxConcurrent: 1,
  tolerableConsecutiveFailures: 0,
  mode: 'global',
  regionalFailureThreshold: 0.5,
  type: 'incremental',
  retained: 3,
});

/** What a subtask reports when its snapshot for a checkpoint is done (Flink `AcknowledgeCheckpoint`). */
export interface SubtaskAck<H = unknown> {
  checkpointId: number;
  subtask: SubtaskRef;
  /** Virtual ms of the synchronous part (operator snapshot at the barrier). */
  syncMs: number;
  /** Virtual ms of the asynchronous part (flush, seal shard versions). */
  asyncMs: number;
  /** Virtual ms from the first to the last barrier at its input (0 for sources and single inputs). */
  alignmentMs: number;
  /** Size of the full snapshot (rows, or bytes: the backend's unit). */
  stateSize: number;
  /** Size of what changed since the previous snapshot (the cost of an incremental checkpoint). */
  changedSize: number;
  /** Opaque restore handle (operator state, keyed-state metadata, source offsets…). */
  handle: H;
  /**
   * Incremental snapshots: ids of earlier checkpoints whose shard versions this snapshot still
   * uses. Absent: every earlier successful snapshot of its region back to the last full one is
   * assumed used (safe for garbage collection, never too little).
   */
  referencedCheckpointIds?: readonly number[];
}

/** Why a checkpoint, or a region of one, failed (Flink `CheckpointFailureReason`, the part we model). */
export type CheckpointFailureReason =
  /** Not acknowledged within `timeoutMs` (CHECKPOINT_EXPIRED). */
  | 'expired'
  /** A subtask declined, or a `fail-checkpoint` fault hit the region (CHECKPOINT_DECLINED). */
  | 'declined'
  /** A subtask of the region died before acknowledging (TASK_FAILURE). */
  | 'task-failure'
  /** A failover restarted the job or the region (JOB_FAILOVER_REGION / job restart). */
  | 'failover'
  /** A newer checkpoint completed first (CHECKPOINT_SUBSUMED; only with `maxConcurrent` > 1). */
  | 'subsumed'
  /** Regional mode: too many regions failed (`regionalFailureThreshold`). */
  | 'too-many-failed-regions';

/**
 * Reasons that count towards `tolerableConsecutiveFailures`. As in Flink's
 * `CheckpointFailureManager`, a task failure or a failover is the failover's business, not a
 * checkpointing problem, so it neither counts nor resets the counter.
 */
export const COUNTED_FAILURE_REASONS: ReadonlySet<CheckpointFailureReason> = new Set([
  'expired', 'declined', 'too-many-failed-regions',
]);

/** A failure with its explanation. */
export interface CheckpointFailure {
  reason: CheckpointFailureReason;
  message: string;
  /** The subtask at fault, when one is. */
  subtask?: SubtaskRef;
}

/** Where a region stands in one checkpoint. */
export type RegionCheckpointStatus = 'pending' | 'acknowledged' | 'failed' | 'finished';

/** One region in a checkpoint: status, and (once completed) which checkpoint's snapshots it uses. */
export interface RegionOutcome {
  region: number;
  status: RegionCheckpointStatus;
  /**
   * The checkpoint whose snapshots restore this region: the checkpoint itself when
   * acknowledged, else the region's latest successful snapshot; 0 means "none yet, start
   * from the beginning" (sources at offset 0, empty state). Set once the checkpoint completed.
   */
  snapshotId?: number;
  failure?: CheckpointFailure;
}

/** A completed checkpoint as plain data (what is persisted and restored from). */
export interface CompletedCheckpoint {
  id: number;
  type: CheckpointType;
  mode: CheckpointMode;
  triggerMs: VirtualMs;
  completedMs: VirtualMs;
  /** Every region, ascending by id, with the snapshot id it maps to. */
  regions: RegionOutcome[];
  stateSize: number;
  changedSize: number;
}

/** A subtask's snapshot chosen for a restore. */
export interface SubtaskRestorePoint<H = unknown> {
  subtask: SubtaskRef;
  /** The checkpoint the snapshot belongs to; 0: no snapshot, start from the beginning. */
  snapshotId: number;
  /** The handle from that checkpoint's ack, or undefined when `snapshotId` is 0. */
  handle: H | undefined;
}

/** A decision of the coordinator, for the JobManager to carry out (one variant per outcome). */
export type CheckpointDecision =
  /** Inject barrier `checkpointId` at these (running) sources at the start of the next tick. */
  | { kind: 'trigger'; checkpointId: number; timestampMs: VirtualMs; checkpointType: CheckpointType; sources: SubtaskRef[] }
  /**
   * The checkpoint completed: tell these subtasks (Flink `notifyCheckpointComplete`), so
   * sinks commit every transaction up to `checkpointId`. In regional mode only subtasks of
   * acknowledged regions are told; `checkpoint.regions` says which regions failed, for a
   * region-sharable committer.
   */
  | { kind: 'notify-complete'; checkpointId: number; subtasks: SubtaskRef[]; checkpoint: CompletedCheckpoint }
  /**
   * Abort the checkpoint at these subtasks (cancel alignment, drop async work; Flink
   * `notifyCheckpointAborted`). `whole` false: only `regions` failed, the checkpoint goes on.
   */
  | { kind: 'abort'; checkpointId: number; whole: boolean; regions: number[]; subtasks: SubtaskRef[]; failure: CheckpointFailure }
  /** Too many failures in a row: fail the job with this failure (its cause is the last checkpoint failure). */
  | { kind: 'fail-job'; failure: FailureInfo };

/** Per-subtask figures of one checkpoint, for the checkpoint panel. */
export interface SubtaskCheckpointStats {
  operatorId: string;
  index: number;
  ackMs: VirtualMs;
  syncMs: number;
  asyncMs: number;
  alignmentMs: number;
  stateSize: number;
  changedSize: number;
}

export type CheckpointStatus = 'in-progress' | 'completed' | 'failed';

/** One row of the checkpoint history (Flink's checkpoint statistics, as plain data). */
export interface CheckpointStats {
  id: number;
  status: CheckpointStatus;
  type: CheckpointType;
  triggerMs: VirtualMs;
  /** Completion or failure time, once it ended. */
  endMs?: VirtualMs;
  durationMs?: number;
  acknowledged: number;
  total: number;
  /** Full size: every acknowledged snapshot's `stateSize`. */
  stateSize: number;
  /** Incremental size: every acknowledged snapshot's `changedSize`. */
  changedSize: number;
  /** What this checkpoint wrote: `stateSize` when full, `changedSize` when incremental. */
  size: number;
  regions: RegionOutcome[];
  subtasks: SubtaskCheckpointStats[];
  failure?: CheckpointFailure;
}

/** min / avg / max of a figure over completed checkpoints (0s when there are none). */
export interface MinAvgMax {
  min: number;
  avg: number;
  max: number;
}

/** The checkpoint panel's header. */
export interface CheckpointSummary {
  completed: number;
  failed: number;
  inProgress: number;
  durationMs: MinAvgMax;
  size: MinAvgMax;
  alignmentMs: MinAvgMax;
  latestCompletedId: number | null;
  latestFailedId: number | null;
}

/**
 * Resuming a run after its page was reloaded or its tab crashed (DESIGN.md §6: "a page reload
 * resumes the job from its last completed checkpoint"), as pure functions.
 *
 * - {@link savedRunOf}: what is saved with every completed checkpoint, next to its metadata and
 *   in the same write (so a record always belongs to a checkpoint that completed): the job,
 *   the resolved RunConfig, the checkpoint's trigger time (where its sources' offsets stand,
 *   so a resumed source emits each record at the same virtual time as before), and each collect
 *   sink's committed output (the most recent `keepRecords` records, exact counts, the last
 *   checkpoint committed). Placement is not saved: `planRun` of the same job and config gives
 *   the same plan and placement.
 * - {@link resumeHandOver}: a saved run and its metadata as the hand-over a resumed
 *   JobManager starts from. Every subtask restores from the latest completed checkpoint on
 *   the first tick, like a full failover: keyed state from the job's state database (not
 *   cleared), sources from their offsets, collect sinks from their transactions. The records
 *   of a sink's pre-committed transactions newer than what its output had committed are
 *   taken from the checkpoint's own sink snapshot and shown pending, so the restore's
 *   re-commit moves exactly those to committed (exactly once). The clock goes on from the
 *   checkpoint's trigger time; checkpoint ids go on upward; events, trace and checkpoint
 *   statistics start anew.
 */
import type { JobGraph } from '../job/types';
import type { RunConfig } from '../runtime/runConfig';
import type { StreamRecord, VirtualMs } from '../runtime/types';
import { CheckpointHistory } from '../checkpoint/CheckpointHistory';
import { CompletedCheckpointStore } from '../checkpoint/CompletedCheckpointStore';
import type { CollectSinkSnapshot } from '../operators/collectSink';
import type { SubtaskSnapshotHandle } from '../runtime/protocol';
import { TraceHasher } from '../runtime/traceHash';
import { subtaskKey } from '../plan/executionGraph';
import type { CheckpointMetadata } from './CheckpointDriver';
import type { JobManagerCore, JobManagerHandOver } from './JobManagerCore';
import { RunEventLog } from './RunEventLog';
import { SinkOutputs, type SavedSinkSubtask } from './SinkOutputs';
import { topologyOf } from './rescale';
import type { AcceptedPlan } from './JobManagerCore';

/**
 * Bump when the shape changes; an older record is not offered. 2: state is addressed by stable
 * operator ids (plan/operatorIds.ts), so a run saved under canvas ids cannot restore.
 */
export const SAVED_RUN_VERSION = 2;

/** What a run saves with each completed checkpoint, to be resumed after a reload. */
export interface SavedRun {
  version: number;
  jobId: string;
  job: JobGraph;
  config: RunConfig;
  /** The latest completed checkpoint when this was saved. */
  checkpointId: number;
  /** The tick starting at the checkpoint's trigger time, and that time. */
  tick: number;
  virtualTimeMs: VirtualMs;
  sinks: Record<string, SavedSinkSubtask[]>;
}

/** What can be resumed (ClusterApi.resumable). */
export interface ResumableRun {
  jobId: string;
  jobName: string;
  checkpointId: number;
  virtualTimeMs: VirtualMs;
  /** Wall-clock time of the save (ms since the epoch), from the host. */
  savedAtMs: number;
}

/** The saved run of `jm` right after checkpoint `metadata`'s latest completion; undefined when none completed. */
export function savedRunOf(jm: JobManagerCore, metadata: CheckpointMetadata): SavedRun | undefined {
  const latest = metadata.store.completed[metadata.store.completed.length - 1];
  if (latest === undefined) return undefined;
  const facts = jm.resumeFacts();
  // Ticks run on a grid from 0, and a checkpoint triggers at a tick's start.
  const tick = facts.tick - Math.round((facts.virtualTimeMs - latest.triggerMs) / jm.config.tickMs);
  return {
    version: SAVED_RUN_VERSION, jobId: jm.jobId, job: jm.job, config: jm.config, checkpointId: latest.id,
    tick, virtualTimeMs: latest.triggerMs, sinks: facts.sinks,
  };
}

/** The latest completed checkpoint id of `metadata` (0: none). */
export function latestCheckpointId(metadata: CheckpointMetadata): number {
  return metadata.store.completed.reduce((max, c) => Math.max(max, c.id), 0);
}

/**
 * Why `saved` cannot be resumed with `metadata` (another checkpoint, another shape), or null.
 * The record and the metadata are written together, so they agree unless the store is damaged.
 */
export function resumeProblem(saved: SavedRun, metadata: CheckpointMetadata | undefined): string | null {
  if (saved.version !== SAVED_RUN_VERSION) return `The saved run was written by another version of Sluice (format ${saved.version}); start the job afresh.`;
  if (metadata === undefined) return 'The saved run has no checkpoint metadata; start the job afresh.';
  if (latestCheckpointId(metadata) !== saved.checkpointId) {
    return `The saved run names checkpoint ${saved.checkpointId}, but the latest completed checkpoint is ${latestCheckpointId(metadata)}; start the job afresh.`;
  }
  return null;
}

/** A saved run as the hand-over of a resumed JobManager of `plan` (planRun of the saved job and config). */
export function resumeHandOver(plan: AcceptedPlan, saved: SavedRun, metadata: CheckpointMetadata): JobManagerHandOver {
  const topology = topologyOf(plan);
  const store = new CompletedCheckpointStore<SubtaskSnapshotHandle>(topology, Math.max(1, metadata.store.completed.length));
  store.importState(metadata.store);
  const points = new Map(store.restoreAll().map((p) => [subtaskKey(p.subtask), p]));
  const sinks = new SinkOutputs(plan.job);
  const latest = store.latest();
  sinks.importCommitted(saved.sinks, (sinkId, index, committedThrough, region): StreamRecord[] => {
    const operator = points.get(subtaskKey({ operatorId: sinkId, index }))?.handle?.operator as Partial<CollectSinkSnapshot> | undefined;
    if (region === undefined) return (operator?.pendingTransactions ?? []).filter((t) => t.checkpointId > committedThrough).flatMap((t) => t.records);
    // A shared committer's region re-commits its transactions up to the snapshot that region restores from.
    const upTo = latest?.regions.find((o) => o.region === region)?.snapshotId ?? 0;
    const transactions = operator?.regions?.find((r) => r.region === region)?.pendingTransactions ?? [];
    return transactions.filter((t) => t.checkpointId > committedThrough && t.checkpointId <= upTo).flatMap((t) => t.records);
  });
  const hasher = new TraceHasher();
  return {
    tick: saved.tick, virtualTimeMs: saved.virtualTimeMs, checkpoints: metadata,
    history: new CheckpointHistory(), hasher, eventLog: new RunEventLog(hasher), sinks,
  };
}

/**
 * The JobManager's side of region-sharable committers (seed 2's `RegionSharable`: Bilibili's
 * StreamingFileCommitter, a parallelism-1 operator included in every region that feeds it, told
 * `notifyRegionalCkComplete(RegionCheckpointFailedDetail)`). Pure helpers over the plan and the
 * checkpoint topology; JobManagerCore and CheckpointDriver carry out what they return.
 *
 * - Completion (`notifyRegions`): the committer commits each of its regions up to the snapshot
 *   that region maps to in the completed checkpoint; `failedDetail` describes the regions that
 *   failed it, with Bilibili's scope: `upstream` (a task feeding the committer, or the region as
 *   a whole: timeout, `fail-checkpoint`), `downstream` (the committer itself) or `both`, and each
 *   failed task's reason (`error` or `expired`).
 * - Region failover of a feeding region (`keepsUp`, `rewinds`): the committer stays up. The
 *   channels from the restarting subtasks to it go down at the cancel and come up at the
 *   restart (approximateRecovery.ts `resetCommand`: in-flight and unread data is dropped, so
 *   nothing is delivered twice), and it is told to rewind that region to the snapshot the
 *   region restores from (`rewind-region`).
 * - A region whose subtask feeding the committer has finished cannot restart under a live
 *   committer (the committer read that channel's end-of-partition; a restored sender would send
 *   again): `widenFailed` adds the committer to the failure, so its regions restart with it.
 * - A restore of the committer itself (`restorePoints`): every region restores from its own
 *   snapshot id, which the committer's snapshot alone does not tell.
 */
import { regionsOfSubtask, type CheckpointTopology } from '../checkpoint/topology';
import type { ExecutionGraph } from '../plan/executionGraph';
import type { CompletedCheckpoint, RegionOutcome } from '../checkpoint/types';
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { RegionRestorePoint } from '../operators/collectSink';
import type { SubtaskRestoreSpec, TaskManagerCommand } from '../runtime/protocol';
import type { RunEvent } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import { ApproximateRecovery } from './approximateRecovery';

/** Where a failed region's failure lies, seen from the committer (seed 2's `FailedScope`). */
export type FailedScope = 'upstream' | 'downstream' | 'both';

/** One failed task of a region (seed 2's `FailedTaskInfo`); `subtask` absent for a region-wide failure. */
export interface FailedTaskInfo {
  region: number;
  subtask?: SubtaskRef;
  reason: 'error' | 'expired';
  message: string;
}

/** Seed 2's `RegionCheckpointFailedDetail`, for one committer and one completed checkpoint. */
export interface RegionCheckpointFailedDetail {
  checkpointId: number;
  committer: SubtaskRef;
  scope: FailedScope;
  failedTasks: FailedTaskInfo[];
}

/** The subtasks of a topology that belong to several regions (region-sharable committers), in plan order. */
export function sharedSubtasks(topology: CheckpointTopology): SubtaskRef[] {
  return topology.subtasks.filter((ref) => regionsOfSubtask(topology, ref).length > 1);
}

/** Whether a subtask belongs to several regions. */
export function isShared(topology: CheckpointTopology, ref: SubtaskRef): boolean {
  return regionsOfSubtask(topology, ref).length > 1;
}

/** What a shared committer commits on completion of `checkpoint`: each of its regions up to the snapshot it maps to. */
export function notifyRegions(topology: CheckpointTopology, ref: SubtaskRef, checkpoint: CompletedCheckpoint): { region: number; snapshotId: number }[] {
  return regionsOfSubtask(topology, ref).map((region) => ({ region, snapshotId: outcomeOf(checkpoint, region)?.snapshotId ?? 0 }));
}

/** The failed-region detail for a shared committer, or undefined when none of its regions failed the checkpoint. */
export function failedDetail(topology: CheckpointTopology, ref: SubtaskRef, checkpoint: CompletedCheckpoint): RegionCheckpointFailedDetail | undefined {
  const failedTasks: FailedTaskInfo[] = [];
  for (const region of regionsOfSubtask(topology, ref)) {
    const outcome = outcomeOf(checkpoint, region);
    if (outcome?.status !== 'failed') continue;
    const failure = outcome.failure;
    const info: FailedTaskInfo = { region, reason: failure?.reason === 'expired' ? 'expired' : 'error', message: failure?.message ?? 'failed' };
    if (failure?.subtask !== undefined) info.subtask = failure.subtask;
    failedTasks.push(info);
  }
  if (failedTasks.length === 0) return undefined;
  const atCommitter = failedTasks.map((t) => t.subtask !== undefined && subtaskKey(t.subtask) === subtaskKey(ref));
  const scope: FailedScope = atCommitter.every(Boolean) ? 'downstream' : atCommitter.some(Boolean) ? 'both' : 'upstream';
  return { checkpointId: checkpoint.id, committer: ref, scope, failedTasks };
}

/** The run event telling what a committer did with a checkpoint some of its regions failed. */
export function failedDetailEvent(detail: RegionCheckpointFailedDetail, checkpoint: CompletedCheckpoint, atMs: VirtualMs): RunEvent {
  const failed = new Set(detail.failedTasks.map((t) => t.region));
  const committed = checkpoint.regions.filter((o) => o.status === 'acknowledged' && !failed.has(o.region)).map((o) => o.region);
  const tasks = detail.failedTasks.map((t) => {
    const where = t.subtask === undefined ? `region ${t.region}` : `${subtaskKey(t.subtask)} (region ${t.region})`;
    const keeps = outcomeOf(checkpoint, t.region)?.snapshotId ?? 0;
    return `${where}: ${t.reason}, ${t.message}; keeps ${keeps === 0 ? 'nothing committed yet' : `checkpoint ${keeps}`}`;
  });
  return {
    virtualTimeMs: atMs, kind: 'committer-regions-failed', operatorId: detail.committer.operatorId, subtask: detail.committer.index,
    message: `Checkpoint ${detail.checkpointId}: shared committer ${subtaskKey(detail.committer)} commits ` +
      `${committed.length === 0 ? 'no region' : `region${committed.length === 1 ? '' : 's'} ${committed.join(', ')}`}; ` +
      `failed ${detail.scope}: ${tasks.join('; ')}.`,
  };
}

/**
 * Region failover: the failed subtasks plus every live shared committer fed by a finished
 * subtask of a region that would restart (see the module comment). Returns `failed` itself
 * when nothing is added.
 */
export function widenFailed(
  topology: CheckpointTopology, failed: readonly SubtaskRef[], isFinished: (ref: SubtaskRef) => boolean,
): readonly SubtaskRef[] {
  const regions = new Set(failed.flatMap((ref) => regionsOfSubtask(topology, ref)));
  const failedKeys = new Set(failed.map(subtaskKey));
  const added: SubtaskRef[] = [];
  for (const committer of sharedSubtasks(topology)) {
    if (failedKeys.has(subtaskKey(committer))) continue;
    const upstream = topology.upstreamOf.get(subtaskKey(committer)) ?? [];
    const blocked = upstream.some((up) => isFinished(up) && regionsOfSubtask(topology, up).some((r) => regions.has(r)));
    if (blocked) added.push(committer);
  }
  return added.length === 0 ? failed : [...failed, ...added];
}

/**
 * The restart of regions while shared committers stay up: one `rewind-region` command per live
 * committer and restarting region it belongs to, with the snapshot that region restores from
 * (`latest`'s mapping; 0 before any checkpoint).
 */
export function rewinds(
  topology: CheckpointTopology, regions: readonly number[], restarting: readonly SubtaskRef[], latest: CompletedCheckpoint | undefined,
): { ref: SubtaskRef; command: TaskManagerCommand }[] {
  const down = new Set(restarting.map(subtaskKey));
  const out: { ref: SubtaskRef; command: TaskManagerCommand }[] = [];
  for (const ref of sharedSubtasks(topology)) {
    if (down.has(subtaskKey(ref))) continue;
    for (const region of regionsOfSubtask(topology, ref)) {
      if (!regions.includes(region)) continue;
      const snapshotId = latest === undefined ? 0 : outcomeOf(latest, region)?.snapshotId ?? 0;
      out.push({ ref, command: { kind: 'rewind-region', operatorId: ref.operatorId, subtask: ref.index, region, snapshotId } });
    }
  }
  return out;
}

/**
 * Adds, to the restore specs of shared committers, where each of their regions restores to
 * (`latest`'s mapping) and what the JobManager's output committed of it. `committed` lists
 * every region the output knows for the committer; one the plan no longer has (a rescale
 * renumbered the regions) keeps its snapshot transactions whole. `ownSnapshot` (approximate
 * recovery, where no live sender rewinds): every region keeps the committer's own snapshot whole.
 */
export function addRestorePoints(
  topology: CheckpointTopology, specs: SubtaskRestoreSpec[], latest: CompletedCheckpoint | undefined,
  committed: (ref: SubtaskRef) => readonly { region: number; committedThrough: number }[], ownSnapshot = false,
): void {
  for (const spec of specs) {
    if (spec.finished === true || !isShared(topology, spec)) continue;
    const through = new Map(committed(spec).map((c) => [c.region, c.committedThrough]));
    const current = regionsOfSubtask(topology, spec);
    const points = current.map((region): RegionRestorePoint => ({
      region,
      snapshotId: ownSnapshot ? spec.snapshotId : latest === undefined ? 0 : outcomeOf(latest, region)?.snapshotId ?? 0,
      committedThrough: through.get(region) ?? 0,
    }));
    for (const [region, committedThrough] of through) if (!current.includes(region)) points.push({ region, committedThrough });
    spec.regions = points;
  }
}

function outcomeOf(checkpoint: CompletedCheckpoint, region: number): RegionOutcome | undefined {
  return checkpoint.regions.find((o) => o.region === region);
}

/**
 * What JobManagerCore keeps for region failover with shared committers: the channel resets
 * (the same two-phase `reset-channels` approximate recovery uses) and the helpers above.
 */
export class SharedCommitterRecovery {
  private readonly resets: ApproximateRecovery;

  constructor(graph: ExecutionGraph, private readonly topology: CheckpointTopology) {
    this.resets = new ApproximateRecovery(graph, new Set());
  }

  /** A recovery for these plans, or undefined when no subtask is shared or the failover is not regional. */
  static of(graph: ExecutionGraph, topology: CheckpointTopology, failover: string): SharedCommitterRecovery | undefined {
    return failover === 'region' && sharedSubtasks(topology).length > 0 ? new SharedCommitterRecovery(graph, topology) : undefined;
  }

  /** See `widenFailed`. */
  widen(failed: readonly SubtaskRef[], isFinished: (ref: SubtaskRef) => boolean): SubtaskRef[] {
    return [...widenFailed(this.topology, failed, isFinished)];
  }

  /** Subtasks were cancelled: the channels from them to live committers go down (undefined: none). */
  cancelled(cancel: readonly SubtaskRef[]): TaskManagerCommand | undefined {
    return this.resets.cancelled(cancel);
  }

  /**
   * The restart with `specs` of `regions`: the command bringing those channels up (for every
   * live TaskManager) and the committers' rewinds (for the committer's TaskManager).
   */
  restarting(specs: readonly SubtaskRestoreSpec[], regions: readonly number[], latest: CompletedCheckpoint | undefined): {
    reset: TaskManagerCommand | undefined; rewinds: { ref: SubtaskRef; command: TaskManagerCommand }[];
  } {
    return { reset: this.resets.restarting(specs), rewinds: rewinds(this.topology, regions, specs, latest) };
  }
}

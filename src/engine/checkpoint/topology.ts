/**
 * What the checkpoint coordinator and the failover helpers need to know about a plan: its
 * subtasks in plan order, which of them are sources (where barriers are injected), and its
 * pipelined regions (plan/regions.ts `divideRegions`).
 *
 * A subtask may belong to several regions: a region-sharable committer (seed 2's
 * `RegionShareOperator`) is a member of every region that feeds it, as `divideRegions` reports
 * for a collect sink marked `regionSharable`. The coordinator and `failoverScope` handle such
 * regions, and runs build their topology from `RUN_REGIONS`, which keeps them shared: the
 * committer commits per region and stays up through another member's restart
 * (cluster/sharedCommitters.ts).
 */
import { subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { Region } from '../plan/regions';

/** A plan as the checkpoint machinery sees it. */
export interface CheckpointTopology {
  /** Every subtask, in plan order (ExecutionGraph order). */
  subtasks: readonly SubtaskRef[];
  /** Subtasks with no input (barriers start here), in plan order. */
  sources: readonly SubtaskRef[];
  /** Regions ascending by id; members may overlap only for region-sharable subtasks. */
  regions: readonly Region[];
  /** `subtaskKey` → ids of the regions holding it, ascending. */
  regionsOf: ReadonlyMap<string, readonly number[]>;
  /** `subtaskKey` → position in `subtasks` (plan order). */
  position: ReadonlyMap<string, number>;
  /** `subtaskKey` → the subtasks with a channel into it (none for sources). */
  upstreamOf: ReadonlyMap<string, readonly SubtaskRef[]>;
}

/**
 * Builds the topology of a plan.
 *
 * @throws Error when a region names a subtask the graph does not have, or a subtask belongs to
 * no region (the regions do not cover the plan).
 */
export function checkpointTopology(graph: ExecutionGraph, regions: readonly Region[]): CheckpointTopology {
  const subtasks = graph.subtasks.map((s): SubtaskRef => ({ operatorId: s.operatorId, index: s.index }));
  const position = new Map<string, number>();
  subtasks.forEach((s, i) => position.set(subtaskKey(s), i));
  const withInput = new Set(graph.edges.map((edge) => edge.to));
  const sources = subtasks.filter((s) => !withInput.has(s.operatorId));
  const regionsOf = new Map<string, number[]>();
  const sorted = [...regions].sort((a, b) => a.id - b.id);
  for (const region of sorted) {
    for (const member of region.subtasks) {
      const key = subtaskKey(member);
      if (!position.has(key)) throw new Error(`Region ${region.id} names subtask ${key}, which the plan does not have.`);
      const list = regionsOf.get(key) ?? [];
      list.push(region.id);
      regionsOf.set(key, list);
    }
  }
  for (const s of subtasks) {
    if (!regionsOf.has(subtaskKey(s))) throw new Error(`Subtask ${subtaskKey(s)} belongs to no region.`);
  }
  const upstreamOf = new Map<string, SubtaskRef[]>();
  for (const edge of graph.edges) {
    for (const channel of edge.channels) {
      const key = subtaskKey(channel.to);
      const list = upstreamOf.get(key) ?? [];
      list.push(channel.from);
      upstreamOf.set(key, list);
    }
  }
  return { subtasks, sources, regions: sorted, regionsOf, position, upstreamOf };
}

/**
 * Where barriers are injected (Flink `DefaultCheckpointPlanCalculator`): running subtasks
 * all of whose upstream subtasks are finished. While the job runs normally these are exactly
 * the running sources; once a bounded source finishes, the barrier starts at the first
 * running subtasks behind it (their finished inputs count as aligned).
 */
export function triggerTargets(
  topology: CheckpointTopology,
  isRunning: (ref: SubtaskRef) => boolean,
  isFinished: (ref: SubtaskRef) => boolean,
): SubtaskRef[] {
  return topology.subtasks.filter((ref) => {
    if (!isRunning(ref)) return false;
    const upstream = topology.upstreamOf.get(subtaskKey(ref)) ?? [];
    return upstream.every(isFinished);
  });
}

/** Sorts subtask refs into plan order (unknown subtasks last, by key). */
export function inPlanOrder(topology: CheckpointTopology, refs: Iterable<SubtaskRef>): SubtaskRef[] {
  const rank = (ref: SubtaskRef): number => topology.position.get(subtaskKey(ref)) ?? Number.MAX_SAFE_INTEGER;
  return [...refs].sort((a, b) => rank(a) - rank(b) || subtaskKey(a).localeCompare(subtaskKey(b)));
}

/** The region ids of a subtask. @throws Error for a subtask outside the plan. */
export function regionsOfSubtask(topology: CheckpointTopology, ref: SubtaskRef): readonly number[] {
  const regions = topology.regionsOf.get(subtaskKey(ref));
  if (regions === undefined) throw new Error(`Subtask ${subtaskKey(ref)} is not part of the plan.`);
  return regions;
}

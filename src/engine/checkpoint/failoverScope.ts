/**
 * Which subtasks restart when some fail, per RunConfig `failover` (DESIGN.md §6). Pure
 * functions over the checkpoint topology (regions) and the ExecutionGraph (channels).
 *
 * - `full`: every subtask restarts from the latest completed checkpoint (Flink
 *   `RestartAllFailoverStrategy`).
 * - `region` (Flink `RestartPipelinedRegionFailoverStrategy`): the failed task's pipelined
 *   region restarts, plus the regions that must restart with it. Flink adds the consumer
 *   regions of the region's result partitions (their input is about to be produced again)
 *   and producer regions whose results are no longer available. Both only exist across
 *   *blocking* edges: a pipelined edge always lies inside one region, because regions are the
 *   connected components over pipelined edges. A Sluice streaming job has only pipelined
 *   edges, so no edge leaves a region and the region alone restarts. One exception: a
 *   region-sharable committer (a member of several regions). If it fails, every region it
 *   belongs to restarts; if another member fails, the committer stays up (it is told which
 *   region failed, seed 2's `notifyRegionalCkComplete`), and only the rest of that region
 *   restarts.
 * - `approximate` (seed 2's approximate local recovery): only the failed subtasks restart;
 *   the channels between them and live subtasks (`boundaryChannels`) drop what is sent while
 *   they are down and discard partial buffers, so records are lost and counted.
 */
import { allChannels, subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import { inPlanOrder, regionsOfSubtask, type CheckpointTopology } from './topology';

export type FailoverStrategyName = 'full' | 'region' | 'approximate';

/** What a failover restarts. */
export interface FailoverScope {
  strategy: FailoverStrategyName;
  /** Subtasks to cancel, restore and redeploy, in plan order. */
  restart: SubtaskRef[];
  /** Regions that restart entirely (ascending); empty for approximate recovery. */
  regions: number[];
  /** Live region-sharable subtasks whose regions restart (tell them; do not restart them). */
  notify: SubtaskRef[];
  /** False for approximate recovery: records may be lost. */
  exact: boolean;
}

/**
 * The failover scope for failed subtasks under a strategy (see the module comment).
 *
 * @throws Error when `failed` is empty or names a subtask outside the plan.
 */
export function failoverScope(strategy: FailoverStrategyName, topology: CheckpointTopology, failed: readonly SubtaskRef[]): FailoverScope {
  if (failed.length === 0) throw new Error('A failover needs at least one failed subtask.');
  for (const ref of failed) regionsOfSubtask(topology, ref);
  switch (strategy) {
    case 'full':
      return { strategy, restart: [...topology.subtasks], regions: topology.regions.map((r) => r.id), notify: [], exact: true };
    case 'approximate':
      return { strategy, restart: inPlanOrder(topology, unique(failed)), regions: [], notify: [], exact: false };
    case 'region':
      return regionScope(topology, failed);
  }
}

function regionScope(topology: CheckpointTopology, failed: readonly SubtaskRef[]): FailoverScope {
  const shared = (ref: SubtaskRef): boolean => regionsOfSubtask(topology, ref).length > 1;
  const regions = new Set<number>();
  const restart = new Map<string, SubtaskRef>();
  for (const ref of failed) {
    for (const region of regionsOfSubtask(topology, ref)) regions.add(region);
    restart.set(subtaskKey(ref), ref);
  }
  const notify = new Map<string, SubtaskRef>();
  for (const region of topology.regions) {
    if (!regions.has(region.id)) continue;
    for (const member of region.subtasks) {
      const key = subtaskKey(member);
      if (restart.has(key)) continue;
      if (shared(member)) notify.set(key, member);
      else restart.set(key, member);
    }
  }
  return {
    strategy: 'region',
    restart: inPlanOrder(topology, restart.values()),
    regions: [...regions].sort((a, b) => a - b),
    notify: inPlanOrder(topology, notify.values()),
    exact: true,
  };
}

/** A channel between a restarting subtask and a live one. */
export interface BoundaryChannel {
  /** Global channel id (index in `allChannels(graph)`). */
  channel: number;
  /** `into`: the live sender feeds a restarting receiver (drop while it is down); `out-of`: the reverse. */
  direction: 'into' | 'out-of';
  from: SubtaskRef;
  to: SubtaskRef;
}

/**
 * Channels crossing the boundary of a restart set, by channel id. Empty for full failover
 * and for region failover without shared subtasks (no channel leaves a region); for
 * approximate recovery these are the channels whose in-flight data is dropped and counted.
 */
export function boundaryChannels(graph: ExecutionGraph, restart: readonly SubtaskRef[]): BoundaryChannel[] {
  const restarting = new Set(restart.map(subtaskKey));
  const out: BoundaryChannel[] = [];
  allChannels(graph).forEach((channel, id) => {
    const fromDown = restarting.has(subtaskKey(channel.from));
    const toDown = restarting.has(subtaskKey(channel.to));
    if (fromDown === toDown) return;
    out.push({ channel: id, direction: toDown ? 'into' : 'out-of', from: channel.from, to: channel.to });
  });
  return out;
}

function unique(refs: readonly SubtaskRef[]): SubtaskRef[] {
  return [...new Map(refs.map((ref) => [subtaskKey(ref), ref])).values()];
}

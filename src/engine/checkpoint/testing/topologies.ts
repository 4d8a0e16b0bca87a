/**
 * Test support for the checkpoint module: small plans as topologies, and acks. Not used by
 * the engine itself.
 */
import type { EdgeSpec, JobGraph, OperatorKind, Partitioner } from '../../job/types';
import { buildExecutionGraph, type SubtaskRef } from '../../plan/executionGraph';
import { divideRegions } from '../../plan/regions';
import { checkpointTopology, type CheckpointTopology } from '../topology';
import type { SubtaskAck } from '../types';

/** `[id, kind, parallelism]` per operator; edges as `[from, to, partitioner]`. */
export function jobOf(
  operators: readonly [string, OperatorKind, number][],
  edges: readonly [string, string, Partitioner][],
): JobGraph {
  return {
    sluice: 'job/1',
    name: 'test',
    operators: operators.map(([id, kind, parallelism]) => ({ id, kind, name: id, parallelism })),
    edges: edges.map(([from, to, partitioner]): EdgeSpec =>
      partitioner === 'hash' ? { from, to, partitioner, key: 'key' } : { from, to, partitioner }),
  };
}

/** The topology of a job. */
export function topologyOf(job: JobGraph): CheckpointTopology {
  return checkpointTopology(buildExecutionGraph(job), divideRegions(job));
}

/** Two forward pipelines `src → map → out` at parallelism 2: regions 1 and 2. */
export function twoPipelines(): CheckpointTopology {
  return topologyOf(jobOf(
    [['src', 'datagen', 2], ['map', 'map', 2], ['out', 'collect', 2]],
    [['src', 'map', 'forward'], ['map', 'out', 'forward']],
  ));
}

/** `n` forward pipelines `src → out` at parallelism n: n regions. */
export function pipelines(n: number): CheckpointTopology {
  return topologyOf(jobOf([['src', 'datagen', n], ['out', 'collect', n]], [['src', 'out', 'forward']]));
}

/** `src (2) → hash → agg (2) → forward → out (2)`: one region. */
export function oneRegion(): CheckpointTopology {
  return topologyOf(jobOf(
    [['src', 'datagen', 2], ['agg', 'aggregate', 2], ['out', 'collect', 2]],
    [['src', 'agg', 'hash'], ['agg', 'out', 'forward']],
  ));
}

/** `op#index` ref. */
export function ref(operatorId: string, index: number): SubtaskRef {
  return { operatorId, index };
}

/** An ack with figures derived from its subtask, and a handle naming it. */
export function ackOf(checkpointId: number, subtask: SubtaskRef, figures: Partial<SubtaskAck<string>> = {}): SubtaskAck<string> {
  return {
    checkpointId, subtask, syncMs: 1, asyncMs: 2, alignmentMs: 0, stateSize: 10, changedSize: 3,
    handle: `${subtask.operatorId}#${subtask.index}@${checkpointId}`, ...figures,
  };
}

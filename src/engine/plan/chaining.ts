/**
 * Operator chaining (Flink's `StreamingJobGraphGenerator.isChainable`, minus slot-sharing
 * groups: subtask i of every operator already shares slot i, so a chain never spans
 * TaskManagers). An edge is chained when
 * - its partitioner is `forward` and both ends have the same parallelism;
 * - the upstream operator has exactly one output edge and the downstream exactly one input
 *   edge;
 * - the downstream operator is not keyed (a keyed operator's state may need an asynchronous
 *   `prepare` before each slice, which a direct call cannot wait for; keyed operators are
 *   reached by hash edges anyway).
 * A chained edge has no network at run time: subtask i of the upstream calls subtask i of the
 * downstream directly, within the same tick. Pure; regions and channel ids do not change.
 */
import { CATALOGUE } from '../job/catalogue';
import type { JobGraph } from '../job/types';
import type { ExecutionGraph } from './executionGraph';

/** Ids (`from->to`) of the chained edges of a job. */
export function chainedEdges(job: JobGraph, graph: ExecutionGraph): Set<string> {
  const parallelism = new Map<string, number>();
  for (const subtask of graph.subtasks) parallelism.set(subtask.operatorId, subtask.parallelism);
  const kinds = new Map(job.operators.map((op) => [op.id, op.kind]));
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  for (const edge of graph.edges) {
    outDegree.set(edge.from, (outDegree.get(edge.from) ?? 0) + 1);
    inDegree.set(edge.to, (inDegree.get(edge.to) ?? 0) + 1);
  }
  const chained = new Set<string>();
  for (const edge of graph.edges) {
    const kind = kinds.get(edge.to);
    if (
      edge.partitioner === 'forward'
      && parallelism.get(edge.from) === parallelism.get(edge.to)
      && outDegree.get(edge.from) === 1
      && inDegree.get(edge.to) === 1
      && kind !== undefined && CATALOGUE[kind].category !== 'keyed'
    ) chained.add(edge.id);
  }
  return chained;
}

/**
 * The physical plan: a job's operators expanded into subtasks and its edges into channels
 * (DESIGN.md §2, "ExecutionGraph").
 *
 * Wiring follows Flink. Partitioners whose records may go to any downstream subtask (`hash`,
 * `rebalance`, `broadcast`, `global`) are ALL_TO_ALL: every upstream subtask has a channel to
 * every downstream subtask, as Flink `EdgeManagerBuildUtil.connectAllToAll` does. `global`
 * only ever sends to subtask 0, but Flink still wires it all-to-all, and so do we, because
 * the wiring (not the traffic) is what decides pipelined regions. `forward` and `rescale` are
 * POINTWISE and use Flink `connectPointwise`'s index ranges (see pointwise.ts).
 *
 * Pure: the same job always yields the same graph, in the same order (subtasks in topological
 * operator order then index; edges in file order; channels upstream-major).
 */
import { ALL_TO_ALL, edgeId } from '../job/types';
import type { JobGraph, MaxParallelismFormula, OperatorSpec, Partitioner } from '../job/types';
import { MAX_MAX_PARALLELISM, maxParallelismFor } from '../keygroups/keyGroups';
import { pointwiseLinksOf } from './sourceRescaleMode';
import { topologicalOrder } from './topologicalOrder';

/** Names one subtask: the `index`-th parallel instance of an operator. */
export interface SubtaskRef {
  operatorId: string;
  index: number;
}

/** A subtask with the figures it needs to own key groups. */
export interface Subtask extends SubtaskRef {
  /** The operator's parallelism (number of sibling subtasks). */
  parallelism: number;
  /** The operator's number of key groups, resolved from the job's formula when not set. */
  maxParallelism: number;
}

/** Flink's DistributionPattern: how an edge's subtasks are connected. */
export type DistributionPattern = 'all-to-all' | 'pointwise';

/** One network channel from an upstream subtask to a downstream subtask. */
export interface Channel {
  /** The logical edge this channel belongs to (`from->to`, see `edgeId`). */
  edgeId: string;
  from: SubtaskRef;
  to: SubtaskRef;
}

/** A logical edge with its physical channels. */
export interface ExecutionEdge {
  id: string;
  from: string;
  to: string;
  partitioner: Partitioner;
  /** Key field or expression (hash edges only). */
  key?: string;
  pattern: DistributionPattern;
  /** Ordered by upstream index, then downstream index. */
  channels: Channel[];
}

export interface ExecutionGraph {
  /** Operator ids in topological order (ties by file order); see `topologicalOrder`. */
  operatorOrder: string[];
  /** Every subtask, in topological operator order, then by index. */
  subtasks: Subtask[];
  /** One per job edge, in file order. */
  edges: ExecutionEdge[];
}

/** Stable string key of a subtask, `${operatorId}#${index}`, for maps and test ids. */
export function subtaskKey(ref: SubtaskRef): string {
  return `${ref.operatorId}#${ref.index}`;
}

/** Flink's DistributionPattern for a partitioner: ALL_TO_ALL or POINTWISE. */
export function distributionPattern(partitioner: Partitioner): DistributionPattern {
  return ALL_TO_ALL.has(partitioner) ? 'all-to-all' : 'pointwise';
}

/**
 * The operator's max parallelism: its own `maxParallelism` when set, otherwise the job's
 * default formula (`maxParallelismFor`, seed formula unless the job says `flink`).
 *
 * @throws RangeError when parallelism is outside [1, 32768] or above the max parallelism.
 */
export function resolveMaxParallelism(op: OperatorSpec, formula: MaxParallelismFormula = 'sluice'): number {
  const resolved = op.maxParallelism ?? maxParallelismFor(op.parallelism, formula);
  if (!Number.isInteger(resolved) || resolved < op.parallelism || resolved > MAX_MAX_PARALLELISM) {
    throw new RangeError(
      `Operator '${op.id}': maxParallelism ${String(resolved)} must be an integer between its parallelism ` +
        `(${op.parallelism}) and ${MAX_MAX_PARALLELISM}.`,
    );
  }
  return resolved;
}

/**
 * Expand a (valid) job into subtasks and channels.
 *
 * @throws Error on a cycle or an edge to an unknown operator, RangeError on impossible
 * parallelism; validation normally catches these first with a friendlier report.
 */
export function buildExecutionGraph(job: JobGraph): ExecutionGraph {
  const operatorOrder = topologicalOrder(job);
  const byId = new Map(job.operators.map((op) => [op.id, op] as const));
  const formula = job.maxParallelismFormula ?? 'sluice';

  const subtasks: Subtask[] = [];
  for (const id of operatorOrder) {
    const op = byId.get(id) as OperatorSpec;
    const maxParallelism = resolveMaxParallelism(op, formula);
    for (let index = 0; index < op.parallelism; index++) {
      subtasks.push({ operatorId: id, index, parallelism: op.parallelism, maxParallelism });
    }
  }

  const edges = job.edges.map((edge): ExecutionEdge => {
    const from = byId.get(edge.from) as OperatorSpec;
    const upstream = from.parallelism;
    const downstream = (byId.get(edge.to) as OperatorSpec).parallelism;
    const id = edgeId(edge);
    const pattern = distributionPattern(edge.partitioner);
    // A rescale edge out of a source in rescale mode is wired in balanced groups (sourceRescaleMode.ts).
    const links = pattern === 'all-to-all' ? allToAllLinks(upstream, downstream) : pointwiseLinksOf(from, edge.partitioner, downstream);
    const channels = links.map(({ from, to }): Channel => ({
      edgeId: id,
      from: { operatorId: edge.from, index: from },
      to: { operatorId: edge.to, index: to },
    }));
    const base = { id, from: edge.from, to: edge.to, partitioner: edge.partitioner, pattern, channels };
    return edge.key === undefined ? base : { ...base, key: edge.key };
  });

  return { operatorOrder, subtasks, edges };
}

/** Every channel of a graph, edge by edge (convenience for the runtime and tests). */
export function allChannels(graph: ExecutionGraph): Channel[] {
  return graph.edges.flatMap((edge) => edge.channels);
}

/** Flink `connectAllToAll`: every upstream subtask to every downstream subtask. */
function allToAllLinks(upstream: number, downstream: number): { from: number; to: number }[] {
  const links: { from: number; to: number }[] = [];
  for (let from = 0; from < upstream; from++) {
    for (let to = 0; to < downstream; to++) links.push({ from, to });
  }
  return links;
}

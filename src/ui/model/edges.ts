/**
 * Pure edits of a job's edges. `connect` refuses what can never be valid (self loops, a
 * second edge between the same pair, cycles, inputs into sources, outputs from sinks); the
 * validator reports the rest (e.g. `forward` between different parallelisms) on the canvas.
 */
import { CATALOGUE, edgeId, type EdgeSpec, type JobGraph, type Partitioner } from '../../engine';
import type { EditResult } from './operators';

/** The default key of a new `hash` edge: the field every built-in source emits. */
export const DEFAULT_HASH_KEY = 'key';

/** A sensible partitioner for a new edge: hash into keyed operators, forward when parallelisms match, else rebalance. */
export function defaultEdge(job: JobGraph, from: string, to: string): EdgeSpec {
  const source = job.operators.find((op) => op.id === from);
  const target = job.operators.find((op) => op.id === to);
  if (target && CATALOGUE[target.kind].category === 'keyed') {
    return { from, to, partitioner: 'hash', key: DEFAULT_HASH_KEY };
  }
  if (source && target && source.parallelism === target.parallelism) return { from, to, partitioner: 'forward' };
  return { from, to, partitioner: 'rebalance' };
}

/** Is `to` reachable from `from` along edges? */
export function reaches(job: JobGraph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of job.edges) if (e.from === id) stack.push(e.to);
  }
  return false;
}

/** Why an edge from → to cannot be added, or null when it can. */
export function connectProblem(job: JobGraph, from: string, to: string): string | null {
  const source = job.operators.find((op) => op.id === from);
  const target = job.operators.find((op) => op.id === to);
  if (!source || !target) return 'Both ends of an edge must be operators of this job.';
  if (from === to) return 'An operator cannot feed itself.';
  if (!CATALOGUE[source.kind].hasOutputs) return `"${source.name}" is a sink: it has no outputs.`;
  const targetInfo = CATALOGUE[target.kind];
  if (targetInfo.maxInputs === 0) return `"${target.name}" is a source: it takes no inputs.`;
  if (job.edges.some((e) => e.from === from && e.to === to)) return `"${source.name}" already feeds "${target.name}".`;
  if (job.edges.filter((e) => e.to === to).length >= targetInfo.maxInputs) return `"${target.name}" takes no more inputs.`;
  if (reaches(job, to, from)) return `Connecting "${source.name}" to "${target.name}" would make a cycle.`;
  return null;
}

/** Adds an edge from → to, with the default partitioner unless one is given. */
export function connect(job: JobGraph, from: string, to: string, edge?: Partial<EdgeSpec>): EditResult {
  const problem = connectProblem(job, from, to);
  if (problem) return { ok: false, message: problem };
  const spec: EdgeSpec = { ...defaultEdge(job, from, to), ...edge, from, to };
  if (spec.partitioner !== 'hash') delete spec.key;
  return { ok: true, job: { ...job, edges: [...job.edges, spec] } };
}

/** Operators `from` may be connected to, in job order. */
export function connectTargets(job: JobGraph, from: string): string[] {
  return job.operators.filter((op) => connectProblem(job, from, op.id) === null).map((op) => op.id);
}

/** Removes edges by id (`from->to`). */
export function removeEdges(job: JobGraph, ids: Iterable<string>): JobGraph {
  const gone = new Set(ids);
  if (gone.size === 0) return job;
  return { ...job, edges: job.edges.filter((e) => !gone.has(edgeId(e))) };
}

/** Sets an edge's partitioner; a hash edge gets the default key, other partitioners lose it. */
export function setPartitioner(job: JobGraph, id: string, partitioner: Partitioner): JobGraph {
  return mapEdge(job, id, (e) => {
    const next: EdgeSpec = { ...e, partitioner };
    if (partitioner === 'hash') next.key = e.key ?? DEFAULT_HASH_KEY;
    else delete next.key;
    return next;
  });
}

/** Sets the key of a hash edge (the text as typed; the validator judges it). */
export function setEdgeKey(job: JobGraph, id: string, key: string): JobGraph {
  return mapEdge(job, id, (e) => (e.partitioner === 'hash' ? { ...e, key } : e));
}

function mapEdge(job: JobGraph, id: string, fn: (e: EdgeSpec) => EdgeSpec): JobGraph {
  let changed = false;
  const edges = job.edges.map((e) => {
    if (edgeId(e) !== id) return e;
    changed = true;
    return fn(e);
  });
  return changed ? { ...job, edges } : job;
}

/** The edges into and out of an operator. */
export function edgesOf(job: JobGraph, operatorId: string): { inputs: EdgeSpec[]; outputs: EdgeSpec[] } {
  return {
    inputs: job.edges.filter((e) => e.to === operatorId),
    outputs: job.edges.filter((e) => e.from === operatorId),
  };
}

/** The edge with id `from->to`, if any. */
export function findEdge(job: JobGraph, id: string): EdgeSpec | undefined {
  return job.edges.find((e) => edgeId(e) === id);
}

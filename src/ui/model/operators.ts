/**
 * Pure edits of a job's operators: JobGraph in, JobGraph out, never mutating the input.
 * The store's actions and the commands delegate here, so every edit is unit-tested in Node.
 */
import { CATALOGUE, type JobGraph, type JobPosition, type OperatorKind, type OperatorSpec } from '../../engine';
import { freshId, operatorIdProblem, operatorIds } from './ids';
import { positionsFor } from './positions';

export type EditResult = { ok: true; job: JobGraph } | { ok: false; message: string };

/** Adds an operator of `kind` at `position` with the catalogue's defaults; returns its id. */
export function addOperator(job: JobGraph, kind: OperatorKind, position: JobPosition): { job: JobGraph; id: string } {
  const info = CATALOGUE[kind];
  const id = freshId(kind, operatorIds(job));
  const operator: OperatorSpec = { id, kind, name: freshName(job, info.label), parallelism: info.defaultParallelism };
  const layout = { ...positionsFor(job), [id]: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { job: { ...job, operators: [...job.operators, operator], layout }, id };
}

/** `label`, or `label 2`, `label 3`, … when another operator already has that name. */
export function freshName(job: JobGraph, label: string): string {
  const names = new Set(job.operators.map((op) => op.name));
  if (!names.has(label)) return label;
  let n = 2;
  while (names.has(`${label} ${n}`)) n += 1;
  return `${label} ${n}`;
}

/** Removes operators, every edge attached to them, and their layout entries. */
export function removeOperators(job: JobGraph, ids: Iterable<string>): JobGraph {
  const gone = new Set(ids);
  if (gone.size === 0) return job;
  const layout = job.layout ? Object.fromEntries(Object.entries(job.layout).filter(([id]) => !gone.has(id))) : undefined;
  const next: JobGraph = {
    ...job,
    operators: job.operators.filter((op) => !gone.has(op.id)),
    edges: job.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)),
  };
  if (layout) next.layout = layout;
  return next;
}

export type OperatorPatch = Partial<Pick<OperatorSpec, 'name' | 'uid' | 'parallelism' | 'maxParallelism'>>;

/** Sets operator settings; a key whose value is `undefined` is removed (uid, maxParallelism). */
export function updateOperator(job: JobGraph, id: string, patch: OperatorPatch): JobGraph {
  return mapOperator(job, id, (op) => {
    const next: OperatorSpec = { ...op };
    for (const [key, value] of Object.entries(patch) as [keyof OperatorPatch, unknown][]) {
      if (value === undefined) delete next[key];
      else (next as unknown as Record<string, unknown>)[key] = value;
    }
    return next;
  });
}

/** Sets one config field; `undefined` removes it so the catalogue default applies. */
export function setConfigValue(job: JobGraph, id: string, field: string, value: unknown): JobGraph {
  return mapOperator(job, id, (op) => {
    const config = { ...(op.config ?? {}) };
    if (value === undefined) delete config[field];
    else config[field] = value;
    const next: OperatorSpec = { ...op, config };
    if (Object.keys(config).length === 0) delete next.config;
    return next;
  });
}

/** Renames an operator, rewriting its edges and layout entry; refuses invalid or taken ids. */
export function renameOperatorId(job: JobGraph, from: string, to: string): EditResult {
  if (from === to) return { ok: true, job };
  if (!job.operators.some((op) => op.id === from)) return { ok: false, message: `There is no operator "${from}".` };
  const problem = operatorIdProblem(job, to, from);
  if (problem) return { ok: false, message: problem };
  const swap = (id: string) => (id === from ? to : id);
  const next: JobGraph = {
    ...job,
    operators: job.operators.map((op) => (op.id === from ? { ...op, id: to } : op)),
    edges: job.edges.map((e) => ({ ...e, from: swap(e.from), to: swap(e.to) })),
  };
  if (job.layout) {
    next.layout = Object.fromEntries(Object.entries(job.layout).map(([id, p]) => [swap(id), p]));
  }
  return { ok: true, job: next };
}

function mapOperator(job: JobGraph, id: string, fn: (op: OperatorSpec) => OperatorSpec): JobGraph {
  let changed = false;
  const operators = job.operators.map((op) => {
    if (op.id !== id) return op;
    changed = true;
    return fn(op);
  });
  return changed ? { ...job, operators } : job;
}

/** The operator with `id`, if any. */
export function findOperator(job: JobGraph, id: string): OperatorSpec | undefined {
  return job.operators.find((op) => op.id === id);
}

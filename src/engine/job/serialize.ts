/**
 * Canonical JSON for jobs: what export writes, share links carry, and the library stores.
 *
 * One fixed form makes files diff well and makes export → import → export byte-identical:
 * fixed key order (job: sluice, name, description, maxParallelismFormula, operators, edges,
 * layout; operator: id, kind, name, uid, parallelism, maxParallelism, config in catalogue
 * field order; edge: from, to, partitioner, key; layout in operator order, x then y),
 * 2-space indentation, a trailing newline, and absent (undefined) fields omitted.
 *
 * The input is read field by field, never spread, so nothing outside the format (and no
 * forbidden key) reaches the output. Anything that is not part of a valid job, such as an
 * unknown config setting in an unvalidated draft, is kept after the known fields in sorted
 * order, so validation after import still sees and reports it.
 */
import { CATALOGUE, isOperatorKind } from './catalogue';
import { FORBIDDEN_KEYS } from './limits';
import type { EdgeSpec, JobGraph, JobPosition, OperatorSpec } from './types';

/** The canonical text of a job. */
export function serializeJob(job: JobGraph): string {
  return `${JSON.stringify(canonicalJob(job), null, 2)}\n`;
}

/** A copy of the job with keys in canonical order and undefined fields dropped. */
export function canonicalJob(job: JobGraph): JobGraph {
  const out: Record<string, unknown> = {};
  put(out, 'sluice', job.sluice);
  put(out, 'name', job.name);
  put(out, 'description', job.description);
  put(out, 'maxParallelismFormula', job.maxParallelismFormula);
  put(out, 'operators', Array.isArray(job.operators) ? job.operators.map(canonicalOperator) : job.operators);
  put(out, 'edges', Array.isArray(job.edges) ? job.edges.map(canonicalEdge) : job.edges);
  if (job.layout !== undefined) put(out, 'layout', canonicalLayout(job.layout, job.operators));
  return out as unknown as JobGraph;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function canonicalOperator(op: OperatorSpec): OperatorSpec {
  const out: Record<string, unknown> = {};
  put(out, 'id', op.id);
  put(out, 'kind', op.kind);
  put(out, 'name', op.name);
  put(out, 'uid', op.uid);
  put(out, 'parallelism', op.parallelism);
  put(out, 'maxParallelism', op.maxParallelism);
  if (op.config !== undefined) put(out, 'config', canonicalConfig(op.kind, op.config));
  return out as unknown as OperatorSpec;
}

/** Catalogue fields first, in catalogue order; any other settings after them, sorted. */
function canonicalConfig(kind: string, config: Record<string, unknown>): Record<string, unknown> {
  if (typeof config !== 'object' || config === null) return config;
  const known = isOperatorKind(kind) ? CATALOGUE[kind].fields.map((field) => field.name) : [];
  const extra = Object.keys(config).filter((key) => !known.includes(key)).sort();
  return pick(config, [...known, ...extra]);
}

function canonicalEdge(edge: EdgeSpec): EdgeSpec {
  const out: Record<string, unknown> = {};
  put(out, 'from', edge.from);
  put(out, 'to', edge.to);
  put(out, 'partitioner', edge.partitioner);
  put(out, 'key', edge.key);
  return out as unknown as EdgeSpec;
}

/** Positions in operator order; positions of unknown ids after them, sorted. */
function canonicalLayout(layout: Record<string, JobPosition>, operators: readonly OperatorSpec[]): Record<string, JobPosition> {
  if (typeof layout !== 'object' || layout === null) return layout;
  const ids = Array.isArray(operators) ? operators.map((op) => op.id) : [];
  const extra = Object.keys(layout).filter((key) => !ids.includes(key)).sort();
  const out: Record<string, unknown> = {};
  for (const id of [...ids, ...extra]) {
    if (FORBIDDEN_KEYS.has(id) || !Object.prototype.hasOwnProperty.call(layout, id)) continue;
    const position: unknown = layout[id];
    put(out, id, typeof position === 'object' && position !== null ? pick(position as Record<string, unknown>, ['x', 'y']) : position);
  }
  return out as Record<string, JobPosition>;
}

/** The own, non-forbidden, defined properties `keys` of `source`, in that order. */
function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key) || !Object.prototype.hasOwnProperty.call(source, key)) continue;
    put(out, key, source[key]);
  }
  return out;
}

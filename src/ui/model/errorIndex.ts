/**
 * Where validation errors belong in the designer: to an operator (node badge), an edge (edge
 * mark) or a single field (inspector message). An error belongs to an operator or edge by its
 * `id`, or else by its JSON path (`$.operators[2]…`, `$.edges[1]…`).
 */
import { edgeId, type JobGraph, type ValidationError } from '../../engine';

export interface ErrorIndex {
  byOperator: Map<string, ValidationError[]>;
  byEdge: Map<string, ValidationError[]>;
}

const OPERATOR_PATH = /^\$\.operators\[(\d+)\]/;
const EDGE_PATH = /^\$\.edges\[(\d+)\]/;

function push<K>(map: Map<K, ValidationError[]>, key: K, error: ValidationError): void {
  const list = map.get(key);
  if (list) list.push(error);
  else map.set(key, [error]);
}

/** Groups errors by the operator or edge they belong to. */
export function indexErrors(job: JobGraph, errors: readonly ValidationError[]): ErrorIndex {
  const operatorIds = new Set(job.operators.map((op) => op.id));
  const edgeIds = new Set(job.edges.map(edgeId));
  const index: ErrorIndex = { byOperator: new Map(), byEdge: new Map() };
  for (const error of errors) {
    const target = ownerOf(job, error, operatorIds, edgeIds);
    if (target?.type === 'operator') push(index.byOperator, target.id, error);
    else if (target?.type === 'edge') push(index.byEdge, target.id, error);
  }
  return index;
}

export type ErrorOwner = { type: 'operator' | 'edge'; id: string };

/** The operator or edge an error belongs to, if any. */
export function ownerOf(
  job: JobGraph,
  error: ValidationError,
  operatorIds: ReadonlySet<string> = new Set(job.operators.map((op) => op.id)),
  edgeIds: ReadonlySet<string> = new Set(job.edges.map(edgeId)),
): ErrorOwner | null {
  if (error.id !== undefined) {
    if (edgeIds.has(error.id)) return { type: 'edge', id: error.id };
    if (operatorIds.has(error.id)) return { type: 'operator', id: error.id };
  }
  const opMatch = OPERATOR_PATH.exec(error.path);
  const op = opMatch ? job.operators[Number(opMatch[1])] : undefined;
  if (op) return { type: 'operator', id: op.id };
  const edgeMatch = EDGE_PATH.exec(error.path);
  const edge = edgeMatch ? job.edges[Number(edgeMatch[1])] : undefined;
  if (edge) return { type: 'edge', id: edgeId(edge) };
  return null;
}

/** Errors at `path` or below it (`$.operators[0].config` matches `$.operators[0].config.keys`). */
export function errorsAt(errors: readonly ValidationError[], path: string): ValidationError[] {
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
}

/** JSON path of an operator field, e.g. `$.operators[2].config.keys`, or null if the operator is gone. */
export function operatorFieldPath(job: JobGraph, operatorId: string, field: string): string | null {
  const index = job.operators.findIndex((op) => op.id === operatorId);
  return index < 0 ? null : `$.operators[${index}].${field}`;
}

/** JSON path of an edge field, e.g. `$.edges[1].key`, or null if the edge is gone. */
export function edgeFieldPath(job: JobGraph, id: string, field: string): string | null {
  const index = job.edges.findIndex((e) => edgeId(e) === id);
  return index < 0 ? null : `$.edges[${index}].${field}`;
}

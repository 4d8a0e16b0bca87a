/**
 * The logical job model: the `"sluice": "job/1"` file format (DESIGN.md §2, §8).
 *
 * This is a public contract: saved jobs, share links and users' scenario files depend on it.
 * Fields may be added; none may be renamed or removed.
 */

/** How records travel along an edge (Flink's partitioners). */
export type Partitioner = 'forward' | 'hash' | 'rebalance' | 'rescale' | 'broadcast' | 'global';

export const PARTITIONERS: readonly Partitioner[] = [
  'forward', 'hash', 'rebalance', 'rescale', 'broadcast', 'global',
];

/** Partitioners that connect every upstream subtask to every downstream subtask. */
export const ALL_TO_ALL: ReadonlySet<Partitioner> = new Set(['hash', 'rebalance', 'broadcast', 'global']);

/** Operator kinds of catalogue v1. */
export type OperatorKind =
  | 'datagen' | 'sequence'
  | 'map' | 'filter' | 'flatMap' | 'union'
  | 'aggregate' | 'window' | 'dedup'
  | 'collect' | 'log' | 'discard';

/** Where an operator sits in a job: sources have no inputs, sinks no outputs, keyed need a hash input. */
export type OperatorCategory = 'source' | 'stateless' | 'keyed' | 'sink';

/** Which default max-parallelism formula a job uses (DESIGN.md §2). */
export type MaxParallelismFormula = 'sluice' | 'flink';

export interface OperatorSpec {
  /** Unique within the job; letters, digits, `_` and `-`. */
  id: string;
  kind: OperatorKind;
  /** Display name; rendered as text, never as HTML. */
  name: string;
  /** Optional stable id for state (Flink's `uid`); unique within the job when set. */
  uid?: string;
  parallelism: number;
  /** Number of key groups; defaults from the job's formula when absent. */
  maxParallelism?: number;
  /** Kind-specific settings; every field has a default in the catalogue. */
  config?: Record<string, unknown>;
}

export interface EdgeSpec {
  from: string;
  to: string;
  partitioner: Partitioner;
  /** Record field (or expression) to key by; required for and only allowed on `hash`. */
  key?: string;
}

export interface JobPosition { x: number; y: number }

export interface JobGraph {
  sluice: 'job/1';
  name: string;
  description?: string;
  /** Default max-parallelism formula: the seed's (`sluice`, default) or Flink's own. */
  maxParallelismFormula?: MaxParallelismFormula;
  operators: OperatorSpec[];
  edges: EdgeSpec[];
  /** Canvas positions by operator id; purely presentational. */
  layout?: Record<string, JobPosition>;
}

/** One problem found in a job document: where (JSON path), which operator or edge, and what to do. */
export interface ValidationError {
  /** JSON path such as `$.operators[2].config.keys`. */
  path: string;
  /** Operator id, or edge id `from->to`, when the problem belongs to one. */
  id?: string;
  /** Stable machine-readable code from the error catalogue, e.g. `graph.cycle`. */
  code: string;
  /** Human sentence that says what is wrong and what to do. */
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  errors: ValidationError[];
  /** The normalised job when `ok` (defaults not filled in; unknown input never passes through). */
  job?: JobGraph;
}

/** Stable id of an edge, used in messages, the canvas and test ids. */
export function edgeId(edge: Pick<EdgeSpec, 'from' | 'to'>): string {
  return `${edge.from}->${edge.to}`;
}

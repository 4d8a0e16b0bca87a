/**
 * Operator catalogue v1: every operator kind, its place in a job, and its typed config with
 * defaults. The designer's palette and inspector are generated from this data, the validator
 * checks configs against it, and the README documents it.
 */
import type { OperatorCategory, OperatorKind } from './types';

export type ConfigFieldType =
  /** Integer within [min, max]. */
  | 'int'
  /** Finite number within [min, max]. */
  | 'number'
  | 'boolean'
  /** One of `options`. */
  | 'enum'
  /** Plain text. */
  | 'string'
  /** An expression over the record (see `src/engine/expr`); parsed on validation, never run on import. */
  | 'expression'
  /** The name of a record field. */
  | 'field';

export interface ConfigField {
  name: string;
  label: string;
  /** One sentence shown under the field in the inspector. */
  help: string;
  type: ConfigFieldType;
  default: string | number | boolean;
  options?: readonly string[];
  min?: number;
  max?: number;
  /** Unit shown after the input, e.g. `ms` or `records/s`. */
  unit?: string;
  /** Only meaningful when another field has one of these values (e.g. `gapMs` for session windows). */
  visibleWhen?: { field: string; oneOf: readonly (string | number | boolean)[] };
}

export interface OperatorKindInfo {
  kind: OperatorKind;
  category: OperatorCategory;
  label: string;
  /** One line for the palette tooltip and the README. */
  description: string;
  /** Fewest inputs the operator accepts (sources: 0; union: 2). */
  minInputs: number;
  /** Most inputs (sources: 0; others: unbounded). */
  maxInputs: number;
  /** May it have outgoing edges? (sinks: no). */
  hasOutputs: boolean;
  /** Parallelism a new operator of this kind gets in the designer. */
  defaultParallelism: number;
  fields: readonly ConfigField[];
}

const AGG_FNS = ['count', 'sum', 'min', 'max'] as const;
const DAY_MS = 86_400_000;

const aggregateFields: readonly ConfigField[] = [
  { name: 'fn', label: 'Function', help: 'What to compute per key.', type: 'enum', options: AGG_FNS, default: 'count' },
  { name: 'field', label: 'Field', help: 'Numeric record field to sum, min or max (ignored by count).', type: 'field', default: 'value',
    visibleWhen: { field: 'fn', oneOf: ['sum', 'min', 'max'] } },
];

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Sources: who sets the parallelism (plan/sourceRescaleMode.ts explains the rescale mode). */
const PARALLELISM_MODE: ConfigField = {
  name: 'parallelismMode', label: 'Parallelism mode', type: 'enum', options: ['user', 'rescale'], default: 'user',
  help: 'user: your parallelism, partitions dealt i mod p. rescale: one subtask per partition (parallelism = partitions), and its rescale edges split into gcd(partitions, downstream parallelism) equal regions, so every region reads as many partitions.',
};

export const CATALOGUE: Readonly<Record<OperatorKind, OperatorKindInfo>> = {
  datagen: {
    kind: 'datagen', category: 'source', label: 'Data generator',
    description: 'Replayable partitions of keyed records {key, value, ts} with uniform or Zipf-skewed keys and event time.',
    minInputs: 0, maxInputs: 0, hasOutputs: true, defaultParallelism: 2,
    fields: [
      { name: 'keys', label: 'Distinct keys', help: 'How many different keys the generator draws from.', type: 'int', min: 1, max: 1_000_000, default: 1000 },
      { name: 'distribution', label: 'Key distribution', help: 'Uniform, or Zipf skew where a few keys are hot.', type: 'enum', options: ['uniform', 'zipf'], default: 'uniform' },
      { name: 'zipfExponent', label: 'Zipf exponent', help: 'Larger is more skewed; 1 is classic Zipf.', type: 'number', min: 0.01, max: 5, default: 1.1,
        visibleWhen: { field: 'distribution', oneOf: ['zipf'] } },
      { name: 'ratePerSecond', label: 'Rate per partition', help: 'Records each partition emits per virtual second.', type: 'int', min: 1, max: 1_000_000, default: 1000, unit: 'records/s' },
      { name: 'partitions', label: 'Partitions', help: 'Replayable source partitions (like Kafka partitions), spread over the subtasks.', type: 'int', min: 1, max: 1024, default: 4 },
      PARALLELISM_MODE,
      { name: 'bounded', label: 'Bounded', help: 'Stop after a fixed number of records per partition.', type: 'boolean', default: false },
      { name: 'count', label: 'Records per partition', help: 'Only for bounded sources.', type: 'int', min: 1, max: 100_000_000, default: 10_000,
        visibleWhen: { field: 'bounded', oneOf: [true] } },
      { name: 'eventTime', label: 'Event time', help: 'Stamp records with event time and emit watermarks.', type: 'boolean', default: true },
      { name: 'outOfOrdernessMs', label: 'Max out-of-orderness', help: 'How late a record may arrive; watermarks trail by this much.', type: 'int', min: 0, max: DAY_MS, default: 200, unit: 'ms',
        visibleWhen: { field: 'eventTime', oneOf: [true] } },
    ],
  },
  sequence: {
    kind: 'sequence', category: 'source', label: 'Sequence',
    description: 'The numbers from..to as records {key, value, ts}, split over partitions; always bounded.',
    minInputs: 0, maxInputs: 0, hasOutputs: true, defaultParallelism: 1,
    fields: [
      { name: 'from', label: 'From', help: 'First number (inclusive).', type: 'int', min: -(2 ** 31), max: 2 ** 31 - 1, default: 1 },
      { name: 'to', label: 'To', help: 'Last number (inclusive).', type: 'int', min: -(2 ** 31), max: 2 ** 31 - 1, default: 100_000 },
      { name: 'ratePerSecond', label: 'Rate per partition', help: 'Numbers each partition emits per virtual second.', type: 'int', min: 1, max: 1_000_000, default: 1000, unit: 'records/s' },
      { name: 'partitions', label: 'Partitions', help: 'Replayable source partitions, spread over the subtasks.', type: 'int', min: 1, max: 1024, default: 1 },
      PARALLELISM_MODE,
    ],
  },
  map: {
    kind: 'map', category: 'stateless', label: 'Map',
    description: 'Sets one field of each record to the value of an expression.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 2,
    fields: [
      { name: 'field', label: 'Target field', help: 'Field to set (created when missing).', type: 'field', default: 'value' },
      { name: 'expr', label: 'Expression', help: 'Computed per record, e.g. value * 2.', type: 'expression', default: 'value * 2' },
    ],
  },
  filter: {
    kind: 'filter', category: 'stateless', label: 'Filter',
    description: 'Keeps the records for which a boolean expression is true.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 2,
    fields: [
      { name: 'expr', label: 'Keep when', help: 'Boolean expression, e.g. value % 2 == 0.', type: 'expression', default: 'value % 2 == 0' },
    ],
  },
  flatMap: {
    kind: 'flatMap', category: 'stateless', label: 'Flat map',
    description: 'Emits one record per element of a list expression, with the element in a field.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 2,
    fields: [
      { name: 'expr', label: 'List expression', help: "Yields a list per record, e.g. split(key, '-').", type: 'expression', default: "split(key, '-')" },
      { name: 'field', label: 'Element field', help: 'Field that receives each element.', type: 'field', default: 'key' },
    ],
  },
  union: {
    kind: 'union', category: 'stateless', label: 'Union',
    description: 'Merges two or more streams of the same shape into one.',
    minInputs: 2, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 2,
    fields: [],
  },
  aggregate: {
    kind: 'aggregate', category: 'keyed', label: 'Aggregate',
    description: 'Running count, sum, min or max per key; emits the updated value for every record.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 4,
    fields: aggregateFields,
  },
  window: {
    kind: 'window', category: 'keyed', label: 'Window',
    description: 'Event-time tumbling, sliding or session windows per key with an aggregate; fires on watermarks.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 4,
    fields: [
      { name: 'type', label: 'Window type', help: 'Tumbling (fixed, disjoint), sliding (overlapping) or session (gap-separated).', type: 'enum', options: ['tumbling', 'sliding', 'session'], default: 'tumbling' },
      { name: 'sizeMs', label: 'Size', help: 'Length of each window, in virtual time.', type: 'int', min: 1, max: DAY_MS, default: 10_000, unit: 'ms',
        visibleWhen: { field: 'type', oneOf: ['tumbling', 'sliding'] } },
      { name: 'slideMs', label: 'Slide', help: 'How far each sliding window starts after the previous one.', type: 'int', min: 1, max: DAY_MS, default: 5_000, unit: 'ms',
        visibleWhen: { field: 'type', oneOf: ['sliding'] } },
      { name: 'gapMs', label: 'Session gap', help: 'Inactivity that closes a session.', type: 'int', min: 1, max: DAY_MS, default: 5_000, unit: 'ms',
        visibleWhen: { field: 'type', oneOf: ['session'] } },
      ...aggregateFields,
      { name: 'allowedLatenessMs', label: 'Allowed lateness', help: 'Records later than this after the watermark are counted as late and dropped.', type: 'int', min: 0, max: DAY_MS, default: 0, unit: 'ms' },
    ],
  },
  dedup: {
    kind: 'dedup', category: 'keyed', label: 'Deduplicate',
    description: 'Passes the first record of each key and drops repeats until the key\'s state expires (TTL).',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: true, defaultParallelism: 4,
    fields: [
      { name: 'ttlMs', label: 'TTL', help: 'How long a seen key is remembered (virtual time).', type: 'int', min: 1, max: 30 * DAY_MS, default: 60_000, unit: 'ms' },
      { name: 'ttlUpdate', label: 'TTL refresh', help: "Flink's update type: refresh on write only, or on read and write.", type: 'enum', options: ['OnCreateAndWrite', 'OnReadAndWrite'], default: 'OnCreateAndWrite' },
    ],
  },
  collect: {
    kind: 'collect', category: 'sink', label: 'Collect',
    description: 'Exactly-once sink: output commits per checkpoint (two-phase commit); the app shows committed and pending records.',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: false, defaultParallelism: 1,
    fields: [
      { name: 'keepRecords', label: 'Records kept', help: 'Most recent committed records kept for display; counts cover all.', type: 'int', min: 0, max: 1_000_000, default: 10_000 },
      { name: 'regionSharable', label: 'Region-sharable', help: 'Parallelism 1 only: a member of every region feeding it, so independent pipelines stay separate regions.', type: 'boolean', default: false },
    ],
  },
  log: {
    kind: 'log', category: 'sink', label: 'Log',
    description: 'Writes a sample of records to the event log (at-least-once).',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: false, defaultParallelism: 1,
    fields: [
      { name: 'every', label: 'Log every', help: 'Log one record in this many.', type: 'int', min: 1, max: 1_000_000, default: 1000 },
    ],
  },
  discard: {
    kind: 'discard', category: 'sink', label: 'Discard',
    description: 'Counts and drops every record (a sink for throughput experiments).',
    minInputs: 1, maxInputs: UNBOUNDED, hasOutputs: false, defaultParallelism: 1,
    fields: [],
  },
};

export const OPERATOR_KINDS = Object.keys(CATALOGUE) as OperatorKind[];

export function isOperatorKind(value: unknown): value is OperatorKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CATALOGUE, value);
}

/** The full config of an operator: its own settings over the catalogue defaults. */
export function configWithDefaults(kind: OperatorKind, config: Record<string, unknown> | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of CATALOGUE[kind].fields) {
    const own = config !== undefined && Object.prototype.hasOwnProperty.call(config, field.name);
    result[field.name] = own ? config[field.name] : field.default;
  }
  return result;
}

/** Is a field relevant given the other values of the config (see `visibleWhen`)? */
export function isFieldActive(field: ConfigField, fullConfig: Record<string, unknown>): boolean {
  if (!field.visibleWhen) return true;
  return field.visibleWhen.oneOf.includes(fullConfig[field.visibleWhen.field] as string | number | boolean);
}

/**
 * Random VALID jobs for property tests (round trips, fuzz seeds).
 *
 * The generator builds the graph in topological order and only makes choices the validator
 * accepts: keyed operators get hash inputs with a key, forward edges join equal parallelism,
 * unions get two inputs, sinks feed nothing, config values stay in their catalogue ranges.
 * A job it makes that fails validation is a bug in one of the two, and the test prints the seed.
 */
import { FUNCTIONS } from '../../expr/functions';
import { CATALOGUE, OPERATOR_KINDS, type ConfigField } from '../catalogue';
import type { EdgeSpec, JobGraph, JobPosition, OperatorKind, OperatorSpec, Partitioner } from '../types';
import type { Prng } from './prng';
import { sourcePartitions } from '../../plan/sourceRescaleMode';

const FIELD_NAMES = ['key', 'value', 'ts', 'word', 'user_id', 'n', 'len', '_x9'];
const NAME_PARTS = ['Words', 'Count', 'Ünïcødé', '名前', '"quoted"', "it's", '<b>bold</b>', 'emoji 🚰', 'tab\there', 'back\\slash', ' padded '];
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
const NON_HASH: readonly Partitioner[] = ['forward', 'rebalance', 'rescale', 'broadcast', 'global'];

/** A random expression source that parses (it need not be well-typed: validation never runs it). */
export function randomExpression(rng: Prng, depth = 3): string {
  const leaf = depth <= 0 || rng.chance(0.3);
  if (leaf) {
    switch (rng.int(5)) {
      case 0: return rng.pick(FIELD_NAMES);
      case 1: return String(rng.chance(0.5) ? rng.int(1000) : Math.round(rng.next() * 1e4) / 100);
      case 2: return rng.pick(["'a-b'", '"x"', "'it\\'s'", '"q\\"\\n"', "''", "'\\u00e9'"]);
      case 3: return rng.pick(['true', 'false', 'null']);
      default: return rng.pick(FIELD_NAMES);
    }
  }
  const sub = (): string => randomExpression(rng, depth - 1);
  switch (rng.int(5)) {
    case 0: return `${rng.pick(['-', '!', 'not '])}${sub()}`;
    case 1: return `(${sub()} ${rng.pick(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'and', 'or'])} ${sub()})`;
    case 2: return `${sub()} ? ${sub()} : ${sub()}`;
    default: {
      const name = rng.pick(Object.keys(FUNCTIONS));
      const info = FUNCTIONS[name] as { minArgs: number; maxArgs: number };
      const count = rng.between(info.minArgs, Math.min(info.maxArgs, info.minArgs + 2));
      return `${name}(${Array.from({ length: count }, sub).join(', ')})`;
    }
  }
}

function randomId(rng: Prng, taken: Set<string>): string {
  for (;;) {
    const length = rng.between(1, rng.chance(0.1) ? 64 : 10);
    let id = '';
    for (let i = 0; i < length; i++) id += ID_CHARS.charAt(rng.int(ID_CHARS.length));
    if (!taken.has(id) && id !== 'constructor' && id !== 'prototype' && id !== '__proto__') {
      taken.add(id);
      return id;
    }
  }
}

function randomName(rng: Prng): string {
  const parts = Array.from({ length: rng.between(1, 3) }, () => rng.pick(NAME_PARTS));
  return parts.join(' ');
}

function randomValue(rng: Prng, field: ConfigField): string | number | boolean {
  switch (field.type) {
    case 'int': {
      const min = field.min ?? -1000;
      const max = Math.min(field.max ?? 1000, min + (rng.chance(0.5) ? 100 : 1_000_000_000));
      return rng.chance(0.1) ? (rng.chance(0.5) ? min : field.max ?? max) : rng.between(min, max);
    }
    case 'number': {
      const min = field.min ?? -1000;
      const max = field.max ?? 1000;
      return Math.min(max, Math.max(min, min + rng.next() * (max - min)));
    }
    case 'boolean': return rng.chance(0.5);
    case 'enum': return rng.pick(field.options ?? ['']);
    case 'expression': return randomExpression(rng, rng.int(4));
    case 'field': return rng.pick(FIELD_NAMES);
    default: return randomName(rng);
  }
}

function randomConfig(rng: Prng, kind: OperatorKind): Record<string, unknown> | undefined {
  const fields = CATALOGUE[kind].fields;
  if (rng.chance(0.25)) return undefined;
  const config: Record<string, unknown> = {};
  for (const field of fields) {
    if (rng.chance(0.6)) config[field.name] = randomValue(rng, field);
  }
  if (kind === 'sequence') {
    // A sequence counts up: make from <= to explicit whenever either is set.
    const from = (config.from ?? 1) as number;
    const to = (config.to ?? 100_000) as number;
    if (from > to) {
      config.from = to;
      config.to = from;
    }
  }
  return config;
}

function randomOperator(rng: Prng, kind: OperatorKind, taken: Set<string>, uids: Set<string>): OperatorSpec {
  const parallelism = rng.chance(0.4) ? 1 : rng.between(1, rng.chance(0.1) ? 300 : 8);
  const op: OperatorSpec = { id: randomId(rng, taken), kind, name: randomName(rng), parallelism };
  if (rng.chance(0.3)) op.uid = randomId(rng, uids);
  if (rng.chance(0.2)) op.maxParallelism = rng.between(parallelism, Math.min(32_768, parallelism + 5000));
  const config = randomConfig(rng, kind);
  // A region-sharable committer must run at parallelism 1.
  if (config?.regionSharable === true && parallelism !== 1) config.regionSharable = false;
  // A source in rescale mode runs one subtask per partition.
  if (config?.parallelismMode === 'rescale' && parallelism !== sourcePartitions({ kind, config })) config.parallelismMode = 'user';
  if (config !== undefined) op.config = config;
  return op;
}

function randomEdge(rng: Prng, from: OperatorSpec, to: OperatorSpec): EdgeSpec {
  const keyed = CATALOGUE[to.kind].category === 'keyed';
  const options = NON_HASH.filter((p) => p !== 'forward' || from.parallelism === to.parallelism);
  const partitioner: Partitioner = keyed || rng.chance(0.3) ? 'hash' : rng.pick(options);
  const edge: EdgeSpec = { from: from.id, to: to.id, partitioner };
  if (partitioner === 'hash') edge.key = rng.chance(0.6) ? rng.pick(FIELD_NAMES) : randomExpression(rng, 2);
  return edge;
}

/** Chooses `count` distinct elements. */
function sample<T>(rng: Prng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(rng.int(pool.length), 1)[0] as T);
  return chosen;
}

function randomLayout(rng: Prng, operators: readonly OperatorSpec[]): Record<string, JobPosition> {
  const layout: Record<string, JobPosition> = {};
  for (const op of operators) {
    if (rng.chance(0.8)) layout[op.id] = { x: Math.round(rng.next() * 4000 - 500) / (rng.chance(0.5) ? 1 : 7), y: rng.int(900) };
  }
  return layout;
}

/** A random job that validates. */
export function randomValidJob(rng: Prng): JobGraph {
  const taken = new Set<string>();
  const uids = new Set<string>();
  const sources = OPERATOR_KINDS.filter((kind) => CATALOGUE[kind].category === 'source');
  const others = OPERATOR_KINDS.filter((kind) => CATALOGUE[kind].category !== 'source');
  const operators: OperatorSpec[] = [];
  const edges: EdgeSpec[] = [];
  const feeders: OperatorSpec[] = [];
  for (let i = rng.between(1, 3); i > 0; i--) {
    const op = randomOperator(rng, rng.pick(sources), taken, uids);
    operators.push(op);
    feeders.push(op);
  }
  for (let i = rng.int(rng.chance(0.05) ? 120 : 10); i > 0; i--) {
    let kind = rng.pick(others);
    if (CATALOGUE[kind].minInputs > feeders.length) kind = 'map';
    const op = randomOperator(rng, kind, taken, uids);
    const inputs = sample(rng, feeders, rng.between(CATALOGUE[kind].minInputs, Math.min(feeders.length, CATALOGUE[kind].minInputs + 2)));
    for (const input of inputs) edges.push(randomEdge(rng, input, op));
    operators.push(op);
    if (CATALOGUE[kind].hasOutputs) feeders.push(op);
  }
  const job: JobGraph = { sluice: 'job/1', name: randomName(rng), operators, edges };
  if (rng.chance(0.5)) job.description = rng.chance(0.2) ? '' : randomName(rng);
  if (rng.chance(0.4)) job.maxParallelismFormula = rng.pick(['sluice', 'flink'] as const);
  if (rng.chance(0.6)) job.layout = randomLayout(rng, operators);
  // Shuffle operators and edges: validity must not depend on listing order.
  return { ...job, operators: sample(rng, operators, operators.length), edges: sample(rng, edges, edges.length) };
}

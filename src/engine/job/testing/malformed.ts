/**
 * Malformed job documents for the import fuzz test, each derived from a random valid job by a
 * change that MUST make it invalid: truncation, a type swap, a hostile key, a huge string or
 * array, or one of a list of rule-breaking mutations.
 */
import { MAX_JOB_BYTES } from '../limits';
import { serializeJob } from '../serialize';
import type { JobGraph } from '../types';
import type { Prng } from './prng';

/** A document to import: as text (through `parseJobText`) or as a value (through `validateJob`). */
export type Malformed = { kind: string; text: string } | { kind: string; value: unknown };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function copy(job: JobGraph): JsonObject {
  return JSON.parse(JSON.stringify(job)) as JsonObject;
}

function objects(root: Json): JsonObject[] {
  const found: JsonObject[] = [];
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      found.push(value);
      Object.values(value).forEach(visit);
    }
  };
  visit(root);
  return found;
}

/** Every (container, key) slot below the root. */
function slots(root: Json): [Json[] | JsonObject, string | number][] {
  const found: [Json[] | JsonObject, string | number][] = [];
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach((child, i) => { found.push([value, i]); visit(child); });
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        found.push([value, key]);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const SAMPLES: Json[] = ['text', 7, 2.5, true, null, [], {}, [1, 'a'], { a: 1 }];

function truncated(rng: Prng, job: JobGraph): Malformed {
  const text = serializeJob(job);
  return { kind: 'truncation', text: text.slice(0, rng.int(text.lastIndexOf('}'))) };
}

function typeSwapped(rng: Prng, job: JobGraph): Malformed {
  const doc = copy(job);
  const [container, key] = rng.pick(slots(doc));
  const current = (container as Record<string | number, Json>)[key] as Json;
  const replacement = rng.pick(SAMPLES.filter((sample) => jsonType(sample) !== jsonType(current)));
  (container as Record<string | number, Json>)[key] = replacement;
  return { kind: `type swap ${jsonType(current)} → ${jsonType(replacement)}`, value: doc };
}

function hostile(rng: Prng, job: JobGraph): Malformed {
  const doc = copy(job);
  const target = rng.pick(objects(doc));
  const key = rng.pick(['__proto__', 'constructor', 'prototype']);
  const payload = { polluted: true, toString: 'x', constructor: { prototype: { polluted: true } } };
  // defineProperty makes `__proto__` an own data property, exactly as JSON.parse does.
  Object.defineProperty(target, key, { value: payload, enumerable: true, configurable: true, writable: true });
  return rng.chance(0.5)
    ? { kind: `hostile key ${key} (text)`, text: JSON.stringify(doc) }
    : { kind: `hostile key ${key} (value)`, value: doc };
}

function huge(rng: Prng, job: JobGraph): Malformed {
  const doc = copy(job);
  const operators = doc.operators as JsonObject[];
  const big = 'x'.repeat(10 * 1024 * 1024);
  switch (rng.int(7)) {
    case 0: return { kind: 'huge job name', value: { ...doc, name: big } };
    case 1: (operators[0] as JsonObject).id = big; return { kind: 'huge operator id', value: doc };
    case 2: return { kind: 'huge text', text: serializeJob(job).replace('"name": "', `"name": "${'y'.repeat(MAX_JOB_BYTES)}`) };
    case 3: {
      const many = Array.from({ length: 100_000 }, (_, i) => ({ ...operators[0], id: `o${i}` }));
      return { kind: '100,000 operators', value: { ...doc, operators: many } };
    }
    case 4: return { kind: '100,000 edges', value: { ...doc, edges: new Array(100_000).fill({ from: 'a', to: 'b', partitioner: 'forward' }) } };
    case 5: return { kind: 'deep nesting', text: `{"sluice": "job/1", "name": ${'['.repeat(200_000)}${']'.repeat(200_000)}}` };
    default: {
      const layout: JsonObject = {};
      for (let i = 0; i < 120_000; i++) layout[`k${i}`] = { x: 0, y: 0 };
      return { kind: '120,000 layout keys', value: { ...doc, layout } };
    }
  }
}

/** Changes that break one rule each; every one applies to any valid job. */
const BREAKERS: [string, (rng: Prng, doc: JsonObject) => void][] = [
  ['delete a required job field', (rng, doc) => { delete doc[rng.pick(['sluice', 'name', 'operators', 'edges'])]; }],
  ['delete a required operator field', (rng, doc) => { delete rng.pick(doc.operators as JsonObject[])[rng.pick(['id', 'kind', 'name', 'parallelism'])]; }],
  ['bad parallelism', (rng, doc) => { rng.pick(doc.operators as JsonObject[]).parallelism = rng.pick([0, -3, 1.5, 'x', null]); }],
  ['unknown field', (rng, doc) => { rng.pick([doc, ...(doc.operators as JsonObject[]), ...(doc.edges as JsonObject[])]).zzz = 1; }],
  ['duplicate operator', (rng, doc) => { (doc.operators as Json[]).push(JSON.parse(JSON.stringify(rng.pick(doc.operators as JsonObject[]))) as Json); }],
  ['unknown kind', (rng, doc) => { rng.pick(doc.operators as JsonObject[]).kind = 'reduce'; }],
  ['self-loop', (rng, doc) => {
    const id = rng.pick(doc.operators as JsonObject[]).id as string;
    (doc.edges as Json[]).push({ from: id, to: id, partitioner: 'rebalance' });
  }],
  ['dangling edge', (rng, doc) => {
    (doc.edges as Json[]).push({ from: rng.pick(doc.operators as JsonObject[]).id as string, to: 'ghost-op', partitioner: 'rebalance' });
  }],
  ['wrong version', (rng, doc) => { doc.sluice = rng.pick(['job/0', 'job/2', 'JOB/1', '']); }],
  ['unknown config setting', (rng, doc) => {
    const op = rng.pick(doc.operators as JsonObject[]);
    op.config = { ...(op.config as JsonObject | undefined), zzz: 1 };
  }],
  ['empty name', (_rng, doc) => { doc.name = ''; }],
  ['reversed edge (cycle, or a source input / sink output)', (rng, doc) => {
    const edges = doc.edges as JsonObject[];
    if (edges.length === 0) { doc.sluice = 'job/9'; return; }
    const edge = rng.pick(edges);
    edges.push({ from: edge.to as string, to: edge.from as string, partitioner: 'rebalance' });
  }],
  ['layout for no operator', (_rng, doc) => { doc.layout = { ...(doc.layout as JsonObject | undefined), ghost: { x: 0, y: 0 } }; }],
  ['unknown partitioner', (rng, doc) => {
    const edges = doc.edges as JsonObject[];
    if (edges.length === 0) doc.name = ' ';
    else rng.pick(edges).partitioner = 'shuffle';
  }],
  ['broken expression key', (rng, doc) => {
    const hashEdges = (doc.edges as JsonObject[]).filter((edge) => edge.partitioner === 'hash');
    if (hashEdges.length === 0) doc.operators = 'none';
    else rng.pick(hashEdges).key = rng.pick(['key +', '(key', "'open", 'eval(key)', '', 'a = b']);
  }],
];

function mutated(rng: Prng, job: JobGraph): Malformed {
  const doc = copy(job);
  const [name, breaker] = rng.pick(BREAKERS);
  breaker(rng, doc);
  return rng.chance(0.3) ? { kind: name, text: JSON.stringify(doc) } : { kind: name, value: doc };
}

/** One malformed document of a category chosen by `index` (so every category is covered evenly). */
export function malformedDocument(rng: Prng, job: JobGraph, index: number): Malformed {
  switch (index % 5) {
    case 0: return truncated(rng, job);
    case 1: return typeSwapped(rng, job);
    case 2: return hostile(rng, job);
    case 3: return index % 15 === 3 ? huge(rng, job) : mutated(rng, job);
    default: return mutated(rng, job);
  }
}

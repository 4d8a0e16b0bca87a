/**
 * One test per validation rule: the valid base job, broken exactly one way, must report that
 * rule's code at the right JSON path with the right operator or edge id.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from './errors';
import { MAX_EDGES, MAX_OPERATORS, MAX_REPORTED_ERRORS, MAX_STRING } from './limits';
import { baseJob } from './testing/baseJob';
import type { EdgeSpec, JobGraph, OperatorSpec, ValidationReport } from './types';
import { validateJob } from './validate';

type Loose = Record<string, unknown>;

function op(job: JobGraph, id: string): Loose {
  const found = job.operators.find((o) => o.id === id);
  if (found === undefined) throw new Error(`no operator ${id}`);
  return found as unknown as Loose;
}

function config(job: JobGraph, id: string): Loose {
  return op(job, id).config as Loose;
}

function edge(job: JobGraph, from: string, to: string): Loose {
  const found = job.edges.find((e) => e.from === from && e.to === to);
  if (found === undefined) throw new Error(`no edge ${from}->${to}`);
  return found as unknown as Loose;
}

function broken(mutate: (job: JobGraph) => void): ValidationReport {
  const job = baseJob();
  mutate(job);
  return validateJob(job);
}

/** The report holds exactly this one problem. */
function expectOnly(report: ValidationReport, code: ErrorCode, path: string, id?: string): void {
  expect(report.ok).toBe(false);
  expect(report.job).toBeUndefined();
  expect(report.errors.map((e) => ({ code: e.code, path: e.path, id: e.id }))).toEqual([{ code, path, id }]);
  expect(report.errors[0]?.message.length).toBeGreaterThan(20);
}

/** The report holds this problem (and possibly consequences of the same mutation). */
function expectSome(report: ValidationReport, code: ErrorCode, path: string, id?: string): void {
  expect(report.ok).toBe(false);
  expect(report.errors.map((e) => ({ code: e.code, path: e.path, id: e.id }))).toContainEqual({ code, path, id });
}

describe('the base job', () => {
  it('is valid and comes back as a fresh, equal, normalised object', () => {
    const job = baseJob();
    const report = validateJob(job);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.job).toEqual(job);
    expect(report.job).not.toBe(job);
    expect(report.job?.operators[0]).not.toBe(job.operators[0]);
    expect(report.job?.operators[0]?.config).not.toBe(job.operators[0]?.config);
    expect(report.job?.layout?.src).not.toBe(job.layout?.src);
  });

  it('is not modified by validation', () => {
    const job = baseJob();
    deepFreeze(job);
    expect(validateJob(job).ok).toBe(true);
  });
});

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

describe('document rules', () => {
  it.each([null, [], 'job', 42, true, undefined])('json.notObject: %j', (value) => {
    expectOnly(validateJob(value), 'json.notObject', '$');
  });

  it('json.forbiddenKey: __proto__, constructor and prototype anywhere', () => {
    const job = JSON.parse(JSON.stringify(baseJob())) as JobGraph;
    Object.defineProperty(op(job, 'map'), '__proto__', { value: { polluted: true }, enumerable: true });
    expectOnly(validateJob(job), 'json.forbiddenKey', '$.operators[2].__proto__');
    const withConstructor = broken((j) => {
      Object.defineProperty(config(j, 'src'), 'constructor', { value: { prototype: {} }, enumerable: true });
    });
    expectOnly(withConstructor, 'json.forbiddenKey', '$.operators[0].config.constructor');
    expectOnly(broken((j) => { (j.layout as Loose).prototype = { x: 1, y: 1 }; }), 'json.forbiddenKey', '$.layout.prototype');
    expect(validateJob(JSON.parse('{"__proto__": {"polluted": 1}}')).errors.map((e) => e.code)).toContain('json.forbiddenKey');
  });

  it('json.unknownField: at the top, in operators, edges and positions', () => {
    expectOnly(broken((j) => { (j as unknown as Loose).extra = 1; }), 'json.unknownField', '$.extra');
    expectOnly(broken((j) => { op(j, 'seq').colour = 'red'; }), 'json.unknownField', '$.operators[1].colour', 'seq');
    expectOnly(broken((j) => { edge(j, 'src', 'map').weight = 2; }), 'json.unknownField', '$.edges[0].weight', 'src->map');
    expectOnly(broken((j) => { ((j.layout as Loose).src as Loose).z = 3; }), 'json.unknownField', '$.layout.src.z', 'src');
  });

  it('json.missingField: required job, operator and edge fields', () => {
    expectOnly(broken((j) => { delete (j as Partial<JobGraph>).name; }), 'json.missingField', '$.name');
    expectOnly(broken((j) => { delete (op(j, 'map') as Partial<OperatorSpec>).kind; }), 'json.missingField', '$.operators[2].kind', 'map');
    expectOnly(broken((j) => { delete (edge(j, 'seq', 'flt') as Partial<EdgeSpec>).partitioner; }), 'json.missingField', '$.edges[1].partitioner', 'seq->flt');
    expectOnly(broken((j) => { delete (j as Partial<JobGraph>).sluice; }), 'json.missingField', '$.sluice');
  });

  it('json.wrongType: a value of the wrong JSON type', () => {
    expectOnly(broken((j) => { (j as unknown as Loose).name = 5; }), 'json.wrongType', '$.name');
    expectOnly(broken((j) => { (j as unknown as Loose).operators = {}; }), 'json.wrongType', '$.operators');
    expectOnly(broken((j) => { op(j, 'src').config = []; }), 'json.wrongType', '$.operators[0].config', 'src');
    expectSome(broken((j) => { edge(j, 'src', 'map').from = 7; }), 'json.wrongType', '$.edges[0].from');
    expectOnly(broken((j) => { (j as unknown as Loose).description = null; }), 'json.wrongType', '$.description');
  });

  it('json.tooComplex: more values than any job holds', () => {
    expectSome(broken((j) => { (j as unknown as Loose).junk = new Array(200_000).fill(0); }), 'json.tooComplex', '$');
  });

  it('json.tooManyErrors: the report is capped', () => {
    const job = baseJob();
    job.operators = Array.from({ length: MAX_OPERATORS }, (_, i) => ({ id: `o${i}`, kind: 'nope', parallelism: 0 }) as unknown as OperatorSpec);
    job.layout = {};
    const report = validateJob(job);
    expect(report.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(report.errors.at(-1)?.code).toBe('json.tooManyErrors');
  });

  it('json.unreadable: exotic objects that throw are reported, not rethrown', () => {
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys for you'); } });
    expectOnly(validateJob(proxy), 'json.unreadable', '$');
    const getter = baseJob() as unknown as Loose;
    Object.defineProperty(getter, 'name', { get: () => { throw new Error('boom'); }, enumerable: true });
    expectSome(validateJob(getter), 'json.unreadable', '$');
  });
});

describe('job rules', () => {
  it('job.version: only "job/1" is read', () => {
    expectOnly(broken((j) => { (j as unknown as Loose).sluice = 'job/2'; }), 'job.version', '$.sluice');
    expectOnly(broken((j) => { (j as unknown as Loose).sluice = 1; }), 'job.version', '$.sluice');
  });

  it('job.formula: sluice or flink', () => {
    expectOnly(broken((j) => { (j as unknown as Loose).maxParallelismFormula = 'java'; }), 'job.formula', '$.maxParallelismFormula');
  });

  it('job.tooManyOperators: counted before any operator is read', () => {
    const report = broken((j) => {
      j.operators = Array.from({ length: MAX_OPERATORS + 1 }, (_, i) => ({ ...j.operators[i % 7] as OperatorSpec, id: `o${i}` }));
    });
    expectOnly(report, 'job.tooManyOperators', '$.operators');
  });

  it('job.tooManyEdges: counted before any edge is read', () => {
    const report = broken((j) => { j.edges = Array.from({ length: MAX_EDGES + 1 }, () => ({ from: 'x', to: 'y', partitioner: 'forward' })); });
    expectOnly(report, 'job.tooManyEdges', '$.edges');
  });

  it('string.tooLong: names and descriptions', () => {
    expectOnly(broken((j) => { j.name = 'n'.repeat(MAX_STRING + 1); }), 'string.tooLong', '$.name');
    expectOnly(broken((j) => { op(j, 'agg').name = 'n'.repeat(MAX_STRING + 1); }), 'string.tooLong', '$.operators[5].name', 'agg');
    expectOnly(broken((j) => { j.description = 'd'.repeat(MAX_STRING + 1); }), 'string.tooLong', '$.description');
  });

  it('string.empty: blank names', () => {
    expectOnly(broken((j) => { op(j, 'uni').name = '  '; }), 'string.empty', '$.operators[4].name', 'uni');
    expectOnly(broken((j) => { j.name = ''; }), 'string.empty', '$.name');
  });
});

describe('operator rules', () => {
  it('operator.idInvalid: ids are 1 to 64 letters, digits, _ or -', () => {
    for (const bad of ['out put', '', 'x'.repeat(65), 'ünï', 'a.b']) {
      const report = broken((j) => {
        op(j, 'out').id = bad;
        edge(j, 'agg', 'out').to = bad;
        delete (j.layout as Loose).out;
      });
      expectOnly(report, 'operator.idInvalid', '$.operators[6].id');
    }
  });

  it('operator.idReserved: ids that are JavaScript internals', () => {
    const report = broken((j) => {
      op(j, 'out').id = 'constructor';
      edge(j, 'agg', 'out').to = 'constructor';
      delete (j.layout as Loose).out;
    });
    expectOnly(report, 'operator.idReserved', '$.operators[6].id');
  });

  it('operator.uidInvalid', () => {
    expectOnly(broken((j) => { op(j, 'src').uid = 'has space'; }), 'operator.uidInvalid', '$.operators[0].uid', 'src');
  });

  it('operator.kindUnknown', () => {
    expectOnly(broken((j) => { op(j, 'map').kind = 'reduce'; }), 'operator.kindUnknown', '$.operators[2].kind', 'map');
  });

  it.each([0, -1, 1.5, '2', null])('operator.parallelism: %j', (value) => {
    expectOnly(broken((j) => { op(j, 'out').parallelism = value; }), 'operator.parallelism', '$.operators[6].parallelism', 'out');
  });

  it('operator.parallelismAboveMax: above its own maxParallelism or the default', () => {
    expectOnly(broken((j) => { op(j, 'agg').parallelism = 200; }), 'operator.parallelismAboveMax', '$.operators[5].parallelism', 'agg');
    const report = broken((j) => { j.maxParallelismFormula = 'flink'; op(j, 'out').parallelism = 40_000; });
    expectOnly(report, 'operator.parallelismAboveMax', '$.operators[6].parallelism', 'out');
    expect(report.errors[0]?.message).toContain('"flink" formula');
  });

  it.each([0, 40_000, 2.5, 'many'])('operator.maxParallelism: %j', (value) => {
    expectOnly(broken((j) => { op(j, 'agg').maxParallelism = value; }), 'operator.maxParallelism', '$.operators[5].maxParallelism', 'agg');
  });
});

describe('config rules (from the catalogue)', () => {
  it('config.unknownField names the kind\'s settings', () => {
    const report = broken((j) => { config(j, 'map').colour = 'red'; });
    expectOnly(report, 'config.unknownField', '$.operators[2].config.colour', 'map');
    expect(report.errors[0]?.message).toContain('the settings of map are: field, expr');
    const union = broken((j) => { op(j, 'uni').config = { x: 1 }; });
    expectOnly(union, 'config.unknownField', '$.operators[4].config.x', 'uni');
    expect(union.errors[0]?.message).toContain('are: none');
  });

  it.each([0, 1.5, 2_000_000, '10'])('config.int: %j', (value) => {
    expectOnly(broken((j) => { config(j, 'src').keys = value; }), 'config.int', '$.operators[0].config.keys', 'src');
  });

  it.each([9, 0, 'x'])('config.number: %j', (value) => {
    expectOnly(broken((j) => { config(j, 'src').zipfExponent = value; }), 'config.number', '$.operators[0].config.zipfExponent', 'src');
  });

  it('config.boolean', () => {
    expectOnly(broken((j) => { config(j, 'src').bounded = 'yes'; }), 'config.boolean', '$.operators[0].config.bounded', 'src');
  });

  it('config.enum', () => {
    const report = broken((j) => { config(j, 'src').distribution = 'normal'; });
    expectOnly(report, 'config.enum', '$.operators[0].config.distribution', 'src');
    expect(report.errors[0]?.message).toContain('"uniform", "zipf"');
  });

  it('config.expression: parsed, with the column of the problem', () => {
    const report = broken((j) => { config(j, 'flt').expr = 'value %'; });
    expectOnly(report, 'config.expression', '$.operators[3].config.expr', 'flt');
    expect(report.errors[0]?.message).toContain('unexpected end of expression at column 8');
    expectOnly(broken((j) => { config(j, 'flt').expr = 42; }), 'config.expression', '$.operators[3].config.expr', 'flt');
  });

  it.each(['1abc', 'true', '__proto__', 'a-b', ''])('config.fieldName: %j', (value) => {
    expectOnly(broken((j) => { config(j, 'map').field = value; }), 'config.fieldName', '$.operators[2].config.field', 'map');
  });

  it('config.range: a sequence counts up', () => {
    expectOnly(broken((j) => { config(j, 'seq').from = 2000; }), 'config.range', '$.operators[1].config.from', 'seq');
  });
});

describe('edge rules', () => {
  it('edge.partitionerUnknown', () => {
    expectOnly(broken((j) => { edge(j, 'seq', 'flt').partitioner = 'shuffle'; }), 'edge.partitionerUnknown', '$.edges[1].partitioner', 'seq->flt');
  });

  it('edge.keyMissing: hash edges need a key', () => {
    expectOnly(broken((j) => { delete edge(j, 'uni', 'agg').key; }), 'edge.keyMissing', '$.edges[4].key', 'uni->agg');
  });

  it('edge.keyNotAllowed: only hash edges carry a key', () => {
    expectOnly(broken((j) => { edge(j, 'seq', 'flt').key = 'key'; }), 'edge.keyNotAllowed', '$.edges[1].key', 'seq->flt');
  });

  it('edge.keyInvalid: the key is an expression that must parse', () => {
    const report = broken((j) => { edge(j, 'uni', 'agg').key = 'key +'; });
    expectOnly(report, 'edge.keyInvalid', '$.edges[4].key', 'uni->agg');
    expect(report.errors[0]?.message).toContain('column 6');
  });

  it('edge.dangling: both ends must be operators of the job', () => {
    expectOnly(broken((j) => { j.edges.push({ from: 'ghost', to: 'uni', partitioner: 'rebalance' }); }), 'edge.dangling', '$.edges[6].from', 'ghost->uni');
    expectSome(broken((j) => { edge(j, 'seq', 'flt').to = 'nowhere'; }), 'edge.dangling', '$.edges[1].to', 'seq->nowhere');
  });

  it('edge.duplicate', () => {
    expectOnly(broken((j) => { j.edges.push({ from: 'map', to: 'uni', partitioner: 'rebalance' }); }), 'edge.duplicate', '$.edges[6]', 'map->uni');
  });

  it('edge.selfLoop', () => {
    expectOnly(broken((j) => { j.edges.push({ from: 'map', to: 'map', partitioner: 'forward' }); }), 'edge.selfLoop', '$.edges[6]', 'map->map');
  });

  it('edge.forwardParallelism: Flink refuses forward between different parallelisms', () => {
    const report = broken((j) => { op(j, 'seq').parallelism = 3; edge(j, 'seq', 'flt').partitioner = 'forward'; });
    expectOnly(report, 'edge.forwardParallelism', '$.edges[1].partitioner', 'seq->flt');
    expect(report.errors[0]?.message).toContain('Use rescale or rebalance, or equal parallelism');
  });
});

describe('graph rules', () => {
  it('graph.duplicateId', () => {
    const report = broken((j) => { j.operators.push({ id: 'src', kind: 'sequence', name: 'Again', parallelism: 1 }); });
    expectOnly(report, 'graph.duplicateId', '$.operators[7].id', 'src');
  });

  it('graph.duplicateUid', () => {
    expectOnly(broken((j) => { op(j, 'seq').uid = 'source-v1'; }), 'graph.duplicateUid', '$.operators[1].uid', 'seq');
  });

  it('graph.cycle names the operators on the cycle', () => {
    const report = broken((j) => { j.edges.push({ from: 'agg', to: 'uni', partitioner: 'rebalance' }); });
    expectOnly(report, 'graph.cycle', '$.edges[6]', 'agg->uni');
    expect(report.errors[0]?.message).toContain('"uni" → "agg" → "uni"');
  });

  it('graph.cycle through several operators', () => {
    const report = broken((j) => {
      j.operators.push({ id: 'm2', kind: 'map', name: 'M2', parallelism: 4 }, { id: 'm3', kind: 'map', name: 'M3', parallelism: 4 });
      j.edges.push(
        { from: 'agg', to: 'm2', partitioner: 'forward' },
        { from: 'm2', to: 'm3', partitioner: 'forward' },
        { from: 'm3', to: 'uni', partitioner: 'rebalance' },
      );
    });
    expectOnly(report, 'graph.cycle', '$.edges[8]', 'm3->uni');
    expect(report.errors[0]?.message).toContain('"uni" → "agg" → "m2" → "m3" → "uni"');
  });

  it('graph.sourceInput', () => {
    const report = broken((j) => {
      j.operators.push({ id: 'src2', kind: 'datagen', name: 'Second', parallelism: 1 });
      j.edges.push({ from: 'map', to: 'src2', partitioner: 'rebalance' });
    });
    expectOnly(report, 'graph.sourceInput', '$.edges[6].to', 'map->src2');
  });

  it('graph.sinkOutput', () => {
    const report = broken((j) => {
      j.operators.push({ id: 'm2', kind: 'map', name: 'After sink', parallelism: 1 });
      j.edges.push({ from: 'out', to: 'm2', partitioner: 'forward' });
    });
    expectOnly(report, 'graph.sinkOutput', '$.edges[6].from', 'out->m2');
  });

  it('graph.tooFewInputs: a union needs two, a map one', () => {
    expectOnly(broken((j) => { j.edges.splice(3, 1); }), 'graph.tooFewInputs', '$.operators[4]', 'uni');
    const report = broken((j) => { j.operators.push({ id: 'lonely', kind: 'map', name: 'Lonely', parallelism: 1 }); });
    expectOnly(report, 'graph.tooFewInputs', '$.operators[7]', 'lonely');
  });

  it('graph.keyedInput: keyed operators need a hash (keyBy) input', () => {
    const report = broken((j) => { const e = edge(j, 'uni', 'agg'); e.partitioner = 'rebalance'; delete e.key; });
    expectOnly(report, 'graph.keyedInput', '$.edges[4].partitioner', 'uni->agg');
    expect(report.errors[0]?.message).toContain('keyed operators need a hash (keyBy) input');
  });
});

describe('layout rules', () => {
  it('layout.unknownOperator', () => {
    expectOnly(broken((j) => { (j.layout as Loose).ghost = { x: 1, y: 2 }; }), 'layout.unknownOperator', '$.layout.ghost');
  });

  it('layout.tooLarge: more positions than a job can have operators', () => {
    const report = broken((j) => {
      j.layout = Object.fromEntries(Array.from({ length: MAX_OPERATORS + 1 }, (_, i) => [`k${i}`, { x: 0, y: 0 }]));
    });
    expectOnly(report, 'layout.tooLarge', '$.layout');
  });

  it.each([{ x: 'a', y: 0 }, { x: 1 }, { x: Infinity, y: 0 }, [1, 2], 7])('layout.position: %j', (value) => {
    const report = broken((j) => { (j.layout as Loose).src = value; });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.code).toBe('layout.position');
    expect(report.errors[0]?.path.startsWith('$.layout.src')).toBe(true);
    expect(report.errors[0]?.id).toBe('src');
  });
});

describe('reporting', () => {
  it('reports every problem at once', () => {
    const report = broken((j) => {
      j.name = '';
      op(j, 'map').kind = 'reduce';
      config(j, 'src').keys = -1;
      edge(j, 'seq', 'flt').partitioner = 'shuffle';
      j.edges.push({ from: 'agg', to: 'uni', partitioner: 'rebalance' });
      (j.layout as Loose).ghost = { x: 0, y: 0 };
    });
    expect(report.errors.map((e) => e.code).sort()).toEqual([
      'config.int', 'edge.partitionerUnknown', 'graph.cycle', 'layout.unknownOperator', 'operator.kindUnknown', 'string.empty',
    ]);
  });

  it('cuts long user values in messages', () => {
    const report = broken((j) => { op(j, 'map').kind = 'k'.repeat(1_000_000); });
    expect(report.errors[0]?.message.length).toBeLessThan(400);
  });
});

/**
 * Operator chaining (plan/chaining.ts): the chainability rule, and that a chained job computes
 * what the unchained one does, deterministically on 1, 2 and 4 TaskManagers, with
 * per-operator metrics, failures and faults still naming the chained operator.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph } from '../plan/executionGraph';
import { chainedEdges } from '../plan/chaining';
import { BOUNDED_SEQUENCE_JOB, runFor } from './testing/jobs';

const STATELESS: JobGraph = {
  sluice: 'job/1', name: 'Stateless',
  operators: [
    { id: 'gen', kind: 'datagen', name: 'Gen', parallelism: 4, config: { keys: 100, ratePerSecond: 2_000, partitions: 4 } },
    { id: 'map', kind: 'map', name: 'Map', parallelism: 4, config: { field: 'value', expr: 'value * 2 + 1' } },
    { id: 'filter', kind: 'filter', name: 'Filter', parallelism: 4, config: { expr: 'value % 3 != 0' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 4, config: { keepRecords: 100_000 } },
  ],
  edges: [
    { from: 'gen', to: 'map', partitioner: 'forward' },
    { from: 'map', to: 'filter', partitioner: 'forward' },
    { from: 'filter', to: 'out', partitioner: 'forward' },
  ],
};

const SHAPES = [
  { taskManagers: 1, slotsPerTaskManager: 4 },
  { taskManagers: 2, slotsPerTaskManager: 2 },
  { taskManagers: 4, slotsPerTaskManager: 1 },
];

const chainOf = (job: JobGraph) => [...chainedEdges(job, buildExecutionGraph(job))].sort();

describe('the chainability rule', () => {
  it('chains forward edges of equal parallelism with one output upstream and one input downstream', () => {
    expect(chainOf(STATELESS)).toEqual(['filter->out', 'gen->map', 'map->filter']);
    // rebalance, hash and rescale edges never chain; double->some is forward at p3.
    expect(chainOf(BOUNDED_SEQUENCE_JOB)).toEqual(['double->some']);
  });

  it('does not chain out of a fan-out, into a union, or into a keyed operator', () => {
    const job: JobGraph = {
      sluice: 'job/1', name: 'Shapes',
      operators: [
        { id: 'a', kind: 'datagen', name: 'A', parallelism: 2, config: { keys: 10, ratePerSecond: 100, partitions: 2 } },
        { id: 'b', kind: 'datagen', name: 'B', parallelism: 2, config: { keys: 10, ratePerSecond: 100, partitions: 2 } },
        { id: 'm1', kind: 'map', name: 'M1', parallelism: 2, config: { field: 'value', expr: 'value' } },
        { id: 'm2', kind: 'map', name: 'M2', parallelism: 2, config: { field: 'value', expr: 'value' } },
        { id: 'u', kind: 'union', name: 'U', parallelism: 2 },
        { id: 'out', kind: 'collect', name: 'Out', parallelism: 2 },
        { id: 'agg', kind: 'aggregate', name: 'Agg', parallelism: 2, config: { fn: 'count' } },
      ],
      edges: [
        { from: 'a', to: 'm1', partitioner: 'forward' },
        { from: 'a', to: 'm2', partitioner: 'forward' },
        { from: 'm1', to: 'u', partitioner: 'forward' },
        { from: 'b', to: 'u', partitioner: 'forward' },
        { from: 'u', to: 'out', partitioner: 'forward' },
        { from: 'm2', to: 'agg', partitioner: 'forward' },
      ],
    };
    expect(chainOf(job)).toEqual(['u->out']);
  });
});

async function sinkRecords(job: JobGraph, config: object, ms: number) {
  const { cluster, status } = await runFor(job, config, ms);
  const out = await cluster.output('out');
  return { cluster, status, out, hash: await cluster.traceHash() };
}

describe('a chained run', () => {
  it('commits what the unchained run commits (bounded job)', async () => {
    const chained = await sinkRecords(BOUNDED_SEQUENCE_JOB, { seed: 3, chaining: true }, 20_000);
    const plain = await sinkRecords(BOUNDED_SEQUENCE_JOB, { seed: 3, chaining: false }, 20_000);
    expect(chained.status.state).toBe('finished');
    expect(plain.status.state).toBe('finished');
    const finals = (records: typeof chained.out.committed) => {
      const sums = new Map<string, unknown>();
      for (const record of records) sums.set(record.key as string, record.value);
      return [...sums.entries()].sort();
    };
    expect(chained.out.committedCount).toBe(4000);
    expect(finals(chained.out.committed)).toEqual(finals(plain.out.committed));
  });

  it('is deterministic on 1, 2 and 4 TaskManagers, and records reach the sink in the tick they are made', async () => {
    const runs = [];
    for (const shape of SHAPES) runs.push(await sinkRecords(STATELESS, { ...shape, seed: 9 }, 2_000));
    for (const run of runs.slice(1)) {
      expect(run.hash).toBe(runs[0]?.hash);
      expect(run.out).toEqual(runs[0]?.out);
    }
    const metrics = await (runs[0] as (typeof runs)[number]).cluster.metrics();
    const total = (id: string, field: 'recordsIn' | 'recordsOut') =>
      metrics.subtasks.filter((s) => s.operatorId === id).reduce((n, s) => n + s[field], 0);
    // No buffer sits between chained operators at a tick's end.
    expect(total('map', 'recordsIn')).toBe(total('gen', 'recordsOut'));
    expect(total('filter', 'recordsIn')).toBe(total('map', 'recordsOut'));
    expect(total('out', 'recordsIn')).toBe(total('filter', 'recordsOut'));
    expect(total('out', 'recordsIn')).toBeGreaterThan(0);
    const edge = metrics.channels.filter((c) => c.edgeId === 'map->filter').reduce((n, c) => n + c.recordsOut, 0);
    expect(edge).toBe(total('map', 'recordsOut'));
    for (const s of metrics.subtasks) {
      expect(s.busyMsPerSecond + s.idleMsPerSecond + s.backPressuredMsPerSecond).toBeCloseTo(1000, 0);
    }
  });

  it('a slow chained operator takes a larger share of the chain\'s time', async () => {
    const { cluster } = await runFor(STATELESS, { seed: 2 }, 200);
    await cluster.inject({ kind: 'slow-task', operator: 'filter', subtask: 1, factor: 20 });
    await cluster.advance(1_000);
    const metrics = await cluster.metrics();
    const busy = (id: string, index: number) => metrics.subtasks.find((s) => s.operatorId === id && s.index === index)?.busyMsPerSecond ?? 0;
    expect(busy('filter', 1)).toBeGreaterThan(busy('filter', 0) * 3);
    expect(busy('map', 1)).toBeLessThan(busy('filter', 1));
  });

  it('kill-task of a chained operator fails the job naming it', async () => {
    const { cluster } = await runFor(STATELESS, { taskManagers: 2, slotsPerTaskManager: 2, restartAttempts: 0 }, 100);
    await cluster.inject({ kind: 'kill-task', operator: 'filter', subtask: 3 });
    const status = await cluster.advance(100);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'task.killed', operatorId: 'filter', subtask: 3 });
  });

  it('a user-function error in a chained operator names that operator and subtask', async () => {
    const job: JobGraph = {
      ...STATELESS,
      operators: STATELESS.operators.map((op) => (op.id === 'filter' ? { ...op, config: { expr: 'key * 2 > 1' } } : op)),
    };
    const { status } = await runFor(job, { restartAttempts: 0 }, 200);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'task.userFunction', operatorId: 'filter' });
    expect(status.failure?.message).toContain('Filter');
  });
});

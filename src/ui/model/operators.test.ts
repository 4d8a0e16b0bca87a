import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { freshId, operatorIdProblem } from './ids';
import { emptyJob, withFullLayout } from './jobs';
import { addOperator, removeOperators, renameOperatorId, setConfigValue, updateOperator } from './operators';

function wordCount(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Word count',
    operators: [
      { id: 'words', kind: 'datagen', name: 'Words', parallelism: 2, config: { keys: 1000 } },
      { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
      { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
    ],
    edges: [
      { from: 'words', to: 'count', partitioner: 'hash', key: 'key' },
      { from: 'count', to: 'out', partitioner: 'rebalance' },
    ],
    layout: { words: { x: 0, y: 0 }, count: { x: 300, y: 0 }, out: { x: 600, y: 0 } },
  };
}

describe('ids', () => {
  it('numbers ids that are taken', () => {
    expect(freshId('map', new Set())).toBe('map');
    expect(freshId('map', new Set(['map']))).toBe('map-2');
    expect(freshId('map-2', new Set(['map', 'map-2']))).toBe('map-3');
    expect(freshId('Word count!', new Set())).toBe('Word-count');
  });

  it('names the problem with an id', () => {
    const job = wordCount();
    expect(operatorIdProblem(job, '')).toMatch(/empty/);
    expect(operatorIdProblem(job, 'a b')).toMatch(/letters/);
    expect(operatorIdProblem(job, 'out')).toMatch(/already/);
    expect(operatorIdProblem(job, 'out', 'out')).toBeNull();
    expect(operatorIdProblem(job, 'sink_1')).toBeNull();
  });
});

describe('addOperator', () => {
  it('adds an operator with catalogue defaults at the position, with a fresh id', () => {
    const { job, id } = addOperator(wordCount(), 'aggregate', { x: 10.4, y: 20.6 });
    expect(id).toBe('aggregate');
    const op = job.operators.at(-1);
    expect(op).toEqual({ id: 'aggregate', kind: 'aggregate', name: 'Aggregate', parallelism: 4 });
    expect(job.layout?.aggregate).toEqual({ x: 10, y: 21 });
    const again = addOperator(job, 'aggregate', { x: 0, y: 0 });
    expect(again.id).toBe('aggregate-2');
    expect(again.job.operators.at(-1)?.name).toBe('Aggregate 2');
  });

  it('does not mutate its input', () => {
    const before = wordCount();
    const copy = structuredClone(before);
    addOperator(before, 'map', { x: 0, y: 0 });
    expect(before).toEqual(copy);
  });
});

describe('removeOperators', () => {
  it('removes the operators, their edges and their layout', () => {
    const job = removeOperators(wordCount(), ['count']);
    expect(job.operators.map((op) => op.id)).toEqual(['words', 'out']);
    expect(job.edges).toEqual([]);
    expect(Object.keys(job.layout ?? {})).toEqual(['words', 'out']);
  });
});

describe('updateOperator and setConfigValue', () => {
  it('sets and clears optional fields', () => {
    let job = updateOperator(wordCount(), 'count', { uid: 'count-v1', maxParallelism: 256 });
    expect(job.operators[1]).toMatchObject({ uid: 'count-v1', maxParallelism: 256 });
    job = updateOperator(job, 'count', { uid: undefined, maxParallelism: undefined });
    expect(job.operators[1]).not.toHaveProperty('uid');
    expect(job.operators[1]).not.toHaveProperty('maxParallelism');
  });

  it('removes config keys set to undefined, and an empty config', () => {
    let job = setConfigValue(wordCount(), 'out', 'keepRecords', 5);
    expect(job.operators[2]?.config).toEqual({ keepRecords: 5 });
    job = setConfigValue(job, 'out', 'keepRecords', undefined);
    expect(job.operators[2]).not.toHaveProperty('config');
  });
});

describe('renameOperatorId', () => {
  it('rewrites edges and layout', () => {
    const result = renameOperatorId(wordCount(), 'count', 'counter');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.job.operators[1]?.id).toBe('counter');
    expect(result.job.edges).toEqual([
      { from: 'words', to: 'counter', partitioner: 'hash', key: 'key' },
      { from: 'counter', to: 'out', partitioner: 'rebalance' },
    ]);
    expect(result.job.layout?.counter).toEqual({ x: 300, y: 0 });
    expect(result.job.layout).not.toHaveProperty('count');
  });

  it('rejects duplicates and invalid ids', () => {
    expect(renameOperatorId(wordCount(), 'count', 'out')).toMatchObject({ ok: false });
    expect(renameOperatorId(wordCount(), 'count', 'has space')).toMatchObject({ ok: false });
    expect(renameOperatorId(wordCount(), 'nope', 'x')).toMatchObject({ ok: false });
  });
});

describe('jobs', () => {
  it('gives every operator a position without moving placed ones', () => {
    const job = wordCount();
    delete job.layout;
    job.layout = { out: { x: 5, y: 5 } };
    const full = withFullLayout(job);
    expect(full.layout?.out).toEqual({ x: 5, y: 5 });
    expect(full.layout?.words?.x).toBeLessThan(full.layout?.count?.x ?? 0);
    expect(emptyJob().operators).toEqual([]);
  });
});

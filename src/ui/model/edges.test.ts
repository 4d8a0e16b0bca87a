import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { connect, connectProblem, connectTargets, defaultEdge, removeEdges, setEdgeKey, setPartitioner } from './edges';

function job(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Shapes',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2 },
      { id: 'map', kind: 'map', name: 'Map', parallelism: 2 },
      { id: 'wide', kind: 'filter', name: 'Wide', parallelism: 4 },
      { id: 'agg', kind: 'aggregate', name: 'Agg', parallelism: 4 },
      { id: 'sink', kind: 'collect', name: 'Sink', parallelism: 1 },
    ],
    edges: [{ from: 'src', to: 'map', partitioner: 'forward' }],
  };
}

describe('defaultEdge', () => {
  it('hashes by key into keyed operators', () => {
    expect(defaultEdge(job(), 'map', 'agg')).toEqual({ from: 'map', to: 'agg', partitioner: 'hash', key: 'key' });
  });
  it('forwards between equal parallelisms, rebalances otherwise', () => {
    expect(defaultEdge(job(), 'src', 'map').partitioner).toBe('forward');
    expect(defaultEdge(job(), 'map', 'wide').partitioner).toBe('rebalance');
  });
});

describe('connect', () => {
  it('adds an edge with the default partitioner', () => {
    const result = connect(job(), 'map', 'agg');
    expect(result.ok && result.job.edges.at(-1)).toEqual({ from: 'map', to: 'agg', partitioner: 'hash', key: 'key' });
  });

  it('refuses self loops, duplicates, cycles, inputs into sources and outputs from sinks', () => {
    const j = connect(job(), 'map', 'agg');
    if (!j.ok) throw new Error(j.message);
    expect(connectProblem(j.job, 'map', 'map')).toMatch(/itself/);
    expect(connectProblem(j.job, 'src', 'map')).toMatch(/already/);
    expect(connectProblem(j.job, 'agg', 'src')).toMatch(/source/);
    expect(connectProblem(j.job, 'sink', 'map')).toMatch(/sink/);
    expect(connectProblem(j.job, 'agg', 'map')).toMatch(/cycle/);
    expect(connect(j.job, 'agg', 'map').ok).toBe(false);
  });

  it('lists the possible targets', () => {
    expect(connectTargets(job(), 'map')).toEqual(['wide', 'agg', 'sink']);
    expect(connectTargets(job(), 'sink')).toEqual([]);
  });

  it('drops a key given to a non-hash edge', () => {
    const result = connect(job(), 'map', 'wide', { partitioner: 'rebalance', key: 'x' });
    expect(result.ok && result.job.edges.at(-1)).toEqual({ from: 'map', to: 'wide', partitioner: 'rebalance' });
  });
});

describe('edge edits', () => {
  it('gives hash edges a key and takes it from others', () => {
    let j = setPartitioner(job(), 'src->map', 'hash');
    expect(j.edges[0]).toEqual({ from: 'src', to: 'map', partitioner: 'hash', key: 'key' });
    j = setEdgeKey(j, 'src->map', 'word');
    expect(j.edges[0]?.key).toBe('word');
    j = setPartitioner(j, 'src->map', 'rescale');
    expect(j.edges[0]).toEqual({ from: 'src', to: 'map', partitioner: 'rescale' });
  });

  it('removes edges by id', () => {
    expect(removeEdges(job(), ['src->map']).edges).toEqual([]);
    expect(removeEdges(job(), ['nope']).edges).toHaveLength(1);
  });
});

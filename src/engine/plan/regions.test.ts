import { describe, expect, it } from 'vitest';
import type { EdgeSpec, JobGraph, OperatorSpec, Partitioner } from '../job/types';
import { buildExecutionGraph, subtaskKey } from './executionGraph';
import { divideRegions, regionOfSubtask, type Region } from './regions';

function op(id: string, parallelism: number): OperatorSpec {
  return { id, kind: 'map', name: id, parallelism };
}

function edge(from: string, to: string, partitioner: Partitioner): EdgeSpec {
  return partitioner === 'hash' ? { from, to, partitioner, key: 'key' } : { from, to, partitioner };
}

function job(operators: OperatorSpec[], edges: EdgeSpec[]): JobGraph {
  return { sluice: 'job/1', name: 'test', operators, edges };
}

/** Regions as lists of `op#i`, compact to compare. */
function members(regions: Region[]): string[][] {
  return regions.map((r) => r.subtasks.map(subtaskKey));
}

describe('divideRegions: forward pipelines', () => {
  it.each([1, 3, 8])('a forward-only chain at parallelism %i has that many regions', (p) => {
    const regions = divideRegions(job(
      [op('src', p), op('map', p), op('sink', p)],
      [edge('src', 'map', 'forward'), edge('map', 'sink', 'forward')],
    ));
    expect(regions).toHaveLength(p);
    regions.forEach((region, i) => {
      expect(region.id).toBe(i + 1);
      expect(region.subtasks.map(subtaskKey)).toEqual([`src#${i}`, `map#${i}`, `sink#${i}`]);
    });
  });

  it('an operator with no edges has one region per subtask', () => {
    expect(members(divideRegions(job([op('a', 2)], [])))).toEqual([['a#0'], ['a#1']]);
  });
});

describe('divideRegions: rescale', () => {
  it('4→2 gives 2 regions', () => {
    expect(members(divideRegions(job([op('a', 4), op('b', 2)], [edge('a', 'b', 'rescale')]))))
      .toEqual([['a#0', 'a#1', 'b#0'], ['a#2', 'a#3', 'b#1']]);
  });

  it('2→4 gives 2 regions', () => {
    expect(members(divideRegions(job([op('a', 2), op('b', 4)], [edge('a', 'b', 'rescale')]))))
      .toEqual([['a#0', 'b#0', 'b#1'], ['a#1', 'b#2', 'b#3']]);
  });

  it('3→2 gives uneven groups, as Flink wires them', () => {
    expect(members(divideRegions(job([op('a', 3), op('b', 2)], [edge('a', 'b', 'rescale')]))))
      .toEqual([['a#0', 'b#0'], ['a#1', 'a#2', 'b#1']]);
  });

  it('rescale into rescale can fuse groups that straddle', () => {
    // 2→3: a0→{b0,b1}, a1→{b2}; 3→2: {b0}→c0, {b1,b2}→c1. b1 links a0's group to a1's.
    const regions = divideRegions(job([op('a', 2), op('b', 3), op('c', 2)], [edge('a', 'b', 'rescale'), edge('b', 'c', 'rescale')]));
    expect(members(regions)).toEqual([['a#0', 'a#1', 'b#0', 'b#1', 'b#2', 'c#0', 'c#1']]);
  });
});

describe('divideRegions: all-to-all edges fuse', () => {
  it.each(['hash', 'rebalance', 'broadcast', 'global'] as const)('%s fuses both sides into one region', (partitioner) => {
    const regions = divideRegions(job([op('a', 3), op('b', 2)], [edge('a', 'b', partitioner)]));
    expect(members(regions)).toEqual([['a#0', 'a#1', 'a#2', 'b#0', 'b#1']]);
  });

  it('fuses everything a hash edge reaches, including forward neighbours', () => {
    const regions = divideRegions(job(
      [op('src', 2), op('map', 2), op('agg', 3), op('sink', 3)],
      [edge('src', 'map', 'forward'), edge('map', 'agg', 'hash'), edge('agg', 'sink', 'forward')],
    ));
    expect(regions).toHaveLength(1);
    expect(regions[0]?.subtasks).toHaveLength(10);
  });

  it('scales to wide all-to-all edges without materialising channels', () => {
    const regions = divideRegions(job([op('a', 5000), op('b', 5000)], [edge('a', 'b', 'rebalance')]));
    expect(regions).toHaveLength(1);
    expect(regions[0]?.subtasks).toHaveLength(10_000);
  });
});

describe('divideRegions: mixed graphs', () => {
  const pipelines: EdgeSpec[] = [
    edge('src1', 'map1', 'forward'), edge('map1', 'union', 'forward'),
    edge('src2', 'map2', 'forward'), edge('map2', 'union', 'forward'),
  ];
  const pipelineOps = [op('src1', 2), op('map1', 2), op('src2', 2), op('map2', 2), op('union', 2)];

  it('two forward pipelines joined by a union keep one region per index', () => {
    const regions = divideRegions(job([...pipelineOps, op('out', 2)], [...pipelines, edge('union', 'out', 'forward')]));
    expect(members(regions)).toEqual([
      ['src1#0', 'map1#0', 'src2#0', 'map2#0', 'union#0', 'out#0'],
      ['src1#1', 'map1#1', 'src2#1', 'map2#1', 'union#1', 'out#1'],
    ]);
  });

  it('two forward pipelines joined by a union then hash become one region', () => {
    const regions = divideRegions(job(
      [...pipelineOps, op('agg', 3), op('out', 3)],
      [...pipelines, edge('union', 'agg', 'hash'), edge('agg', 'out', 'forward')],
    ));
    expect(regions).toHaveLength(1);
    expect(regions[0]?.subtasks).toHaveLength(16);
  });

  it('a forward diamond keeps one region per index', () => {
    const regions = divideRegions(job(
      [op('a', 2), op('b', 2), op('c', 2), op('d', 2)],
      [edge('a', 'b', 'forward'), edge('a', 'c', 'forward'), edge('b', 'd', 'forward'), edge('c', 'd', 'forward')],
    ));
    expect(members(regions)).toEqual([['a#0', 'b#0', 'c#0', 'd#0'], ['a#1', 'b#1', 'c#1', 'd#1']]);
  });

  it('a diamond with one hash branch is one region', () => {
    const regions = divideRegions(job(
      [op('a', 2), op('b', 2), op('c', 2), op('d', 2)],
      [edge('a', 'b', 'hash'), edge('a', 'c', 'forward'), edge('b', 'd', 'forward'), edge('c', 'd', 'forward')],
    ));
    expect(regions).toHaveLength(1);
  });

  it('a diamond with rescale branches keeps Flink\'s groups (4→2→4 beside 4→4→4)', () => {
    const regions = divideRegions(job(
      [op('a', 4), op('b', 2), op('c', 4), op('d', 4)],
      [edge('a', 'b', 'rescale'), edge('a', 'c', 'forward'), edge('b', 'd', 'rescale'), edge('c', 'd', 'forward')],
    ));
    expect(members(regions)).toEqual([
      ['a#0', 'a#1', 'b#0', 'c#0', 'c#1', 'd#0', 'd#1'],
      ['a#2', 'a#3', 'b#1', 'c#2', 'c#3', 'd#2', 'd#3'],
    ]);
  });

  it('independent pipelines get separate regions, numbered by topological position', () => {
    const regions = divideRegions(job(
      [op('sink2', 1), op('src', 2), op('map', 2), op('agg', 2), op('src2', 1)],
      [edge('src', 'map', 'forward'), edge('map', 'agg', 'hash'), edge('src2', 'sink2', 'forward')],
    ));
    // Topological order: src, map, agg, src2, sink2 (sink2 waits for src2).
    expect(members(regions)).toEqual([
      ['src#0', 'src#1', 'map#0', 'map#1', 'agg#0', 'agg#1'],
      ['src2#0', 'sink2#0'],
    ]);
    expect(regions.map((r) => r.id)).toEqual([1, 2]);
  });
});

describe('divideRegions: agrees with the execution graph', () => {
  it('every channel stays inside one region and every subtask is in exactly one', () => {
    const j = job(
      [op('a', 6), op('b', 4), op('c', 4), op('d', 7), op('e', 3)],
      [edge('a', 'b', 'rescale'), edge('b', 'c', 'forward'), edge('c', 'd', 'rescale'), edge('a', 'e', 'rescale')],
    );
    const regions = divideRegions(j);
    const lookup = regionOfSubtask(regions);
    const graph = buildExecutionGraph(j);
    expect(lookup.size).toBe(graph.subtasks.length);
    expect(regions.reduce((n, r) => n + r.subtasks.length, 0)).toBe(graph.subtasks.length);
    for (const edgeOut of graph.edges) {
      for (const ch of edgeOut.channels) {
        expect(lookup.get(subtaskKey(ch.from))?.id).toBe(lookup.get(subtaskKey(ch.to))?.id);
      }
    }
  });
});

describe('regionOfSubtask', () => {
  it('maps `${operatorId}#${index}` to the region holding it', () => {
    const regions = divideRegions(job([op('a', 4), op('b', 2)], [edge('a', 'b', 'rescale')]));
    const lookup = regionOfSubtask(regions);
    expect(lookup.get('a#1')?.id).toBe(1);
    expect(lookup.get('a#2')?.id).toBe(2);
    expect(lookup.get('b#1')).toBe(regions[1]);
    expect(lookup.get('b#2')).toBeUndefined();
  });
});

describe('divideRegions: guards', () => {
  it('throws on a cycle instead of looping', () => {
    expect(() => divideRegions(job([op('a', 1), op('b', 1)], [edge('a', 'b', 'forward'), edge('b', 'a', 'hash')])))
      .toThrow(/cycle/);
  });

  it('throws on a non-positive parallelism', () => {
    expect(() => divideRegions(job([op('a', 0)], []))).toThrow(/Operator 'a': parallelism 0 must be a positive integer/);
  });
});

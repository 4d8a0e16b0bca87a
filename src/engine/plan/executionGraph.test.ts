import { describe, expect, it } from 'vitest';
import type { EdgeSpec, JobGraph, OperatorSpec, Partitioner } from '../job/types';
import { allChannels, buildExecutionGraph, distributionPattern, subtaskKey } from './executionGraph';

function op(id: string, parallelism: number, extra: Partial<OperatorSpec> = {}): OperatorSpec {
  return { id, kind: 'map', name: id, parallelism, ...extra };
}

function edge(from: string, to: string, partitioner: Partitioner, key?: string): EdgeSpec {
  return key === undefined ? { from, to, partitioner } : { from, to, partitioner, key };
}

function job(operators: OperatorSpec[], edges: EdgeSpec[], extra: Partial<JobGraph> = {}): JobGraph {
  return { sluice: 'job/1', name: 'test', operators, edges, ...extra };
}

/** Channels of the only edge as `from→to` index pairs. */
function wiring(j: JobGraph): string[] {
  const [onlyEdge] = buildExecutionGraph(j).edges;
  return (onlyEdge?.channels ?? []).map((c) => `${c.from.index}→${c.to.index}`);
}

describe('buildExecutionGraph: subtasks', () => {
  it('expands operators into subtasks in topological order, then index', () => {
    const g = buildExecutionGraph(job([op('sink', 1), op('src', 2)], [edge('src', 'sink', 'rebalance')]));
    expect(g.operatorOrder).toEqual(['src', 'sink']);
    expect(g.subtasks.map(subtaskKey)).toEqual(['src#0', 'src#1', 'sink#0']);
  });

  it('resolves max parallelism with the seed formula by default', () => {
    const g = buildExecutionGraph(job([op('a', 100)], []));
    expect(g.subtasks[0]).toEqual({ operatorId: 'a', index: 0, parallelism: 100, maxParallelism: 2048 });
  });

  it("uses Flink's formula when the job asks for it", () => {
    const g = buildExecutionGraph(job([op('a', 100)], [], { maxParallelismFormula: 'flink' }));
    expect(g.subtasks[0]?.maxParallelism).toBe(256);
  });

  it("keeps an operator's explicit max parallelism", () => {
    const g = buildExecutionGraph(job([op('a', 4, { maxParallelism: 16 })], [], { maxParallelismFormula: 'flink' }));
    expect(g.subtasks.every((s) => s.maxParallelism === 16)).toBe(true);
  });

  it('refuses impossible max parallelism', () => {
    expect(() => buildExecutionGraph(job([op('a', 4, { maxParallelism: 2 })], [])))
      .toThrow(/Operator 'a': maxParallelism 2 must be an integer between its parallelism \(4\) and 32768/);
    expect(() => buildExecutionGraph(job([op('a', 0)], []))).toThrow(/Parallelism 0 is out of range/);
  });
});

describe('buildExecutionGraph: channels', () => {
  it.each(['hash', 'rebalance', 'broadcast', 'global'] as const)('wires %s all-to-all', (partitioner) => {
    const j = job([op('a', 2), op('b', 3)], [edge('a', 'b', partitioner, partitioner === 'hash' ? 'key' : undefined)]);
    expect(buildExecutionGraph(j).edges[0]?.pattern).toBe('all-to-all');
    expect(wiring(j)).toEqual(['0→0', '0→1', '0→2', '1→0', '1→1', '1→2']);
  });

  it.each(['forward', 'rescale'] as const)('wires %s pointwise', (partitioner) => {
    expect(distributionPattern(partitioner)).toBe('pointwise');
    expect(wiring(job([op('a', 3), op('b', 3)], [edge('a', 'b', partitioner)]))).toEqual(['0→0', '1→1', '2→2']);
  });

  it("uses Flink's pointwise ranges when parallelism differs (hand-computed)", () => {
    expect(wiring(job([op('a', 4), op('b', 2)], [edge('a', 'b', 'rescale')]))).toEqual(['0→0', '1→0', '2→1', '3→1']);
    expect(wiring(job([op('a', 2), op('b', 4)], [edge('a', 'b', 'rescale')]))).toEqual(['0→0', '0→1', '1→2', '1→3']);
    expect(wiring(job([op('a', 3), op('b', 2)], [edge('a', 'b', 'rescale')]))).toEqual(['0→0', '1→1', '2→1']);
    expect(wiring(job([op('a', 5), op('b', 3)], [edge('a', 'b', 'rescale')]))).toEqual(['0→0', '1→1', '2→1', '3→2', '4→2']);
    expect(wiring(job([op('a', 3), op('b', 5)], [edge('a', 'b', 'rescale')]))).toEqual(['0→0', '0→1', '1→2', '1→3', '2→4']);
  });

  it('counts channels: up×down for all-to-all, max(up, down) for pointwise', () => {
    const j = job(
      [op('src', 6), op('map', 4), op('agg', 5), op('out', 1)],
      [edge('src', 'map', 'rescale'), edge('map', 'agg', 'hash', 'key'), edge('agg', 'out', 'global')],
    );
    const g = buildExecutionGraph(j);
    expect(g.edges.map((e) => e.channels.length)).toEqual([6, 20, 5]);
    expect(allChannels(g)).toHaveLength(31);
  });

  it('labels channels with their edge and keeps the hash key', () => {
    const g = buildExecutionGraph(job([op('a', 1), op('b', 1)], [edge('a', 'b', 'hash', 'user')]));
    expect(g.edges[0]).toEqual({
      id: 'a->b', from: 'a', to: 'b', partitioner: 'hash', key: 'user', pattern: 'all-to-all',
      channels: [{ edgeId: 'a->b', from: { operatorId: 'a', index: 0 }, to: { operatorId: 'b', index: 0 } }],
    });
  });

  it('keeps edges in file order and gives each input of a union its own channels', () => {
    const j = job(
      [op('s1', 2), op('s2', 2), op('u', 2)],
      [edge('s2', 'u', 'forward'), edge('s1', 'u', 'forward')],
    );
    const g = buildExecutionGraph(j);
    expect(g.edges.map((e) => e.id)).toEqual(['s2->u', 's1->u']);
    expect(allChannels(g).map((c) => `${subtaskKey(c.from)}→${subtaskKey(c.to)}`))
      .toEqual(['s2#0→u#0', 's2#1→u#1', 's1#0→u#0', 's1#1→u#1']);
  });

  it('throws on a cycle', () => {
    const j = job([op('a', 1), op('b', 1)], [edge('a', 'b', 'forward'), edge('b', 'a', 'forward')]);
    expect(() => buildExecutionGraph(j)).toThrow(/cycle/);
  });

  it('is deterministic', () => {
    const j = job([op('a', 3), op('b', 2), op('c', 4)], [edge('a', 'b', 'rescale'), edge('b', 'c', 'rebalance')]);
    expect(buildExecutionGraph(j)).toEqual(buildExecutionGraph(structuredClone(j)));
  });
});

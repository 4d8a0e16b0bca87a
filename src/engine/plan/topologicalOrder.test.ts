import { describe, expect, it } from 'vitest';
import type { EdgeSpec, OperatorSpec, Partitioner } from '../job/types';
import { topologicalOrder } from './topologicalOrder';

function op(id: string): OperatorSpec {
  return { id, kind: 'map', name: id, parallelism: 1 };
}

function edge(from: string, to: string, partitioner: Partitioner = 'forward'): EdgeSpec {
  return { from, to, partitioner };
}

describe('topologicalOrder', () => {
  it('puts every operator after its inputs', () => {
    const job = { operators: ['sink', 'map', 'src'].map(op), edges: [edge('src', 'map'), edge('map', 'sink')] };
    expect(topologicalOrder(job)).toEqual(['src', 'map', 'sink']);
  });

  it('breaks ties by position in the file', () => {
    const job = {
      operators: ['b', 'a', 'd', 'c'].map(op),
      edges: [edge('b', 'd'), edge('a', 'c')],
    };
    // b and a are both ready: b first (file order); then a (before d, listed later); then d, c.
    expect(topologicalOrder(job)).toEqual(['b', 'a', 'd', 'c']);
  });

  it('orders a diamond deterministically', () => {
    const job = {
      operators: ['a', 'c', 'b', 'd'].map(op),
      edges: [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')],
    };
    expect(topologicalOrder(job)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('does not depend on the order of edges', () => {
    const operators = ['a', 'b', 'c', 'd'].map(op);
    const edges = [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')];
    expect(topologicalOrder({ operators, edges: [...edges].reverse() })).toEqual(topologicalOrder({ operators, edges }));
  });

  it('handles parallel edges between the same pair', () => {
    const job = { operators: ['a', 'b'].map(op), edges: [edge('a', 'b'), edge('a', 'b', 'hash')] };
    expect(topologicalOrder(job)).toEqual(['a', 'b']);
  });

  it('returns an empty order for an empty job', () => {
    expect(topologicalOrder({ operators: [], edges: [] })).toEqual([]);
  });

  it('throws on a cycle instead of looping, naming the operators involved', () => {
    const job = {
      operators: ['src', 'a', 'b', 'sink'].map(op),
      edges: [edge('src', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 'sink')],
    };
    expect(() => topologicalOrder(job)).toThrow(/cycle; these operators are on it or downstream of it: a, b, sink\./);
  });

  it('throws on a self-loop', () => {
    expect(() => topologicalOrder({ operators: [op('a')], edges: [edge('a', 'a')] })).toThrow(/cycle.*: a\./);
  });

  it('throws on an edge to an unknown operator or a repeated id', () => {
    expect(() => topologicalOrder({ operators: [op('a')], edges: [edge('a', 'ghost')] }))
      .toThrow(/Edge a->ghost names unknown operator 'ghost'/);
    expect(() => topologicalOrder({ operators: [op('a'), op('a')], edges: [] })).toThrow(/'a' appears more than once/);
  });
});

/**
 * A small valid job that touches every category (two sources, stateless operators, a union,
 * a keyed aggregate, a sink) and every optional field, for rule tests to break one way at a
 * time. Returned fresh on every call, so tests can mutate it freely.
 *
 *   src (datagen, p2) ─forward──▶ map (p2) ─forward─┐
 *                                                   ├─▶ uni (union, p2) ─hash(key)─▶ agg (p4) ─rebalance─▶ out (p1)
 *   seq (sequence, p2) ─rebalance─▶ flt (p2) ─rescale┘
 */
import type { JobGraph } from '../types';

export function baseJob(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Base job',
    description: 'Every category once.',
    maxParallelismFormula: 'sluice',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', uid: 'source-v1', parallelism: 2,
        config: { keys: 100, distribution: 'zipf', zipfExponent: 1.2, bounded: false, eventTime: true } },
      { id: 'seq', kind: 'sequence', name: 'Numbers', parallelism: 2, config: { from: 1, to: 1000 } },
      { id: 'map', kind: 'map', name: 'Double', parallelism: 2, config: { field: 'value', expr: 'value * 2' } },
      { id: 'flt', kind: 'filter', name: 'Evens', parallelism: 2, config: { expr: 'value % 2 == 0' } },
      { id: 'uni', kind: 'union', name: 'Both', parallelism: 2 },
      { id: 'agg', kind: 'aggregate', name: 'Count', parallelism: 4, maxParallelism: 128, config: { fn: 'count' } },
      { id: 'out', kind: 'collect', name: 'Out', parallelism: 1, config: {} },
    ],
    edges: [
      { from: 'src', to: 'map', partitioner: 'forward' },
      { from: 'seq', to: 'flt', partitioner: 'rebalance' },
      { from: 'map', to: 'uni', partitioner: 'forward' },
      { from: 'flt', to: 'uni', partitioner: 'rescale' },
      { from: 'uni', to: 'agg', partitioner: 'hash', key: 'key' },
      { from: 'agg', to: 'out', partitioner: 'rebalance' },
    ],
    layout: {
      src: { x: 0, y: 0 },
      seq: { x: 0, y: 140 },
      map: { x: 260, y: 0 },
      flt: { x: 260, y: 140 },
      uni: { x: 520, y: 70 },
      agg: { x: 780, y: 70 },
      out: { x: 1040, y: 70 },
    },
  };
}

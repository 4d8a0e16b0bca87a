import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { applyElkLayout, toElkGraph } from './elkLayout';
import { errorsAt, indexErrors } from './errorIndex';
import { NODE_HEIGHT, NODE_WIDTH, depths, findFreeSpot, positionsFor } from './positions';
import { regionBySubtask, regionColours, visibleCells } from './regionsView';

function chain(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Chain',
    operators: [
      { id: 'a', kind: 'sequence', name: 'A', parallelism: 1 },
      { id: 'b', kind: 'map', name: 'B', parallelism: 1 },
      { id: 'c', kind: 'discard', name: 'C', parallelism: 1 },
    ],
    edges: [
      { from: 'a', to: 'b', partitioner: 'forward' },
      { from: 'b', to: 'c', partitioner: 'forward' },
    ],
  };
}

describe('positions', () => {
  it('layers operators left to right by depth', () => {
    expect([...depths(chain()).values()]).toEqual([0, 1, 2]);
    const p = positionsFor(chain());
    expect(p.a?.x).toBeLessThan(p.b?.x ?? 0);
    expect(p.b?.x).toBeLessThan(p.c?.x ?? 0);
  });

  it('finds a free spot that overlaps no node', () => {
    const job = { ...chain(), layout: { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 600, y: 0 } } };
    const spot = findFreeSpot(job, { x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2 });
    for (const p of Object.values(job.layout)) {
      const apart = Math.abs(spot.x - p.x) >= NODE_WIDTH || Math.abs(spot.y - p.y) >= NODE_HEIGHT;
      expect(apart).toBe(true);
    }
    expect(findFreeSpot({ ...chain(), operators: [] }, { x: 1000, y: 1000 })).toEqual({ x: 900, y: 960 });
  });
});

describe('elk layout', () => {
  it('builds a layered graph and applies the result', () => {
    const graph = toElkGraph(chain(), { a: { width: 200, height: 40 }, b: { width: 250, height: 120 } });
    expect(graph.layoutOptions['elk.direction']).toBe('RIGHT');
    expect(graph.children[0]).toEqual({ id: 'a', width: 200, height: NODE_HEIGHT });
    expect(graph.children[1]).toEqual({ id: 'b', width: 250, height: 120 });
    expect(graph.edges).toEqual([
      { id: 'e0', sources: ['a'], targets: ['b'] },
      { id: 'e1', sources: ['b'], targets: ['c'] },
    ]);
    const job = applyElkLayout(chain(), { children: [{ id: 'a', x: 12.4, y: 7.6 }, { id: 'zz', x: 1, y: 1 }] });
    expect(job.layout?.a).toEqual({ x: 12, y: 8 });
    expect(job.layout).not.toHaveProperty('zz');
  });
});

describe('error index', () => {
  it('assigns errors by id, then by path', () => {
    const errors = [
      { path: '$.operators[1].config.expr', code: 'x', message: 'bad expr' },
      { path: '$.edges[0]', id: 'a->b', code: 'y', message: 'bad edge' },
      { path: '$.edges[1].key', code: 'z', message: 'no key' },
      { path: '$.name', code: 'n', message: 'no name' },
    ];
    const index = indexErrors(chain(), errors);
    expect(index.byOperator.get('b')?.map((e) => e.code)).toEqual(['x']);
    expect(index.byEdge.get('a->b')?.map((e) => e.code)).toEqual(['y']);
    expect(index.byEdge.get('b->c')?.map((e) => e.code)).toEqual(['z']);
    expect(errorsAt(errors, '$.operators[1].config')).toHaveLength(1);
    expect(errorsAt(errors, '$.operators[1].config.ex')).toHaveLength(0);
  });
});

describe('regions view', () => {
  it('cycles colour-blind-safe colours with readable text', () => {
    expect(regionColours(1, 'light')).toEqual({ fill: '#E69F00', text: '#000000' });
    expect(regionColours(5, 'light').text).toBe('#FFFFFF');
    expect(regionColours(9, 'dark')).toEqual(regionColours(1, 'dark'));
    expect(regionColours(8, 'dark').fill).not.toBe('#000000');
  });

  it('looks subtasks up and caps the cells drawn', () => {
    const lookup = regionBySubtask([{ id: 2, subtasks: [{ operatorId: 'a', index: 0 }] }]);
    expect(lookup.get('a#0')).toBe(2);
    expect(visibleCells(3)).toEqual({ indexes: [0, 1, 2], hidden: 0 });
    expect(visibleCells(100, 32).hidden).toBe(68);
  });
});

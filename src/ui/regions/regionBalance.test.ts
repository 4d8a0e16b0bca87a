import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine/job/types';
import { divideRegions } from '../../engine/plan/regions';
import { balanceNote } from './regionBalance';

function job(parallelism: number, mode: 'user' | 'rescale', partitioner: 'forward' | 'rescale'): JobGraph {
  return {
    sluice: 'job/1', name: 'partitions',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Orders', parallelism, config: { partitions: 6, parallelismMode: mode } },
      { id: 'map', kind: 'map', name: 'Enrich', parallelism: 4 },
    ],
    edges: [{ from: 'src', to: 'map', partitioner }],
  };
}

const noteOf = (j: JobGraph) => balanceNote(j, divideRegions(j));

describe('balanceNote', () => {
  it('calls 6 partitions at parallelism 4 unbalanced, names the source and suggests the rescale mode', () => {
    const note = noteOf(job(4, 'user', 'forward'));
    expect(note?.balanced).toBe(false);
    expect(note?.text).toBe('Unbalanced: regions read 1 to 2 partitions.');
    expect(note?.hint).toBe('Orders: 6 partitions at parallelism 4. Try parallelismMode "rescale" with a rescale edge: equal regions.');
  });

  it('calls the rescale mode balanced', () => {
    const note = noteOf(job(6, 'rescale', 'rescale'));
    expect(note).toMatchObject({ balanced: true, text: 'Balanced: every region reads 3 partitions.' });
    expect([...(note?.balance.partitions.values() ?? [])]).toEqual([3, 3]);
  });

  it('says nothing with one region', () => {
    const one: JobGraph = { ...job(6, 'user', 'rescale'), edges: [{ from: 'src', to: 'map', partitioner: 'rebalance' }] };
    expect(noteOf(one)).toBeNull();
  });
});

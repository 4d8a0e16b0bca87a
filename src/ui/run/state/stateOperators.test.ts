import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../../engine';
import { emptyStateStorageFigures } from '../../../engine/state/types';
import { keyedOperators } from './stateOperators';

const job = {
  sluice: 'job/1',
  name: 'j',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 1 },
    { id: 'dedup', kind: 'dedup', name: 'Dedup', parallelism: 2 },
    { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 2 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [],
} as unknown as JobGraph;

describe('keyedOperators', () => {
  it('lists the keyed operators of the job in order', () => {
    expect(keyedOperators(job, undefined)).toEqual([{ id: 'dedup', name: 'Dedup' }, { id: 'count', name: 'Count' }]);
  });

  it('adds operators the cluster reports state for, and is empty without a job or state', () => {
    const state = {
      backend: 'memory' as const, figures: emptyStateStorageFigures('memory'), perTaskManager: [],
      operators: [{ operatorId: 'other', stateId: 'other', maxParallelism: 8, parallelism: 1, subtasks: [] }],
    };
    expect(keyedOperators(job, state).map((c) => c.id)).toEqual(['dedup', 'count', 'other']);
    expect(keyedOperators(null, undefined)).toEqual([]);
  });
});

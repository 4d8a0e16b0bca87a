import { describe, expect, it } from 'vitest';
import { planRun } from '../../engine/cluster/planRun';
import type { JobGraph } from '../../engine/job/types';
import type { PlanSlice } from '../../engine/runtime/protocol';
import { linkedTaskManagers } from './linkedPeers';

function plan(job: JobGraph, taskManagers: number, slotsPerTaskManager: number): PlanSlice {
  const result = planRun(job, { taskManagers, slotsPerTaskManager });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { jobId: 'p', job: result.job, config: result.config, placement: result.placement };
}

const pipeline = (partitioner: 'forward' | 'hash' | 'rebalance'): JobGraph => ({
  sluice: 'job/1', name: 'p',
  operators: [
    { id: 'src', kind: 'sequence', name: 'Src', parallelism: 4, config: { from: 1, to: 10, ratePerSecond: 10, partitions: 4 } },
    { id: 'map', kind: 'map', name: 'Map', parallelism: 4, config: { field: 'value', expr: 'value + 1' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 4 },
  ],
  edges: [
    partitioner === 'hash' ? { from: 'src', to: 'map', partitioner, key: 'key' } : { from: 'src', to: 'map', partitioner },
    { from: 'map', to: 'out', partitioner: 'forward' },
  ],
});

describe('linkedTaskManagers', () => {
  it('a forward-only pipeline links no TaskManagers: each slot holds a whole pipeline', () => {
    const slice = plan(pipeline('forward'), 2, 2);
    expect(linkedTaskManagers(slice, 0)).toEqual(new Set());
    expect(linkedTaskManagers(slice, 1)).toEqual(new Set());
  });

  it('an all-to-all edge links every pair, both ways', () => {
    for (const partitioner of ['hash', 'rebalance'] as const) {
      const slice = plan(pipeline(partitioner), 4, 1);
      for (let tm = 0; tm < 4; tm++) {
        expect(linkedTaskManagers(slice, tm)).toEqual(new Set([0, 1, 2, 3].filter((other) => other !== tm)));
      }
    }
  });

  it('one TaskManager has no peers', () => {
    expect(linkedTaskManagers(plan(pipeline('hash'), 1, 4), 0)).toEqual(new Set());
  });
});

import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../../engine';
import type { RecoveryReport } from '../../../engine/runtime/telemetry';
import { recoveryCaption } from './recovery';
import { runSharedRegions } from './vizSelectors';

const job: JobGraph = {
  sluice: 'job/1', name: 'shared',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 1 },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1 },
    { id: 'commit', kind: 'collect', name: 'Commit', parallelism: 1, config: { regionSharable: true } },
  ],
  edges: [{ from: 'a', to: 'commit', partitioner: 'forward' }, { from: 'b', to: 'commit', partitioner: 'forward' }],
};

const report = (restarted: string[], regions: number[]): RecoveryReport => ({
  virtualTimeMs: 500, strategy: 'region', attempt: 1, cause: { code: 'task.killed', message: 'killed' },
  restarted: restarted.map((key) => ({ operatorId: key.split('#')[0] as string, index: Number(key.split('#')[1]) })),
  regions, restoredFrom: restarted.map((key) => ({ operatorId: key.split('#')[0] as string, index: Number(key.split('#')[1]), checkpointId: 3 })),
  resumedMs: 540,
});

describe('a region-sharable committer on the run canvas', () => {
  it('is shared by both regions of the run', () => {
    expect(runSharedRegions(job).get('commit#0')).toEqual([1, 2]);
    expect(runSharedRegions(job).has('a#0')).toBe(false);
  });

  it('the recovery banner says it stayed up while one of its regions restarted', () => {
    expect(recoveryCaption(report(['b#0'], [2]), job)).toBe('Region 2 restarted from checkpoint 3 (1 subtask); Commit #0 stays up');
    expect(recoveryCaption(report(['a#0', 'b#0', 'commit#0'], [1, 2]), job)).toBe('Regions 1, 2 restarted from checkpoint 3 (3 subtasks)');
  });
});

/**
 * The JobManager's helpers for region-sharable committers (sharedCommitters.ts), as pure
 * functions over a plan: per-region commits, the failed-region detail, who stays up, rewinds
 * and restore points.
 */
import { describe, expect, it } from 'vitest';
import { checkpointTopology } from '../checkpoint/topology';
import type { CompletedCheckpoint } from '../checkpoint/types';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph, subtaskKey } from '../plan/executionGraph';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import type { SubtaskRestoreSpec } from '../runtime/protocol';
import { addRestorePoints, failedDetail, notifyRegions, rewinds, sharedSubtasks, widenFailed } from './sharedCommitters';

const JOB: JobGraph = {
  sluice: 'job/1', name: 'two pipelines',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 1 },
    { id: 'am', kind: 'map', name: 'A map', parallelism: 1, config: { field: 'value', expr: 'value' } },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1 },
    { id: 'commit', kind: 'collect', name: 'Commit', parallelism: 1, config: { regionSharable: true } },
  ],
  edges: [
    { from: 'a', to: 'am', partitioner: 'forward' },
    { from: 'am', to: 'commit', partitioner: 'forward' },
    { from: 'b', to: 'commit', partitioner: 'forward' },
  ],
};
const topology = checkpointTopology(buildExecutionGraph(JOB), divideRegions(JOB, RUN_REGIONS));
const commit = { operatorId: 'commit', index: 0 };

/** Checkpoint 7 with region 1 acknowledged and region 2 failed (mapped to 5). */
const seven: CompletedCheckpoint = {
  id: 7, type: 'full', mode: 'regional', triggerMs: 700, completedMs: 730, stateSize: 0, changedSize: 0,
  regions: [
    { region: 1, status: 'acknowledged', snapshotId: 7 },
    { region: 2, status: 'failed', snapshotId: 5, failure: { reason: 'expired', message: 'not acknowledged within 500 ms' } },
  ],
};

describe('shared committers at the JobManager', () => {
  it('finds the committer and commits each region up to the snapshot it maps to', () => {
    expect(sharedSubtasks(topology).map(subtaskKey)).toEqual(['commit#0']);
    expect(notifyRegions(topology, commit, seven)).toEqual([{ region: 1, snapshotId: 7 }, { region: 2, snapshotId: 5 }]);
  });

  it('says which regions failed, where and why: upstream, downstream (the committer itself) or both', () => {
    expect(failedDetail(topology, commit, seven)).toEqual({
      checkpointId: 7, committer: commit, scope: 'upstream',
      failedTasks: [{ region: 2, reason: 'expired', message: 'not acknowledged within 500 ms' }],
    });
    const atCommitter = { reason: 'declined' as const, message: 'snapshot failed', subtask: commit };
    const downstream = { ...seven, regions: seven.regions.map((r) => (r.region === 2 ? { ...r, failure: atCommitter } : r)) };
    expect(failedDetail(topology, commit, downstream)?.scope).toBe('downstream');
    const both = { ...downstream, regions: [...downstream.regions.slice(1), { region: 1, status: 'failed' as const, snapshotId: 4, failure: { reason: 'task-failure' as const, message: 'killed', subtask: { operatorId: 'am', index: 0 } } }] };
    expect(failedDetail(topology, commit, both)?.scope).toBe('both');
    expect(failedDetail(topology, commit, { ...seven, regions: [{ region: 1, status: 'acknowledged', snapshotId: 7 }, { region: 2, status: 'acknowledged', snapshotId: 7 }] })).toBeUndefined();
  });

  it('keeps the committer up unless a finished sender of a restarting region fed it', () => {
    const failed = [{ operatorId: 'am', index: 0 }];
    expect(widenFailed(topology, failed, () => false)).toBe(failed);
    expect(widenFailed(topology, failed, (ref) => ref.operatorId === 'b').map(subtaskKey)).toEqual(['am#0']);
    expect(widenFailed(topology, failed, (ref) => ref.operatorId === 'am').map(subtaskKey)).toEqual(['am#0', 'commit#0']);
  });

  it('rewinds a live committer to the snapshot each restarting region restores from', () => {
    const restarting = [{ operatorId: 'a', index: 0 }, { operatorId: 'am', index: 0 }];
    expect(rewinds(topology, [1], restarting, seven).map((r) => r.command)).toEqual([
      { kind: 'rewind-region', operatorId: 'commit', subtask: 0, region: 1, snapshotId: 7 },
    ]);
    expect(rewinds(topology, [2], [{ operatorId: 'b', index: 0 }], seven).map((r) => r.command)).toMatchObject([{ region: 2, snapshotId: 5 }]);
    expect(rewinds(topology, [1, 2], [...restarting, commit], seven)).toEqual([]);
    expect(rewinds(topology, [1], restarting, undefined).map((r) => r.command)).toMatchObject([{ region: 1, snapshotId: 0 }]);
  });

  it("gives a restored committer each region's snapshot and what was committed, and keeps unknown regions whole", () => {
    const specs: SubtaskRestoreSpec[] = [{ operatorId: 'commit', index: 0, snapshotId: 7 }, { operatorId: 'b', index: 0, snapshotId: 5 }];
    addRestorePoints(topology, specs, seven, () => [{ region: 1, committedThrough: 6 }, { region: 9, committedThrough: 3 }]);
    expect(specs[0]?.regions).toEqual([
      { region: 1, snapshotId: 7, committedThrough: 6 },
      { region: 2, snapshotId: 5, committedThrough: 0 },
      { region: 9, committedThrough: 3 },
    ]);
    expect(specs[1]?.regions).toBeUndefined();
    const approximate: SubtaskRestoreSpec[] = [{ operatorId: 'commit', index: 0, snapshotId: 7 }];
    addRestorePoints(topology, approximate, seven, () => [], true);
    expect(approximate[0]?.regions?.map((r) => r.snapshotId)).toEqual([7, 7]);
  });
});

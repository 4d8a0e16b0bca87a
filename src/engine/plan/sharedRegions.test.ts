import { describe, expect, it } from 'vitest';
import { checkpointTopology } from '../checkpoint/topology';
import { failoverScope } from '../checkpoint/failoverScope';
import { validateJob } from '../job/validate';
import type { EdgeSpec, JobGraph, OperatorSpec } from '../job/types';
import { buildExecutionGraph, subtaskKey } from './executionGraph';
import { divideRegions, isRegionSharable, regionIdsOfSubtask, RUN_REGIONS } from './regions';

function map(id: string, parallelism: number): OperatorSpec {
  return { id, kind: 'map', name: id, parallelism };
}

function source(id: string, parallelism: number): OperatorSpec {
  return { id, kind: 'sequence', name: id, parallelism };
}

/** twoPipelines with sequence sources in front, as validation wants. */
function valid(sink: OperatorSpec): JobGraph {
  const job = twoPipelines(sink);
  return { ...job, operators: [source('sa', 2), source('sb', 1), ...job.operators], edges: [forward('sa', 'a'), forward('sb', 'b'), ...job.edges] };
}

function committer(parallelism = 1, regionSharable = true): OperatorSpec {
  return { id: 'commit', kind: 'collect', name: 'commit', parallelism, config: { regionSharable } };
}

function forward(from: string, to: string): EdgeSpec {
  return { from, to, partitioner: 'forward' };
}

/** Two independent forward pipelines a (×2) and b (×1) into one committer. */
function twoPipelines(sink: OperatorSpec): JobGraph {
  return {
    sluice: 'job/1', name: 'shared', operators: [map('a', 2), map('b', 1), sink],
    edges: [{ from: 'a', to: 'commit', partitioner: 'rebalance' }, { from: 'b', to: 'commit', partitioner: 'rebalance' }],
  };
}

const keys = (job: JobGraph, options = {}): string[][] => divideRegions(job, options).map((r) => r.subtasks.map(subtaskKey));

describe('divideRegions: region-sharable committers', () => {
  it('keeps the pipelines feeding a sharable committer apart and lists it in each of their regions', () => {
    const regions = divideRegions(twoPipelines(committer()));
    expect(regions.map((r) => r.subtasks.map(subtaskKey))).toEqual([['a#0', 'commit#0'], ['a#1', 'commit#0'], ['b#0', 'commit#0']]);
    for (const region of regions) {
      expect(region.subtasks.find((s) => s.operatorId === 'commit')?.sharedBy).toEqual([1, 2, 3]);
      expect(region.subtasks.filter((s) => s.operatorId !== 'commit').every((s) => s.sharedBy === undefined)).toBe(true);
    }
    expect(regionIdsOfSubtask(regions).get('commit#0')).toEqual([1, 2, 3]);
  });

  it('without the flag, or when told not to share, the committer fuses everything into one region', () => {
    expect(keys(twoPipelines(committer(1, false)))).toEqual([['a#0', 'a#1', 'b#0', 'commit#0']]);
    expect(keys(twoPipelines(committer()), { shareCommitters: false })).toEqual([['a#0', 'a#1', 'b#0', 'commit#0']]);
  });

  it('runs divide as the preview does: the committer is shared', () => {
    expect(keys(twoPipelines(committer()), RUN_REGIONS)).toEqual(keys(twoPipelines(committer())));
  });

  it('a sharable committer fed by a single region is an ordinary member', () => {
    const job: JobGraph = { sluice: 'job/1', name: 'one', operators: [map('a', 1), map('m', 1), committer()], edges: [forward('a', 'm'), forward('m', 'commit')] };
    const regions = divideRegions(job);
    expect(regions.map((r) => r.subtasks.map(subtaskKey))).toEqual([['a#0', 'm#0', 'commit#0']]);
    expect(regions[0]?.subtasks[2]?.sharedBy).toBeUndefined();
  });

  it('members stay in plan order when a region has operators after the committer', () => {
    const job: JobGraph = {
      sluice: 'job/1', name: 'order', operators: [map('a', 1), map('b', 1), committer(), map('late', 1)],
      edges: [forward('a', 'commit'), forward('b', 'commit'), forward('b', 'late')],
    };
    expect(keys(job)).toEqual([['a#0', 'commit#0'], ['b#0', 'commit#0', 'late#0']]);
  });

  it('feeds the checkpoint topology and failover: a member restarts its region alone, the committer all of them', () => {
    const job = twoPipelines(committer());
    const topology = checkpointTopology(buildExecutionGraph(job), divideRegions(job));
    const upstream = failoverScope('region', topology, [{ operatorId: 'a', index: 1 }]);
    expect(upstream.regions).toEqual([2]);
    expect(upstream.restart.map(subtaskKey)).toEqual(['a#1']);
    expect(upstream.notify.map(subtaskKey)).toEqual(['commit#0']);
    const own = failoverScope('region', topology, [{ operatorId: 'commit', index: 0 }]);
    expect(own.regions).toEqual([1, 2, 3]);
    expect(own.restart.map(subtaskKey)).toEqual(['a#0', 'a#1', 'b#0', 'commit#0']);
  });

  it('only a collect sink of parallelism 1 with the flag is sharable', () => {
    expect(isRegionSharable(committer())).toBe(true);
    expect(isRegionSharable(committer(2))).toBe(false);
    expect(isRegionSharable({ kind: 'log', parallelism: 1, config: { regionSharable: true } })).toBe(false);
  });
});

describe('validation of regionSharable', () => {
  it('accepts it on a parallelism-1 collect sink', () => {
    expect(validateJob(valid(committer())).ok).toBe(true);
  });

  it('refuses it above parallelism 1, saying what to do', () => {
    const report = validateJob(valid(committer(2)));
    expect(report.errors).toEqual([expect.objectContaining({
      code: 'operator.sharableParallelism', path: '$.operators[4].parallelism',
      message: expect.stringMatching(/region-sharable, which needs parallelism 1.*not 2\. Set its parallelism to 1 or turn regionSharable off/),
    })]);
  });

  it('refuses a non-boolean flag', () => {
    const job = valid({ ...committer(), config: { regionSharable: 'yes' } });
    expect(validateJob(job).ok).toBe(false);
  });
});

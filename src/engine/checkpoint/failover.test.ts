import { describe, expect, it } from 'vitest';
import { buildExecutionGraph, subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { Region } from '../plan/regions';
import { boundaryChannels, failoverScope } from './failoverScope';
import { FixedDelayRestartStrategy } from './restartStrategy';
import { jobOf, oneRegion, ref, topologyOf, twoPipelines } from './testing/topologies';
import { checkpointTopology } from './topology';

const keys = (refs: readonly SubtaskRef[]) => refs.map(subtaskKey);

describe('FixedDelayRestartStrategy', () => {
  it('restarts after the delay until the attempts are used, then fails with the cause chain', () => {
    const strategy = new FixedDelayRestartStrategy({ attempts: 2, delayMs: 500 });
    const userError = { code: 'expr.runtime', message: 'division by zero' };
    const failure = { code: 'task.userFunction', message: 'map#1 failed', operatorId: 'map', subtask: 1, cause: userError };
    expect(strategy.onFailure({ code: 'task.killed', message: 'killed' }, 100)).toEqual({ kind: 'restart', attempt: 1, restartAtMs: 600 });
    expect(strategy.onFailure({ code: 'taskmanager.lost', message: 'lost' }, 900)).toEqual({ kind: 'restart', attempt: 2, restartAtMs: 1_400 });
    const decision = strategy.onFailure(failure, 2_000);
    expect(decision.kind).toBe('fail-job');
    if (decision.kind !== 'fail-job') return;
    expect(decision.failure.code).toBe('job.restartsExhausted');
    expect(decision.failure.message).toContain('task.killed, taskmanager.lost');
    expect(decision.failure.cause).toEqual(failure);
    expect(decision.failure.cause?.cause).toEqual(userError);
    expect(strategy.attemptsUsed).toBe(2);
  });

  it('zero attempts fails at once; a restored count grants no fresh attempts', () => {
    expect(new FixedDelayRestartStrategy({ attempts: 0 }).onFailure({ code: 'x', message: 'x' }, 0).kind).toBe('fail-job');
    const strategy = new FixedDelayRestartStrategy({ attempts: 3 });
    strategy.restoreAttemptsUsed(3);
    expect(strategy.onFailure({ code: 'x', message: 'x' }, 0).kind).toBe('fail-job');
    expect(() => new FixedDelayRestartStrategy({ delayMs: -1 })).toThrow(RangeError);
  });
});

describe('failoverScope', () => {
  it('full restarts everything', () => {
    const topology = twoPipelines();
    const scope = failoverScope('full', topology, [ref('map', 1)]);
    expect(keys(scope.restart)).toEqual(keys(topology.subtasks));
    expect(scope).toMatchObject({ regions: [1, 2], exact: true, notify: [] });
  });

  it('region restarts only the failed task\'s region in a job of forward pipelines', () => {
    const scope = failoverScope('region', twoPipelines(), [ref('map', 1)]);
    expect(keys(scope.restart)).toEqual(['src#1', 'map#1', 'out#1']);
    expect(scope.regions).toEqual([2]);
  });

  it('region restarts the whole job when an all-to-all edge fused it into one region', () => {
    const topology = oneRegion();
    const scope = failoverScope('region', topology, [ref('out', 0)]);
    expect(keys(scope.restart)).toEqual(keys(topology.subtasks));
  });

  it('approximate restarts only the failed subtasks, not exactly', () => {
    const scope = failoverScope('approximate', oneRegion(), [ref('agg', 1), ref('agg', 1)]);
    expect(keys(scope.restart)).toEqual(['agg#1']);
    expect(scope).toMatchObject({ regions: [], exact: false });
  });

  it('a region-sharable committer stays up when another member fails, and takes its regions down when it fails', () => {
    const job = jobOf(
      [['a', 'datagen', 1], ['b', 'datagen', 1], ['commit', 'collect', 1]],
      [['a', 'commit', 'forward'], ['b', 'commit', 'forward']],
    );
    // Region division marks the committer sharable: it is in both pipelines' regions.
    const regions: Region[] = [
      { id: 1, subtasks: [ref('a', 0), ref('commit', 0)] },
      { id: 2, subtasks: [ref('b', 0), ref('commit', 0)] },
    ];
    const topology = checkpointTopology(buildExecutionGraph(job), regions);
    const upstream = failoverScope('region', topology, [ref('a', 0)]);
    expect(keys(upstream.restart)).toEqual(['a#0']);
    expect(keys(upstream.notify)).toEqual(['commit#0']);
    const committer = failoverScope('region', topology, [ref('commit', 0)]);
    expect(keys(committer.restart)).toEqual(['a#0', 'b#0', 'commit#0']);
    expect(committer.regions).toEqual([1, 2]);
  });

  it('refuses an empty or unknown failure', () => {
    expect(() => failoverScope('region', oneRegion(), [])).toThrow(/at least one/);
    expect(() => failoverScope('region', oneRegion(), [ref('nope', 0)])).toThrow(/not part of the plan/);
  });
});

describe('boundaryChannels', () => {
  it('names the channels between restarting and live subtasks, with their direction', () => {
    const job = jobOf([['src', 'datagen', 2], ['agg', 'aggregate', 2]], [['src', 'agg', 'hash']]);
    const graph = buildExecutionGraph(job);
    expect(boundaryChannels(graph, [ref('agg', 1)]).map((c) => [c.channel, c.direction, subtaskKey(c.from), subtaskKey(c.to)])).toEqual([
      [1, 'into', 'src#0', 'agg#1'], [3, 'into', 'src#1', 'agg#1'],
    ]);
    expect(boundaryChannels(graph, [ref('src', 0)]).map((c) => c.direction)).toEqual(['out-of', 'out-of']);
    expect(boundaryChannels(graph, graph.subtasks)).toEqual([]);
    expect(topologyOf(job).regions).toHaveLength(1);
  });
});

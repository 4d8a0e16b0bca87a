/**
 * The source rescale mode (sourceRescaleMode.ts): balanced-group wiring, its region division
 * against the user mode and Flink's pointwise ranges, validation, and a run whose output is
 * every record once.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph, OperatorSpec } from '../job/types';
import { validateJob } from '../job/validate';
import { LocalCluster } from '../cluster/LocalCluster';
import { nodeClock } from '../cluster/testing/nodeClock';
import { buildExecutionGraph } from './executionGraph';
import { pointwiseLinks } from './pointwise';
import { divideRegions } from './regions';
import { balancedGroupLinks, regionBalance } from './sourceRescaleMode';

/** Sequence 1..600 over 6 partitions → map (parallelism 4) → collect (4, forward). */
function job(source: { parallelism: number; mode?: 'user' | 'rescale' }, partitioner: 'forward' | 'rescale' | 'rebalance', mapParallelism = 4): JobGraph {
  const config: Record<string, string | number> = { from: 1, to: 600, partitions: 6, ratePerSecond: 200 };
  if (source.mode !== undefined) config.parallelismMode = source.mode;
  const operators: OperatorSpec[] = [
    { id: 'src', kind: 'sequence', name: 'Numbers', parallelism: source.parallelism, config },
    { id: 'map', kind: 'map', name: 'Double', parallelism: mapParallelism, config: { field: 'value', expr: 'value * 2' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: mapParallelism },
  ];
  return { sluice: 'job/1', name: 'partitions', operators, edges: [{ from: 'src', to: 'map', partitioner }, { from: 'map', to: 'out', partitioner: 'forward' }] };
}

const sizes = (j: JobGraph) => {
  const balance = regionBalance(j, divideRegions(j));
  return { regions: divideRegions(j).length, partitions: balance === null ? [] : [...balance.partitions.values()], balanced: balance?.balanced ?? null };
};

describe('balancedGroupLinks', () => {
  it('splits 6 → 4 into gcd 2 groups of 3 × 2, all to all within each', () => {
    expect(balancedGroupLinks(6, 4).map((l) => `${l.from}>${l.to}`)).toEqual([
      '0>0', '0>1', '1>0', '1>1', '2>0', '2>1', '3>2', '3>3', '4>2', '4>3', '5>2', '5>3',
    ]);
  });

  it.each([[6, 3], [2, 4], [4, 4], [8, 2], [3, 9], [1, 5]])('is Flink’s pointwise wiring when one count divides the other (%i → %i)', (up, down) => {
    expect(balancedGroupLinks(up, down)).toEqual(pointwiseLinks(up, down));
  });

  it('gives coprime counts one group', () => {
    expect(balancedGroupLinks(5, 4)).toHaveLength(20);
  });
});

describe('regions of a source whose partitions are not a multiple of the parallelism', () => {
  it('user mode, forward at 4: four regions reading 2, 2, 1, 1 partitions (unbalanced)', () => {
    expect(sizes(job({ parallelism: 4 }, 'forward'))).toEqual({ regions: 4, partitions: [2, 2, 1, 1], balanced: false });
  });

  it('user mode at 6 with Flink’s pointwise rescale: four regions reading 1, 2, 1, 2 (unbalanced)', () => {
    expect(sizes(job({ parallelism: 6 }, 'rescale'))).toEqual({ regions: 4, partitions: [1, 2, 1, 2], balanced: false });
  });

  it('rebalance: balanced, but one region', () => {
    expect(sizes(job({ parallelism: 6 }, 'rebalance'))).toEqual({ regions: 1, partitions: [], balanced: null });
  });

  it('rescale mode: two regions of three partitions and two map subtasks each (balanced)', () => {
    const j = job({ parallelism: 6, mode: 'rescale' }, 'rescale');
    expect(sizes(j)).toEqual({ regions: 2, partitions: [3, 3], balanced: true });
    expect(divideRegions(j).map((r) => r.subtasks.length)).toEqual([7, 7]);
    const channels = buildExecutionGraph(j).edges[0]?.channels.map((c) => `${c.from.index}>${c.to.index}`);
    expect(channels).toEqual(balancedGroupLinks(6, 4).map((l) => `${l.from}>${l.to}`));
  });

  it('rescale mode with a divisor parallelism is Flink’s wiring: 6 → 3 gives three regions of two', () => {
    expect(sizes(job({ parallelism: 6, mode: 'rescale' }, 'rescale', 3))).toEqual({ regions: 3, partitions: [2, 2, 2], balanced: true });
  });
});

describe('validation', () => {
  it('refuses a rescale-mode source whose parallelism is not its partition count, saying what to set', () => {
    const report = validateJob(job({ parallelism: 4, mode: 'rescale' }, 'rescale'));
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({
      path: '$.operators[0].parallelism', code: 'operator.rescaleModeParallelism',
      message: 'Source "src" is in rescale mode, which runs one subtask per partition. Set its parallelism to 6 (its partitions), not 4, or set parallelismMode to "user".',
    })]);
    expect(validateJob(job({ parallelism: 6, mode: 'rescale' }, 'rescale')).ok).toBe(true);
  });
});

describe('a run in rescale mode', () => {
  it('reads every partition once: the output is every number doubled, exactly once', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    const started = await cluster.start(job({ parallelism: 6, mode: 'rescale' }, 'rescale'), { paused: true, taskManagers: 2, slotsPerTaskManager: 3, checkpointIntervalMs: 500 });
    expect(started.ok).toBe(true);
    for (let i = 0; i < 30 && (await cluster.status()).state === 'paused'; i++) await cluster.advance(500);
    expect((await cluster.status()).state).toBe('finished');
    const out = await cluster.output('out');
    expect(out.committed.map((r) => r.value as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => 2 * (i + 1)));
    const perMap = (await cluster.metrics()).subtasks.filter((s) => s.operatorId === 'map').map((s) => s.recordsIn);
    expect(perMap).toEqual([150, 150, 150, 150]);
    await cluster.stop();
  });
});

/**
 * A region-sharable committer under faults: two independent pipelines (sequence → map) into one
 * collect sink marked `regionSharable`, regional checkpoints and region failover, seeded random
 * kill-task faults. Committed output must equal the failure-free run's (0 lost, 0 duplicated).
 * Runs fuse the committer's regions for now (RUN_REGIONS), and the test pins that too: a kill
 * restarts the whole fused region, committer included.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import { createPrng } from '../random';
import type { Fault } from '../runtime/telemetry';
import { LocalCluster } from './LocalCluster';
import { BASE_CONFIG } from './testing/faultOracle';
import { nodeClock } from './testing/nodeClock';

const JOB: JobGraph = {
  sluice: 'job/1',
  name: 'Shared committer under faults',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 2, config: { from: 1, to: 400, ratePerSecond: 200, partitions: 2 } },
    { id: 'am', kind: 'map', name: 'A map', parallelism: 2, config: { field: 'value', expr: 'value * 10' } },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1, config: { from: 1, to: 300, ratePerSecond: 150, partitions: 1 } },
    { id: 'bm', kind: 'map', name: 'B map', parallelism: 1, config: { field: 'value', expr: 'value * 10 + 1' } },
    { id: 'commit', kind: 'collect', name: 'Commit', parallelism: 1, config: { regionSharable: true } },
  ],
  edges: [
    { from: 'a', to: 'am', partitioner: 'forward' },
    { from: 'b', to: 'bm', partitioner: 'forward' },
    { from: 'am', to: 'commit', partitioner: 'rebalance' },
    { from: 'bm', to: 'commit', partitioner: 'rebalance' },
  ],
};

const CONFIG = { ...BASE_CONFIG, checkpointMode: 'regional' as const, failover: 'region' as const };
const SUBTASKS = JOB.operators.flatMap((op) => Array.from({ length: op.parallelism }, (_, subtask) => ({ operator: op.id, subtask })));

async function run(seed: number | undefined): Promise<{ state: string; committed: string[]; restarted: number[] }> {
  const cluster = new LocalCluster({ clock: nodeClock });
  const report = await cluster.start(JOB, CONFIG);
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  let now = 0;
  if (seed !== undefined) {
    const prng = createPrng(seed).fork('shared-committer');
    const times = Array.from({ length: 6 }, () => 10 * (5 + prng.nextInt(100))).sort((x, y) => x - y);
    for (const atMs of times) {
      if (atMs > now) {
        const status = await cluster.advance(atMs - now);
        now = atMs;
        if (status.state === 'failed' || status.state === 'finished') break;
      }
      const fault: Fault = { kind: 'kill-task', ...(SUBTASKS[prng.nextInt(SUBTASKS.length)] as { operator: string; subtask: number }) };
      try {
        await cluster.inject(fault);
      } catch {
        // Refused (the subtask is already down): the next fault goes on.
      }
    }
  }
  const status = await cluster.advance(60_000 - now);
  const committed = (await cluster.output('commit')).committed.map((r) => JSON.stringify(r)).sort();
  const restarted = (await cluster.recoveries()).map((r) => r.restarted.length);
  await cluster.stop();
  return { state: status.state, committed, restarted };
}

describe('region-sharable committer: exactly once under region failover', () => {
  it('is previewed as shared, and runs fuse its regions', () => {
    expect(divideRegions(JOB)).toHaveLength(3);
    expect(divideRegions(JOB, RUN_REGIONS)).toHaveLength(1);
  });

  it('committed output equals the failure-free run for 12 seeds of random kills', async () => {
    const baseline = await run(undefined);
    expect(baseline.state).toBe('finished');
    expect(baseline.committed).toHaveLength(700);
    const problems: string[] = [];
    let recoveries = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const result = await run(seed);
      recoveries += result.restarted.length;
      if (result.state !== 'finished') problems.push(`seed ${seed}: ended ${result.state}`);
      else if (JSON.stringify(result.committed) !== JSON.stringify(baseline.committed)) {
        problems.push(`seed ${seed}: ${result.committed.length} committed records, expected ${baseline.committed.length} (lost or duplicated)`);
      }
      // One fused region: every recovery restarts all 7 subtasks, the committer with them.
      if (result.restarted.some((n) => n !== 7)) problems.push(`seed ${seed}: a recovery restarted ${JSON.stringify(result.restarted)} subtasks`);
    }
    expect(problems).toEqual([]);
    expect(recoveries).toBeGreaterThanOrEqual(12);
  }, 120_000);
});

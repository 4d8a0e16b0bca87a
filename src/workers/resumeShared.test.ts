/**
 * Resume after a reload with a region-sharable committer (engine/cluster/resume.ts,
 * sharedCommitters.ts): the crashed run's regions may map to different checkpoints (one region
 * failed its latest ones), and the committer keeps its transactions per region. A fresh cluster
 * over the same IndexedDB (keyed state of `sum` included) resumes it; committed output at the end equals the failure-free run's.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../engine/job/types';
import { jobIdOf } from '../engine/cluster/jobId';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { RunConfig } from '../engine/runtime/runConfig';
import type { StreamRecord } from '../engine/runtime/types';
import { createLocalClusterApi } from './localClusterApi';

const JOB: JobGraph = {
  sluice: 'job/1',
  name: 'Shared committer resumed',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 2, config: { from: 1, to: 400, ratePerSecond: 200, partitions: 2 } },
    { id: 'am', kind: 'map', name: 'A map', parallelism: 2, config: { field: 'value', expr: 'value * 10' } },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1, config: { from: 1, to: 300, ratePerSecond: 150, partitions: 1 } },
    { id: 'sum', kind: 'aggregate', name: 'Sum per key', parallelism: 1, config: { fn: 'sum', field: 'value' } },
    { id: 'commit', kind: 'collect', name: 'Commit', parallelism: 1, config: { regionSharable: true } },
  ],
  edges: [
    { from: 'a', to: 'am', partitioner: 'forward' },
    { from: 'am', to: 'commit', partitioner: 'rebalance' },
    { from: 'b', to: 'sum', partitioner: 'hash', key: 'key' },
    { from: 'sum', to: 'commit', partitioner: 'rebalance' },
  ],
};
const CONFIG: Partial<RunConfig> = {
  taskManagers: 2, slotsPerTaskManager: 2, seed: 4, stateBackend: 'idb', checkpointIntervalMs: 100, paused: true,
  checkpointMode: 'regional', failover: 'region', tolerableCheckpointFailures: 100,
};
const sorted = (records: readonly StreamRecord[]): string[] => records.map((r) => JSON.stringify(r)).sort();
const settleSaves = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('resume after reload with a region-sharable committer', () => {
  it.each([450, 820])('a run crashed at %i ms, with region 3 failing its latest checkpoints, resumes exactly once', async (crashMs) => {
    const reference = createLocalClusterApi({ clock: nodeClock });
    await reference.start(JOB, { ...CONFIG, stateBackend: 'memory' });
    expect((await reference.advance(20_000)).state).toBe('finished');
    const expected = sorted((await reference.output('commit')).committed);
    await reference.stop();
    expect(expected).toHaveLength(700);

    const factory = new IDBFactory();
    const crashed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    expect((await crashed.start(JOB, CONFIG)).ok).toBe(true);
    await crashed.advance(crashMs - 150);
    await crashed.inject({ kind: 'fail-checkpoint', region: 3 });
    await crashed.advance(100);
    await crashed.inject({ kind: 'fail-checkpoint', region: 3 });
    await crashed.advance(50);
    await settleSaves();
    const latest = (await crashed.checkpoints()).history.filter((c) => c.status === 'completed').pop();
    expect(latest?.regions.some((r) => r.status === 'failed'), JSON.stringify((await crashed.checkpoints()).history.map((c) => [c.id, c.status, c.triggerMs, c.regions.map((r) => r.status)]))).toBe(true);

    const resumed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    const report = await resumed.resumeSaved(jobIdOf(JOB), { paused: true });
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    expect((await resumed.advance(20_000)).state).toBe('finished');
    const committed = sorted((await resumed.output('commit')).committed);
    expect(committed).toEqual(expected);
    await resumed.stop();
  }, 60_000);
});

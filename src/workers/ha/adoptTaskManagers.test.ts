/**
 * The browser's JobManager failover, with the thread shared: TaskManager "workers" on real
 * MessageChannels (channelWorkers) outlive a JobManager whose leadership is lost
 * (`jobManagerLost`, as the JobManager worker reports it), and a second LocalCluster — the
 * successor worker — adopts them with WorkerTaskManagers.adopt, reconciles and finishes the
 * job: no restart, attempts unchanged, committed output equal to the failure-free run's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster, type JobManagerHandoff } from '../../engine/cluster/LocalCluster';
import { memoryHaPorts } from '../../engine/cluster/HaController';
import { nodeClock } from '../../engine/cluster/testing/nodeClock';
import { BASE_CONFIG, ORACLE_JOB, SINKS } from '../../engine/cluster/testing/faultOracle';
import type { StreamRecord } from '../../engine/runtime/types';
import { channelWorkers, type ChannelWorker } from '../testing/channelWorkers';
import { WorkerTaskManagers } from '../WorkerTaskManagers';

const clusters: LocalCluster[] = [];
afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop();
});

const CONFIG = { ...BASE_CONFIG, stateBackend: 'memory' as const };

async function committed(cluster: LocalCluster): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const sink of SINKS) out[sink] = (await cluster.output(sink)).committed.map((r: StreamRecord) => JSON.stringify(r)).sort();
  return out;
}

/** The newest worker of each TaskManager slot (what the main thread hands a successor). */
function running(spawned: readonly ChannelWorker[]): ChannelWorker[] {
  const bySlot = new Map<number, ChannelWorker>();
  for (const worker of spawned) if (!worker.terminated) bySlot.set(worker.taskManager, worker);
  return [...bySlot.values()].sort((a, b) => a.taskManager - b.taskManager);
}

describe('a successor JobManager adopts worker TaskManagers that outlived their JobManager', () => {
  it.each([false, true])('coordination store down: %s — no restart, same attempts, output exactly once', async (storeDown) => {
    const baseline = new LocalCluster({ clock: nodeClock });
    clusters.push(baseline);
    await baseline.start(ORACLE_JOB, CONFIG);
    await baseline.advance(10_000);
    const expected = await committed(baseline);

    const ha = memoryHaPorts();
    const workers = channelWorkers();
    const options = { spawn: workers.spawn, progressCells: false };
    const handoffs: JobManagerHandoff[] = [];
    const first = new LocalCluster({ clock: nodeClock, ha, taskManagers: () => new WorkerTaskManagers(options), jobManagerLost: (h) => handoffs.push(h) });
    clusters.push(first);
    await first.start(ORACLE_JOB, CONFIG);
    await first.advance(400);
    const attempts = (await first.metrics()).subtasks.map((s) => s.attempt);
    if (storeDown) await first.inject({ kind: 'coordination-store-down' });
    await first.inject({ kind: 'kill-jobmanager' });
    await first.advance(100);
    expect(handoffs).toHaveLength(1);
    expect((await first.status()).state).toBe('stopped');

    const successor = new LocalCluster({ clock: nodeClock, ha, taskManagers: () => new WorkerTaskManagers(options) });
    clusters.push(successor);
    const host = WorkerTaskManagers.adopt(options, running(workers.spawned).map((worker) => ({ taskManager: worker.taskManager, worker })));
    const report = await successor.adoptRunning({ ...(handoffs[0] as JobManagerHandoff), paused: true }, host);
    expect(report.ok).toBe(true);
    const status = await successor.haStatus();
    expect(status.leaderChanges.at(-1)).toMatchObject({ epoch: 2, leader: 'jobmanager-2', recoveredFrom: storeDown ? 'file' : 'coordination' });
    expect((await successor.metrics()).subtasks.map((s) => s.attempt)).toEqual(attempts);
    expect((await successor.recoveries())).toHaveLength(0);
    expect(workers.spawned.filter((w) => w.terminated)).toHaveLength(0);

    expect((await successor.advance(10_000)).state).toBe('finished');
    expect(await committed(successor)).toEqual(expected);
  }, 30_000);

  it('reconcile is refused for a TaskManager slot that is not running the job', async () => {
    const workers = channelWorkers();
    const host = WorkerTaskManagers.adopt({ spawn: workers.spawn, progressCells: false }, []);
    await expect(host.reconcile({ type: 'reconcile', epoch: 2 }, [0])).rejects.toThrow(/TaskManager 0 is not running this job/);
    host.dispose();
  });
});

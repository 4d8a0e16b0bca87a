import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { jobIdOf } from '../engine/cluster/jobId';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import { BOUNDED_SEQUENCE_JOB } from '../engine/cluster/testing/jobs';
import { idbCheckpointStore } from './checkpointStore';
import { createLocalClusterApi } from './localClusterApi';

describe('checkpoint metadata in IndexedDB', () => {
  it('the JobManager writes every completed checkpoint to sluice-checkpoints-<jobId>; a fresh run clears it', async () => {
    const factory = new IDBFactory();
    const store = idbCheckpointStore(factory);
    const api = createLocalClusterApi({ clock: nodeClock, indexedDB: factory, checkpointStore: store });
    await api.start(BOUNDED_SEQUENCE_JOB, { taskManagers: 2, slotsPerTaskManager: 2, checkpointIntervalMs: 300, paused: true });
    expect((await api.advance(1_000)).state).toBe('paused');
    const report = await api.checkpoints();
    expect(report.summary.completed).toBeGreaterThan(0);
    // Saves are chained after each completion; give the last one a moment to commit.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const saved = await store.load(jobIdOf(BOUNDED_SEQUENCE_JOB));
    const latest = saved?.store.completed.at(-1);
    expect(latest?.id).toBe(report.summary.latestCompletedId);
    expect(saved?.nextCheckpointId).toBeGreaterThan(latest?.id ?? 0);
    expect(saved?.store.snapshots.length).toBeGreaterThan(0);
    await api.stop();
    await api.start(BOUNDED_SEQUENCE_JOB, { taskManagers: 2, slotsPerTaskManager: 2, checkpointIntervalMs: 300, paused: true });
    expect(await store.load(jobIdOf(BOUNDED_SEQUENCE_JOB))).toBeUndefined();
    await api.stop();
    store.close();
  }, 30_000);
});

describe('recovery on the IndexedDB state backend', () => {
  it('kill-task and kill-taskmanager: keyed state restores from IndexedDB and the committed output is exactly once', async () => {
    const shape = { taskManagers: 2, slotsPerTaskManager: 2, seed: 4, paused: true };
    const baseline = createLocalClusterApi({ clock: nodeClock });
    await baseline.start(BOUNDED_SEQUENCE_JOB, { ...shape, stateBackend: 'memory', checkpointIntervalMs: 0 });
    expect((await baseline.advance(20_000)).state).toBe('finished');
    const expected = (await baseline.output('out')).committed.map((r) => JSON.stringify(r)).sort();
    await baseline.stop();

    const api = createLocalClusterApi({ clock: nodeClock, indexedDB: new IDBFactory() });
    await api.start(BOUNDED_SEQUENCE_JOB, { ...shape, stateBackend: 'idb', checkpointIntervalMs: 250, restartDelayMs: 50 });
    await api.advance(600);
    await api.inject({ kind: 'kill-task', operator: 'sum', subtask: 2 });
    await api.advance(500);
    await api.inject({ kind: 'kill-taskmanager', taskManager: 0 });
    expect((await api.advance(20_000)).state).toBe('finished');
    expect((await api.recoveries()).length).toBe(2);
    expect((await api.output('out')).committed.map((r) => JSON.stringify(r)).sort()).toEqual(expected);
    await api.stop();
  }, 30_000);
});

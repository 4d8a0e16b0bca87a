/**
 * Rescale on the IndexedDB state backend (fake-indexeddb): the new subtasks restore the key
 * groups they now own from the same database, and no state row moves — the storages of the
 * rescaled plan have written no row once every subtask restored — while the counts go on
 * exactly as on the memory backend.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { RESCALE_JOB } from '../engine/cluster/testing/rescaleJob';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { RunConfig } from '../engine/runtime/runConfig';
import { createLocalClusterApi } from './localClusterApi';

const CONFIG: Partial<RunConfig> = { taskManagers: 2, slotsPerTaskManager: 4, seed: 9, checkpointIntervalMs: 1000, paused: true };

describe('rescale on IndexedDB', () => {
  it('moves no row: the restore writes nothing, and the counts match the memory backend', async () => {
    const api = createLocalClusterApi({ clock: nodeClock, indexedDB: new IDBFactory() });
    const inMemory = createLocalClusterApi({ clock: nodeClock });
    for (const [cluster, backend] of [[api, 'idb'], [inMemory, 'memory']] as const) {
      const report = await cluster.start(RESCALE_JOB, { ...CONFIG, stateBackend: backend });
      expect(report.ok).toBe(true);
      await cluster.advance(2_500);
    }
    const before = (await api.metrics()).state;
    expect(before?.figures.idbRowsWritten).toBeGreaterThan(0);
    await api.rescale('count', 4);
    await inMemory.rescale('count', 4);
    // The first sampled report of the rescaled plan's storages: everything they wrote so far.
    await api.advance(90);
    await inMemory.advance(90);
    const after = (await api.metrics()).state;
    expect(after?.backend).toBe('idb');
    expect(after?.figures.restores).toBeGreaterThan(0);
    expect(after?.figures.idbRowsWritten).toBe(0);
    expect(after?.operators[0]?.subtasks).toHaveLength(4);
    await api.advance(3_000);
    await inMemory.advance(3_000);
    expect(await api.output('out')).toEqual(await inMemory.output('out'));
    expect(await api.traceHash()).toBe(await inMemory.traceHash());
    await api.stop();
    await inMemory.stop();
  }, 60_000);
});

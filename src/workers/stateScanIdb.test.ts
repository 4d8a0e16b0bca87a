/**
 * The state processor's scan on IndexedDB (fake-indexeddb) and in memory: every row a backend
 * holds — flushed, sealed in a checkpoint, still pending, overwritten, deleted — comes back
 * exactly once, paged, equal to a model of what was written; and on a whole cluster with the
 * idb backend, the scan equals the key lookups and what the memory backend gives the same run.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { scanPage } from '../engine/cluster/stateScanTask';
import type { StateScanPage } from '../engine/cluster/stateScan';
import { BOUNDED_SEQUENCE_JOB } from '../engine/cluster/testing/jobs';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { JobGraph } from '../engine/job/types';
import type { ScanStateMessage } from '../engine/runtime/protocol';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { KeyedStateBackend, KeyedStateSnapshot, StateStorage } from '../engine/state/types';
import { openIdbStateStorage } from '../state-idb/IdbStateStorage';
import { createLocalClusterApi, type HostedClusterApi } from './localClusterApi';

const MAX_P = 64;
const RANGE = { start: 8, end: 40 };

/** Writes a deterministic history into `backend` and returns the model: `kg|state|userKey` → value. */
async function writeHistory(backend: KeyedStateBackend, handles: KeyedStateSnapshot[] = [], rounds = 4): Promise<Map<string, unknown>> {
  const model = new Map<string, unknown>();
  let checkpoint = 1;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 400; i++) {
      // Rounds overwrite many of the same addresses, so folding versions releases rows.
      const kg = RANGE.start + ((i + (round % 2) * 5) % (RANGE.end - RANGE.start + 1));
      const userKey = `k${(i * 13 + (round % 3)) % 60}`;
      const state = i % 3 === 0 ? 'b' : 'a';
      await backend.prepare({ keyGroups: [kg], encodedKeys: [userKey] });
      if ((i + round) % 11 === 0) {
        backend.delete(kg, state, userKey);
        model.delete(`${kg}|${state}|${userKey}`);
      } else {
        const value = { n: i, round, tags: [state, userKey] };
        backend.put(kg, state, userKey, value);
        model.set(`${kg}|${state}|${userKey}`, value);
      }
    }
    // Round 0, 1 sealed in checkpoints; round 2 flushed only; round 3 still pending.
    if (round < 2 || round > 3) handles.push(await backend.snapshot(checkpoint++));
    else if (round === 2) await backend.flush();
  }
  return model;
}

async function scanBackend(backend: KeyedStateBackend, limit: number): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  let at: Pick<ScanStateMessage, 'fromKeyGroup' | 'after'> | null = { fromKeyGroup: RANGE.start };
  let last = -1;
  while (at !== null) {
    const reply = await scanPage(backend, { type: 'scan-state', requestId: 1, operatorId: 'op', subtask: 0, limit, values: true, ...at }, 0);
    for (const [kg, state, userKey, value] of reply.rows) {
      expect(kg).toBeGreaterThanOrEqual(last);
      last = kg;
      const address = `${kg}|${state}|${userKey}`;
      expect(out.has(address), address).toBe(false);
      out.set(address, value);
    }
    at = reply.next === null ? null : { fromKeyGroup: reply.next.keyGroup, ...(reply.next.after === undefined ? {} : { after: reply.next.after }) };
  }
  return out;
}

const storages: [string, () => StateStorage][] = [
  ['memory', () => createMemoryStateStorage()],
  ['idb', () => openIdbStateStorage({ dbName: 'scan', indexedDB: new IDBFactory(), cacheCapacity: 32, flushThresholdEntries: 97 })],
];

describe.each(storages)('scan of a %s backend', (_name, create) => {
  it('returns every live row exactly once, in pages of any size, equal to the model of what was written', async () => {
    const storage = create();
    const backend = await storage.openKeyedBackend({ operatorId: 'op', maxParallelism: MAX_P, keyGroupRange: RANGE });
    backend.registerState({ name: 'a' });
    backend.registerState({ name: 'b' });
    const model = await writeHistory(backend);
    for (const limit of [23, 10_000]) expect(await scanBackend(backend, limit)).toEqual(model);
    await backend.close();
    await storage.dispose();
  }, 30_000);

  it('garbage collection figures: rows sealed = rows released + rows retained; versions likewise; the state is unchanged', async () => {
    const storage = create();
    const backend = await storage.openKeyedBackend({ operatorId: 'op', maxParallelism: MAX_P, keyGroupRange: RANGE });
    backend.registerState({ name: 'a' });
    backend.registerState({ name: 'b' });
    const handles: KeyedStateSnapshot[] = [];
    const model = await writeHistory(backend, handles, 7);
    expect(handles.map((h) => h.checkpointId)).toEqual([1, 2, 3, 4, 5]);
    const sealedRows = handles.reduce((n, h) => n + h.changedEntries, 0);
    const sealedVersions = handles.reduce((n, h) => n + h.keyGroups.filter((g) => (g.changed ?? 0) > 0).length, 0);
    await backend.releaseSnapshotsBefore(4);
    const gc = backend.metrics().gc;
    expect(gc).toBeDefined();
    expect(gc?.folds).toBe(1);
    expect(gc?.versionsReleased).toBeGreaterThan(0);
    expect(gc?.rowsReleased).toBeGreaterThan(0);
    expect((gc?.rowsReleased ?? 0) + (gc?.rowsRetained ?? 0)).toBe(sealedRows);
    expect((gc?.versionsReleased ?? 0) + (gc?.versionsRetained ?? 0)).toBe(sealedVersions);
    expect(gc?.versionsRetained).toBe(backend.metrics().versions);
    expect(await scanBackend(backend, 10_000)).toEqual(model);
    // Nothing more to fold: a second release releases nothing and keeps the figures.
    await backend.releaseSnapshotsBefore(4);
    expect(backend.metrics().gc).toMatchObject({ folds: 1, versionsReleased: gc?.versionsReleased, rowsRetained: gc?.rowsRetained });
    await backend.close();
    await storage.dispose();
  }, 30_000);
});

const JOB: JobGraph = {
  ...BOUNDED_SEQUENCE_JOB,
  operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => (op.id === 'numbers' ? { ...op, config: { ...op.config, to: 60_000 } } : op)),
};

async function scanAll(api: HostedClusterApi): Promise<StateScanPage['rows']> {
  const rows: StateScanPage['rows'] = [];
  let cursor: string | null = null;
  do {
    const page: StateScanPage = await api.scanState('sum', { limit: 200, cursor });
    rows.push(...page.rows);
    cursor = page.cursor;
  } while (cursor !== null);
  return rows;
}

describe('scan of a running job on IndexedDB', () => {
  it('equals the same run on the memory backend, and each row equals a key lookup', async () => {
    const config = { taskManagers: 2, slotsPerTaskManager: 2, seed: 5, checkpointIntervalMs: 200, paused: true };
    const idb = createLocalClusterApi({ clock: nodeClock, indexedDB: new IDBFactory() });
    await idb.start(JOB, { ...config, stateBackend: 'idb' });
    await idb.advance(1_000);
    const memory = createLocalClusterApi({ clock: nodeClock });
    await memory.start(JOB, { ...config, stateBackend: 'memory' });
    await memory.advance(1_000);
    const a = await scanAll(idb);
    const b = await scanAll(memory);
    expect(a.length).toBeGreaterThan(100);
    expect(a).toEqual(b);
    for (const row of a.filter((_, i) => i % 9 === 0)) {
      const lookup = await idb.lookupState('sum', row.key as string | number);
      expect(lookup.entries).toContainEqual({ state: row.state, namespace: row.namespace, value: row.value });
    }
    // The inspector's sizes: IndexedDB handles record approximate bytes per key group; memory ones none.
    const sumOf = async (api: HostedClusterApi) => (await api.checkpointDetail()).operators.find((o) => o.operatorId === 'sum');
    expect((await sumOf(idb))?.bytes).toBeGreaterThan(0);
    expect((await sumOf(memory))?.bytes).toBeUndefined();
        // Cleanups ran on IndexedDB too, measured in bytes as well.
    const cleanups = (await idb.checkpoints()).cleanups ?? [];
    expect(cleanups.some((c) => c.totals.versionsReleased > 0)).toBe(true);
    expect(cleanups.every((c) => c.totals.bytesReleased !== undefined)).toBe(true);
    await idb.stop();
    await memory.stop();
  }, 30_000);
});

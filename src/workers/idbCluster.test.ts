/**
 * The cluster on the IndexedDB state backend (fake-indexeddb in Node): the same committed
 * output and trace hash as on the memory backend (determinism across backends, DESIGN.md §3),
 * state metrics from the IndexedDB storage, lookups through its prepare path, a fresh run that
 * never sees the previous run's rows, and data kept after stop.
 */
// The idb library checks requests against the IDB globals, so they must exist.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../engine/job/types';
import { jobIdOf } from '../engine/cluster/jobId';
import { galleryJob } from '../engine/cluster/testing/jobs';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { RunConfig } from '../engine/runtime/runConfig';
import { stateDbName } from '../state-idb/IdbStateStorage';
import { createLocalClusterApi } from './localClusterApi';

const WORD_COUNT = galleryJob('word-count');
const SHAPE: Partial<RunConfig> = { taskManagers: 2, slotsPerTaskManager: 4, seed: 5 };

async function run(job: JobGraph, config: Partial<RunConfig>, ms: number, indexedDB?: IDBFactory) {
  const api = createLocalClusterApi({ clock: nodeClock, ...(indexedDB === undefined ? {} : { indexedDB }) });
  const report = await api.start(job, { ...config, paused: true });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  const status = await api.advance(ms);
  return { api, status, output: await api.output('out'), hash: await api.traceHash() };
}

async function databaseNames(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((db) => db.name ?? '');
}

describe('the cluster on IndexedDB (fake-indexeddb)', () => {
  it('gives the same output and trace hash as the memory backend', async () => {
    const factory = new IDBFactory();
    const onIdb = await run(WORD_COUNT, { ...SHAPE, stateBackend: 'idb' }, 3_000, factory);
    const inMemory = await run(WORD_COUNT, { ...SHAPE, stateBackend: 'memory' }, 3_000);
    expect(onIdb.status).toMatchObject({ state: 'paused', virtualTimeMs: 3_000 });
    expect(onIdb.output.committedCount + onIdb.output.pendingCount).toBeGreaterThan(0);
    expect(onIdb.hash).toBe(inMemory.hash);
    expect(onIdb.output).toEqual(inMemory.output);

    const state = (await onIdb.api.metrics()).state;
    expect(state?.backend).toBe('idb');
    expect(state?.perTaskManager.map((tm) => tm.figures.kind)).toEqual(['idb', 'idb']);
    // Latency flushes (started at tick ends) wrote to the database.
    expect(state?.figures.idbTransactions).toBeGreaterThan(0);
    expect(state?.figures.flushes).toBeGreaterThan(0);
    const entries = state?.operators[0]?.subtasks.reduce((sum, s) => sum + s.totalEntries, 0) ?? 0;
    expect(entries).toBeGreaterThan(100);

    const counts = new Map<string, number>();
    for (const record of [...onIdb.output.committed, ...onIdb.output.pending]) counts.set(record.key as string, record.value as number);
    const [word, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const answer = await onIdb.api.lookupState('count', word);
    expect(answer.entries[0]?.value as number).toBeGreaterThanOrEqual(count);
    const memoryAnswer = await inMemory.api.lookupState('count', word);
    expect(answer.entries).toEqual(memoryAnswer.entries);

    await onIdb.api.stop();
    await inMemory.api.stop();
    // Kept after stop, for later restores.
    expect(await databaseNames(factory)).toContain(stateDbName(jobIdOf(WORD_COUNT)));
  }, 30_000);

  it('a fresh run clears the job’s database first, so it never sees the previous run’s rows', async () => {
    const factory = new IDBFactory();
    const api = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    await api.start(WORD_COUNT, { ...SHAPE, paused: true });
    await api.advance(3_000);
    const output = await api.output('out');
    const top = [...output.committed, ...output.pending].reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
    const word = top.key as string;
    const first = (await api.lookupState('count', word)).entries;
    await api.stop();
    // The same cluster starts the job again: the state starts from nothing.
    await api.start(WORD_COUNT, { ...SHAPE, paused: true });
    await api.advance(10);
    const fresh = await api.lookupState('count', word);
    const firstValue = (first[0]?.value as number | undefined) ?? 0;
    expect(firstValue).toBeGreaterThan(1);
    expect(((fresh.entries[0]?.value as number | undefined) ?? 0)).toBeLessThan(firstValue);
    await api.stop();
  }, 30_000);

  it('refuses to start, saying what to do, when the database stays blocked by another connection', async () => {
    const factory = new IDBFactory();
    const name = stateDbName(jobIdOf(WORD_COUNT));
    // Another "tab" holds the database open and ignores versionchange.
    const other = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const { clearJobStateDatabase } = await import('./stateStorages');
    await expect(clearJobStateDatabase(factory, jobIdOf(WORD_COUNT), 50)).rejects.toMatchObject({ code: 'state.databaseBlocked' });
    other.close();
  });
});

/**
 * Checkpoint history on disk: restore after a newer checkpoint failed, atomic restore, garbage
 * collection down to exactly what retained checkpoints need, restore and rescale moving no
 * rows (counted at fake-indexeddb's object stores), and TTL compaction.
 */
import { IDBFactory, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyGroupRangeForOperator } from '../engine/keygroups/keyGroups';
import type { KeyedStateSnapshot } from '../engine/state/types';
import type { IdbKeyedStateBackend } from './IdbKeyedStateBackend';
import { openIdbStateStorage, type IdbStateStorage } from './IdbStateStorage';
import type { ChunkRow, ShardMeta } from './schema';

const MAX_P = 8;
const FULL = { start: 0, end: MAX_P - 1 };

function open(storage: IdbStateStorage, range = FULL): IdbKeyedStateBackend {
  const backend = storage.openKeyedBackend({ operatorId: 'op', maxParallelism: MAX_P, keyGroupRange: range });
  backend.registerState({ name: 'v' });
  return backend;
}

async function read(backend: IdbKeyedStateBackend, keyGroup: number, key: string, state = 'v'): Promise<unknown> {
  await backend.prepare({ keyGroups: [keyGroup], encodedKeys: [key] });
  return backend.get(keyGroup, state, key);
}

/** Chunk rows of one key group, in version order. */
function chunksOf(storage: IdbStateStorage, keyGroup: number): Promise<ChunkRow[]> {
  return storage.transact('readonly', (tx) => tx.objectStore('chunks').getAll(IDBKeyRange.bound(['op', keyGroup, -Infinity], ['op', keyGroup, Infinity])));
}

async function sealsOf(storage: IdbStateStorage, keyGroup: number): Promise<number[]> {
  const meta = await storage.transact('readonly', (tx) => tx.objectStore('meta').get(['shard', 'op', keyGroup]));
  return (meta as ShardMeta | undefined)?.seals.map((s) => s.checkpointId) ?? [];
}

/** Counts puts, adds and deletes reaching any object store (what a restore writes). */
function countWrites(): { writes: () => number } {
  const spies = [vi.spyOn(FakeObjectStore.prototype, 'put'), vi.spyOn(FakeObjectStore.prototype, 'add'), vi.spyOn(FakeObjectStore.prototype, 'delete')];
  return { writes: () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('idb backend: checkpoint history on disk', () => {
  it('restores the last completed checkpoint after a newer one failed, and checkpoint ids may be reused afterwards', async () => {
    let failCommit = false;
    const storage = openIdbStateStorage({
      dbName: 'failed-newer', indexedDB: new IDBFactory(),
      injectFault: (point, mode) => (point === 'commit' && mode === 'readwrite' && failCommit ? new DOMException('full', 'QuotaExceededError') : undefined),
    });
    const backend = open(storage);
    backend.put(1, 'v', 'a', 1);
    backend.put(2, 'v', 'b', 1);
    const s1 = await backend.snapshot(1);
    backend.put(1, 'v', 'a', 2);
    backend.delete(2, 'v', 'b');
    backend.put(3, 'v', 'c', 2);
    failCommit = true;
    await expect(backend.snapshot(2)).rejects.toThrow(/Storage full/);
    failCommit = false;
    // The failed checkpoint left no marker and no seal; its writes are still pending here.
    expect(await storage.transact('readonly', (tx) => tx.objectStore('meta').get(['checkpoint', 'op', 2, 0]))).toBeUndefined();
    expect(await sealsOf(storage, 1)).toEqual([1]);
    expect(backend.get(1, 'v', 'a')).toBe(2);
    await backend.restore([s1]);
    expect([await read(backend, 1, 'a'), await read(backend, 2, 'b'), await read(backend, 3, 'c')]).toEqual([1, 1, undefined]);
    // History continues from checkpoint 1; id 2 was never completed, so it is free.
    backend.put(3, 'v', 'c', 3);
    const s2 = await backend.snapshot(2);
    expect(s2.totalEntries).toBe(3);
    const fresh = open(storage);
    await fresh.restore([s2]);
    expect([await read(fresh, 1, 'a'), await read(fresh, 2, 'b'), await read(fresh, 3, 'c')]).toEqual([1, 1, 3]);
    await storage.dispose();
  });

  it('a failed restore changes nothing: pending writes stay readable and a retry succeeds', async () => {
    let failCommit = false;
    const storage = openIdbStateStorage({
      dbName: 'atomic-restore', indexedDB: new IDBFactory(),
      injectFault: (point, mode) => (point === 'commit' && mode === 'readwrite' && failCommit ? new DOMException('lost', 'AbortError') : undefined),
    });
    const backend = open(storage);
    backend.put(1, 'v', 'a', 1);
    const s1 = await backend.snapshot(1);
    backend.put(1, 'v', 'a', 2);
    backend.put(4, 'v', 'n', 2);
    await backend.flush();
    backend.put(1, 'v', 'a', 3);
    failCommit = true;
    await expect(backend.restore([s1])).rejects.toThrow();
    failCommit = false;
    expect([await read(backend, 1, 'a'), await read(backend, 4, 'n')]).toEqual([3, 2]);
    expect(backend.metrics().totalEntries).toBe(2);
    await backend.restore([s1]);
    expect([await read(backend, 1, 'a'), await read(backend, 4, 'n')]).toEqual([1, undefined]);
    await storage.dispose();
  });

  it('garbage collection keeps exactly what retained checkpoints need: one base row plus one delta row per later seal', async () => {
    const storage = openIdbStateStorage({ dbName: 'gc', indexedDB: new IDBFactory(), flushThresholdEntries: 2 });
    const backend = open(storage);
    const handles: KeyedStateSnapshot[] = [];
    backend.put(5, 'v', 'once', 0);
    for (let checkpoint = 1; checkpoint <= 4; checkpoint++) {
      // Several size flushes between checkpoints: each seal merges them into one row.
      for (let i = 0; i < 6; i++) backend.put(1, 'v', `k${i}`, checkpoint * 10 + i);
      backend.delete(1, 'v', `k${checkpoint}`);
      handles.push(await backend.snapshot(checkpoint));
    }
    expect((await chunksOf(storage, 1)).length).toBe(4);
    expect(await sealsOf(storage, 1)).toEqual([1, 2, 3, 4]);
    expect(backend.metrics().versions).toBe(5);
    await backend.releaseSnapshotsBefore(3);
    // Key group 1: state at 3 folded into one row, plus checkpoint 4's delta. Key group 5: untouched.
    expect((await chunksOf(storage, 1)).length).toBe(2);
    expect(await sealsOf(storage, 1)).toEqual([3, 4]);
    expect(await chunksOf(storage, 5)).toHaveLength(1);
    expect(await sealsOf(storage, 5)).toEqual([1]);
    expect(backend.metrics().versions).toBe(3);
    const expected = (checkpoint: number) => [0, 1, 2, 3, 4, 5].map((i) => (i === checkpoint ? undefined : checkpoint * 10 + i));
    for (const checkpoint of [4, 3]) {
      await backend.restore([handles[checkpoint - 1] as KeyedStateSnapshot]);
      const values = [];
      for (let i = 0; i < 6; i++) values.push(await read(backend, 1, `k${i}`));
      expect(values, `checkpoint ${checkpoint}`).toEqual(expected(checkpoint));
      expect(await read(backend, 5, 'once')).toBe(0);
    }
    await storage.dispose();
  });

  it('restore to the latest checkpoint and rescale 2→4 write no row; restoring an older one deletes newer chunks and writes only shard metadata', async () => {
    const storage = openIdbStateStorage({ dbName: 'no-moves', indexedDB: new IDBFactory() });
    const two = [0, 1].map((i) => open(storage, keyGroupRangeForOperator(MAX_P, 2, i)));
    for (let kg = 0; kg < MAX_P; kg++) (two[Math.floor((kg * 2) / MAX_P)] as IdbKeyedStateBackend).put(kg, 'v', `k${kg}`, kg);
    const s1 = await Promise.all(two.map((b) => b.snapshot(1)));
    (two[0] as IdbKeyedStateBackend).put(0, 'v', 'k0', 100);
    const s2 = await Promise.all(two.map((b) => b.snapshot(2)));
    for (const backend of two) await backend.close();
    const counter = countWrites();
    const four = [0, 1, 2, 3].map((i) => open(storage, keyGroupRangeForOperator(MAX_P, 4, i)));
    for (const backend of four) await backend.restore(s2);
    expect(counter.writes()).toBe(0);
    // Before any shard is loaded, metrics already count what each key group held at the checkpoint.
    expect(four.map((b) => b.metrics().keyGroups.map((g) => [g.keyGroup, g.entries]))).toEqual([[[0, 1], [1, 1]], [[2, 1], [3, 1]], [[4, 1], [5, 1]], [[6, 1], [7, 1]]]);
    for (let kg = 0; kg < MAX_P; kg++) {
      expect(await read(four[Math.floor((kg * 4) / MAX_P)] as IdbKeyedStateBackend, kg, `k${kg}`)).toBe(kg === 0 ? 100 : kg);
    }
    const chunkPuts = vi.spyOn(FakeObjectStore.prototype, 'put');
    await (four[0] as IdbKeyedStateBackend).restore(s1);
    expect(chunkPuts.mock.calls.every(([value]) => (value as { kind?: string }).kind === 'shard')).toBe(true);
    expect(await read(four[0] as IdbKeyedStateBackend, 0, 'k0')).toBe(0);
    await storage.dispose();
  });

  it('TTL compaction: seals turn expired rows into deletions and garbage collection drops them from disk', async () => {
    const storage = openIdbStateStorage({ dbName: 'ttl-compaction', indexedDB: new IDBFactory() });
    const backend = open(storage);
    backend.registerState({ name: 't', ttlMs: 100 });
    backend.put(1, 't', 'early', { v: 1, exp: 100 });
    backend.put(1, 't', 'late', { v: 2, exp: 10_000 });
    backend.put(1, 't', 'list', [{ v: 'gone', exp: 100 }, { v: 'kept', exp: 10_000 }]);
    backend.put(1, 'v', 'plain', 3);
    await backend.snapshot(1);
    storage.endTick(500);
    backend.put(1, 't', 'short', { v: 4, exp: 600 });
    await backend.flush();
    storage.endTick(700);
    backend.put(1, 'v', 'plain', 5);
    await backend.snapshot(2);
    // Checkpoint 2's delta: 'short' expired before the seal, so it is a deletion, not a put.
    const [, delta] = await chunksOf(storage, 1);
    expect(delta?.puts.map(([, key]) => key)).toEqual(['plain']);
    expect(delta?.deletes).toEqual([['t', 'short']]);
    await backend.releaseSnapshotsBefore(2);
    const [base, ...rest] = await chunksOf(storage, 1);
    expect(rest).toEqual([]);
    expect(base?.deletes).toEqual([]);
    expect(base?.puts.sort()).toEqual([
      ['t', 'late', { v: 2, exp: 10_000 }],
      ['t', 'list', [{ v: 'kept', exp: 10_000 }]],
      ['v', 'plain', 5],
    ]);
    await storage.dispose();
  });
});

/**
 * The contract every `StateStorage` / `KeyedStateBackend` must pass (STYLE.md habit 5). The
 * memory backend runs it in memory/MemoryStateStorage.test.ts; the IndexedDB backend will
 * run the same function with its own factory (under fake-indexeddb in Node).
 *
 * Every port call is awaited through `settle`, so a backend may answer synchronously
 * (`undefined`) or with a promise; both are legal. Reads happen after awaiting `prepare` for
 * the keys involved, as the engine does.
 */
import { describe, expect, it } from 'vitest';
import type { KeyGroupRange } from '../../keygroups/keyGroups';
import type { KeyedStateBackend, KeyedStateSnapshot, MaybePromise, StateStorage } from '../types';

/** Builds a fresh, empty storage per test. */
export type StateStorageFactory = () => MaybePromise<StateStorage>;

const OP = 'op-contract';
const MAX_P = 16;
const FULL: KeyGroupRange = { start: 0, end: MAX_P - 1 };

async function settle<T>(value: T | Promise<T> | undefined): Promise<T | undefined> {
  return await value;
}

async function open(storage: StateStorage, range: KeyGroupRange = FULL, operatorId = OP): Promise<KeyedStateBackend> {
  const backend = await storage.openKeyedBackend({ operatorId, maxParallelism: MAX_P, keyGroupRange: range });
  backend.registerState({ name: 'v' });
  backend.registerState({ name: 'w' });
  return backend;
}

/** Prepares every (key group, userKey) pair, then reads it. */
async function read(backend: KeyedStateBackend, keyGroup: number, userKey: string, state = 'v'): Promise<unknown> {
  await settle(backend.prepare({ keyGroups: [keyGroup], encodedKeys: [userKey] }));
  return backend.get(keyGroup, state, userKey);
}

async function scanAll(backend: KeyedStateBackend, keyGroup: number, state = 'v'): Promise<[string, unknown][]> {
  await settle(backend.prepare({ keyGroups: [], encodedKeys: [], wholeKeyGroups: [keyGroup] }));
  return [...backend.scan(keyGroup, state)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Registers the contract's tests under `describe(name)`. */
export function describeStateBackendContract(name: string, factory: StateStorageFactory): void {
  describe(`state backend contract: ${name}`, () => {
    describeReadsAndWrites(factory);
    describeSnapshots(factory);
    describeRescaleAndRetention(factory);
  });
}

function describeReadsAndWrites(factory: StateStorageFactory): void {
  it('get after put returns the value, per state, key group and userKey; absent reads undefined', async () => {
    const backend = await open(await factory());
    backend.put(3, 'v', 'sa', 1);
    backend.put(3, 'w', 'sa', 2);
    backend.put(4, 'v', 'sa', 3);
    expect(await read(backend, 3, 'sa')).toBe(1);
    expect(await read(backend, 3, 'sa', 'w')).toBe(2);
    expect(await read(backend, 4, 'sa')).toBe(3);
    expect(await read(backend, 5, 'sa')).toBeUndefined();
    expect(await read(backend, 3, 'sb')).toBeUndefined();
  });

  it('put overwrites, delete removes, deleting an absent row is harmless', async () => {
    const backend = await open(await factory());
    backend.put(1, 'v', 'k', { n: 1 });
    backend.put(1, 'v', 'k', { n: 2 });
    expect(await read(backend, 1, 'k')).toEqual({ n: 2 });
    backend.delete(1, 'v', 'k');
    backend.delete(1, 'v', 'never');
    expect(await read(backend, 1, 'k')).toBeUndefined();
  });

  it('reads see unflushed writes, and flushed ones', async () => {
    const backend = await open(await factory());
    backend.put(2, 'v', 'k', 'a');
    expect(backend.get(2, 'v', 'k')).toBe('a');
    await settle(backend.flush());
    expect(await read(backend, 2, 'k')).toBe('a');
  });

  it('refuses key groups outside its range and undefined values', async () => {
    const backend = await open(await factory(), { start: 4, end: 7 });
    expect(() => backend.put(3, 'v', 'k', 1)).toThrow(RangeError);
    expect(() => backend.get(8, 'v', 'k')).toThrow(RangeError);
    expect(() => backend.put(4, 'v', 'k', undefined)).toThrow();
  });

  it('scan lists one state of one key group and tolerates deletes while iterating', async () => {
    const backend = await open(await factory());
    for (const k of ['a', 'b', 'c', 'd']) backend.put(6, 'v', k, k.toUpperCase());
    backend.put(6, 'w', 'x', 0);
    backend.put(7, 'v', 'y', 0);
    expect(await scanAll(backend, 6)).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C'], ['d', 'D']]);
    const seen: string[] = [];
    for (const [k] of backend.scan(6, 'v')) {
      seen.push(k);
      if (k === seen[0]) backend.delete(6, 'v', k === 'a' ? 'b' : 'a');
    }
    expect(seen.length).toBe(3);
    expect(await scanAll(backend, 9)).toEqual([]);
  });

  it('metrics count rows per key group and operations', async () => {
    const backend = await open(await factory());
    backend.put(1, 'v', 'a', 1);
    backend.put(1, 'w', 'a', 1);
    backend.put(9, 'v', 'b', 1);
    backend.delete(9, 'v', 'b');
    const m = backend.metrics();
    expect(m.operatorId).toBe(OP);
    expect(m.totalEntries).toBe(2);
    expect(m.keyGroups.map(({ keyGroup, entries }) => ({ keyGroup, entries }))).toEqual([{ keyGroup: 1, entries: 2 }]);
    expect(m.writes).toBe(3);
    expect(m.deletes).toBe(1);
  });
}

function describeSnapshots(factory: StateStorageFactory): void {
  it('restore undoes writes, overwrites and deletes made after the snapshot', async () => {
    const backend = await open(await factory());
    backend.put(0, 'v', 'keep', 1);
    backend.put(0, 'v', 'change', 1);
    backend.put(0, 'v', 'drop', 1);
    const snap = await settle(backend.snapshot(1)) as KeyedStateSnapshot;
    backend.put(0, 'v', 'change', 2);
    backend.delete(0, 'v', 'drop');
    backend.put(0, 'v', 'new', 3);
    await settle(backend.restore([snap]));
    expect(await scanAll(backend, 0)).toEqual([['change', 1], ['drop', 1], ['keep', 1]]);
  });

  it('snapshot handles carry per key group figures and cost proportional to change', async () => {
    const backend = await open(await factory());
    for (let i = 0; i < 100; i++) backend.put(i % 4, 'v', `k${i}`, i);
    const first = await settle(backend.snapshot(1)) as KeyedStateSnapshot;
    expect(first.totalEntries).toBe(100);
    expect(first.changedEntries).toBe(100);
    expect(first.keyGroups.map((g) => g.keyGroup)).toEqual([0, 1, 2, 3]);
    backend.put(2, 'v', 'k2', -1);
    backend.put(2, 'v', 'k2', -2);
    const second = await settle(backend.snapshot(2)) as KeyedStateSnapshot;
    expect(second.changedEntries).toBe(1);
    expect(second.totalEntries).toBe(100);
    expect(second).toMatchObject({ operatorId: OP, checkpointId: 2, maxParallelism: MAX_P, keyGroupRange: FULL });
  });

  it('restores to an older snapshot of several, and an empty list restores to no state', async () => {
    const backend = await open(await factory());
    backend.put(5, 'v', 'k', 'one');
    const s1 = await settle(backend.snapshot(1)) as KeyedStateSnapshot;
    backend.put(5, 'v', 'k', 'two');
    backend.put(5, 'v', 'j', 'two');
    await settle(backend.snapshot(2));
    backend.put(5, 'v', 'k', 'three');
    await settle(backend.restore([s1]));
    expect(await read(backend, 5, 'k')).toBe('one');
    expect(await read(backend, 5, 'j')).toBeUndefined();
    await settle(backend.restore([]));
    expect(await read(backend, 5, 'k')).toBeUndefined();
  });

  it('after a restore, history continues: new snapshots build on the restored version', async () => {
    const backend = await open(await factory());
    backend.put(1, 'v', 'k', 1);
    const s1 = await settle(backend.snapshot(1)) as KeyedStateSnapshot;
    backend.put(1, 'v', 'k', 2);
    await settle(backend.snapshot(2));
    await settle(backend.restore([s1]));
    backend.put(1, 'v', 'j', 9);
    const s3 = await settle(backend.snapshot(3)) as KeyedStateSnapshot;
    backend.put(1, 'v', 'k', 100);
    await settle(backend.restore([s3]));
    expect(await scanAll(backend, 1)).toEqual([['j', 9], ['k', 1]]);
  });

  it('refuses snapshot ids that do not grow', async () => {
    const backend = await open(await factory());
    backend.put(1, 'v', 'k', 1);
    await settle(backend.snapshot(5));
    backend.put(1, 'v', 'k', 2);
    await expect(async () => settle(backend.snapshot(5))).rejects.toThrow();
  });
}

function describeRescaleAndRetention(factory: StateStorageFactory): void {
  it('rescale: a backend over a merged range restores the snapshots of two former subtasks', async () => {
    const storage = await factory();
    const left = await open(storage, { start: 0, end: 7 });
    const right = await open(storage, { start: 8, end: 15 });
    left.put(3, 'v', 'a', 'left');
    right.put(12, 'v', 'b', 'right');
    const snaps = [await settle(left.snapshot(1)), await settle(right.snapshot(1))] as KeyedStateSnapshot[];
    left.put(3, 'v', 'a', 'lost');
    await settle(left.close());
    await settle(right.close());
    const merged = await open(storage, FULL);
    await settle(merged.restore(snaps));
    expect(await read(merged, 3, 'a')).toBe('left');
    expect(await read(merged, 12, 'b')).toBe('right');
  });

  it('rescale out: two backends over halves each see their part of one snapshot', async () => {
    const storage = await factory();
    const whole = await open(storage, FULL);
    whole.put(2, 'v', 'a', 1);
    whole.put(14, 'v', 'b', 2);
    const snap = await settle(whole.snapshot(1)) as KeyedStateSnapshot;
    await settle(whole.close());
    const low = await open(storage, { start: 0, end: 7 });
    const high = await open(storage, { start: 8, end: 15 });
    await settle(low.restore([snap]));
    await settle(high.restore([snap]));
    expect(await read(low, 2, 'a')).toBe(1);
    expect(await read(high, 14, 'b')).toBe(2);
    expect(() => low.get(14, 'v', 'b')).toThrow(RangeError);
  });

  it('operators are isolated in one storage', async () => {
    const storage = await factory();
    const a = await open(storage, FULL, 'op-a');
    const b = await open(storage, FULL, 'op-b');
    a.put(1, 'v', 'k', 'a');
    expect(await read(b, 1, 'k')).toBeUndefined();
  });

  it('releasing old snapshots keeps every retained snapshot restorable', async () => {
    const backend = await open(await factory());
    backend.put(1, 'v', 'a', 1);
    await settle(backend.snapshot(1));
    backend.put(1, 'v', 'b', 2);
    backend.delete(1, 'v', 'a');
    await settle(backend.snapshot(2));
    backend.put(1, 'v', 'c', 3);
    const s3 = await settle(backend.snapshot(3)) as KeyedStateSnapshot;
    backend.put(1, 'v', 'd', 4);
    const s4 = await settle(backend.snapshot(4)) as KeyedStateSnapshot;
    await settle(backend.releaseSnapshotsBefore(3));
    backend.put(1, 'v', 'e', 5);
    await settle(backend.restore([s4]));
    expect(await scanAll(backend, 1)).toEqual([['b', 2], ['c', 3], ['d', 4]]);
    await settle(backend.restore([s3]));
    expect(await scanAll(backend, 1)).toEqual([['b', 2], ['c', 3]]);
  });
}

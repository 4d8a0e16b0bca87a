/**
 * One contract for both HA file stores (STYLE.md habit 5): the memory twin the engine's tests
 * use and the IndexedDB store the browser uses must behave alike — versions, epoch fencing,
 * atomic epoch claims. (IndexedDB also copies values in and out; the memory twin no longer does,
 * for speed, so that is the IndexedDB store's own test.)
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MemoryHaStore } from '../../engine/ha/MemoryHaStore';
import { HaFencedError, type HaRecordStore } from '../../engine/ha/types';
import { IdbHaStore } from './idbHaStore';

const stores: [string, () => HaRecordStore][] = [
  ['MemoryHaStore', () => new MemoryHaStore('file')],
  ['IdbHaStore', () => new IdbHaStore(new IDBFactory())],
];

describe.each(stores)('HA file store contract: %s', (_name, make) => {
  it('versions count per key from 1 and keep the writer\'s epoch', async () => {
    const store = make();
    expect(await store.get('a')).toBeUndefined();
    expect(await store.put('a', { n: 1 }, 1)).toBe(1);
    expect(await store.put('a', { n: 2 }, 1)).toBe(2);
    expect(await store.put('b', { n: 9 }, 2)).toBe(1);
    expect(await store.get('a')).toEqual({ value: { n: 2 }, version: 2, epoch: 1 });
    expect(await store.epoch()).toBe(2);
  });

  it('refuses a write from an epoch older than the newest it has seen, and keeps the record', async () => {
    const store = make();
    await store.put('snap', 'new', 3);
    const refused = await store.put('snap', 'stale', 2).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(HaFencedError);
    expect((refused as HaFencedError).code).toBe('ha.fenced');
    expect((refused as HaFencedError).message).toContain('epoch 2');
    expect(await store.get('snap')).toEqual({ value: 'new', version: 1, epoch: 3 });
  });

  it('claims epochs above every epoch seen and above atLeast; concurrent claims never share one', async () => {
    const store = make();
    expect(await store.claimEpoch('jobmanager-1', 0)).toEqual({ leader: 'jobmanager-1', epoch: 1 });
    expect((await store.claimEpoch('jobmanager-2', 5)).epoch).toBe(6);
    await store.put('k', 1, 6);
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((c) => store.claimEpoch(c, 0)));
    expect(new Set(claims.map((c) => c.epoch)).size).toBe(4);
    expect(Math.min(...claims.map((c) => c.epoch))).toBe(7);
    const stale = await store.put('k', 2, 6).then(() => 'written', () => 'fenced');
    expect(stale).toBe('fenced');
  });
});

describe('IdbHaStore', () => {
  it('copies values (structured clone): changing what was written or read changes nothing stored', async () => {
    const store = new IdbHaStore(new IDBFactory());
    const value = { list: [1, 2] };
    await store.put('v', value, 1);
    value.list.push(3);
    const read = await store.get<{ list: number[] }>('v');
    read?.value.list.push(4);
    expect((await store.get('v'))?.value).toEqual({ list: [1, 2] });
  });
  it('is durable across connections: a successor worker reads what the leader wrote', async () => {
    const factory = new IDBFactory();
    const leader = new IdbHaStore(factory);
    await leader.claimEpoch('jobmanager-1', 0);
    await leader.put('jobs/j/execution-graph', { sequence: 4 }, 1);
    leader.close();
    const successor = new IdbHaStore(factory);
    expect(await successor.epoch()).toBe(1);
    expect(await successor.get('jobs/j/execution-graph')).toEqual({ value: { sequence: 4 }, version: 1, epoch: 1 });
    expect((await successor.claimEpoch('jobmanager-2', 0)).epoch).toBe(2);
    successor.close();
  });
});

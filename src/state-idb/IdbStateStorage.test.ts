import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeStateBackendContract } from '../engine/state/testing/backendContract';
import { isQuotaError, StateStorageFullError, translateStorageError } from './errors';
import { openIdbStateStorage } from './IdbStateStorage';
import { WriteBatch } from './WriteBatch';

let counter = 0;
describeStateBackendContract('idb (fake-indexeddb)', () => openIdbStateStorage({ dbName: `contract-${counter++}`, indexedDB: new IDBFactory() }));
// Tiny caches and batches exercise eviction, misses through the Bloom filter and size flushes.
for (const cacheCapacity of [8, 64]) {
  describeStateBackendContract(`idb, cache of ${cacheCapacity} entries`, () =>
    openIdbStateStorage({ dbName: `contract-${counter++}`, indexedDB: new IDBFactory(), cacheCapacity, flushThresholdEntries: 5 }),
  );
}

describe('idb backend specifics', () => {
  const options = { operatorId: 'op', maxParallelism: 8, keyGroupRange: { start: 0, end: 7 } };

  it('prepare returns undefined once the key groups are in memory; flush writes one transaction', async () => {
    const storage = openIdbStateStorage({ dbName: 'specifics', indexedDB: new IDBFactory() });
    const backend = storage.openKeyedBackend(options);
    expect(backend.needsPrepare).toBe(true);
    const first = backend.prepare({ keyGroups: [1], encodedKeys: ['a'] });
    expect(first).toBeInstanceOf(Promise);
    await first;
    expect(backend.prepare({ keyGroups: [1], encodedKeys: ['b'] })).toBeUndefined();
    expect(backend.flush()).toBeUndefined();
    for (let i = 0; i < 1000; i++) backend.put(i % 8, 'v', `k${i % 10}`, i);
    await backend.flush();
    const reopened = openIdbStateStorage({ dbName: 'specifics', indexedDB: (storage as unknown as { factory: IDBFactory }).factory });
    const other = reopened.openKeyedBackend(options);
    await other.prepare({ keyGroups: [0, 2], encodedKeys: ['k0', 'k2'] });
    expect(other.get(0, 'v', 'k0')).toBe(960);
    expect(other.get(2, 'v', 'k2')).toBe(962);
    await storage.close();
    await reopened.dispose();
  });

  it('the write batch coalesces repeated writes to one address', () => {
    const batch = new WriteBatch();
    for (let i = 0; i < 100; i++) batch.put(3, 'v', 'k', i);
    batch.delete(3, 'v', 'j');
    expect(batch.size).toBe(2);
    expect(batch.chunkOf(3)).toEqual({ puts: [['v', 'k', 99]], deletes: [['v', 'j']] });
  });

  it('quota errors, also wrapped in an AbortError, become a storage-full error', () => {
    const quota = new DOMException('quota', 'QuotaExceededError');
    const abort = new DOMException('aborted', 'AbortError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError(abort, quota)).toBe(true);
    expect(isQuotaError(abort)).toBe(false);
    const translated = translateStorageError('job-1', abort, quota);
    expect(translated).toBeInstanceOf(StateStorageFullError);
    expect((translated as Error).message).toMatch(/Storage full/);
  });

  it('quota errors inside a transaction reject with StateStorageFullError', async () => {
    const storage = openIdbStateStorage({ dbName: 'quota', indexedDB: new IDBFactory() });
    await expect(
      storage.transact('readwrite', () => Promise.reject(new DOMException('aborted', 'QuotaExceededError'))),
    ).rejects.toBeInstanceOf(StateStorageFullError);
    await storage.dispose();
  });

  it('a failed flush is not reported as done and keeps its writes for the next one', async () => {
    const storage = openIdbStateStorage({ dbName: 'failing', indexedDB: new IDBFactory() });
    const backend = storage.openKeyedBackend(options);
    backend.put(1, 'v', 'a', 1);
    const original = storage.transact.bind(storage);
    let fail = true;
    storage.transact = ((...args: Parameters<typeof original>) => {
      if (fail) {
        fail = false;
        return original('readwrite', () => Promise.reject(new DOMException('full', 'QuotaExceededError')));
      }
      return original(...args);
    }) as typeof storage.transact;
    await expect(backend.flush()).rejects.toThrow(/Storage full/);
    backend.put(1, 'v', 'b', 2);
    await backend.flush();
    const fresh = storage.openKeyedBackend(options);
    await fresh.prepare({ keyGroups: [1], encodedKeys: ['a'] });
    expect([fresh.get(1, 'v', 'a'), fresh.get(1, 'v', 'b')]).toEqual([1, 2]);
    await storage.dispose();
  });

  it('a snapshot writes a checkpoint marker with the handle, and seals only changed shards', async () => {
    const storage = openIdbStateStorage({ dbName: 'markers', indexedDB: new IDBFactory() });
    const backend = storage.openKeyedBackend(options);
    backend.put(2, 'v', 'a', 1);
    backend.put(5, 'v', 'b', 1);
    await backend.snapshot(1);
    backend.put(5, 'v', 'b', 2);
    const second = await backend.snapshot(2);
    expect(second.keyGroups).toMatchObject([{ keyGroup: 2, entries: 1, changed: 0 }, { keyGroup: 5, entries: 1, changed: 1 }]);
    // The handle carries approximate bytes per key group (the inspector’s sizes).
    expect(second.keyGroups.every((g) => (g.bytes ?? 0) > 0)).toBe(true);
    const marker = await storage.transact('readonly', (tx) => tx.objectStore('meta').get(['checkpoint', 'op', 2, 0]));
    expect(marker).toMatchObject({ kind: 'checkpoint', checkpointId: 2, handle: second });
    expect(backend.metrics().versions).toBe(3);
    await storage.dispose();
  });

  it('restoring the latest checkpoint commits no read-write transaction; restoring an older one reverts', async () => {
    const modes: IDBTransactionMode[] = [];
    const storage = openIdbStateStorage({
      dbName: 'restore-modes', indexedDB: new IDBFactory(),
      injectFault: (point, mode) => {
        if (point === 'transaction') modes.push(mode);
        return undefined;
      },
    });
    const backend = storage.openKeyedBackend(options);
    backend.put(2, 'v', 'a', 1);
    const first = await backend.snapshot(1);
    backend.put(2, 'v', 'a', 2);
    const second = await backend.snapshot(2);
    modes.length = 0;
    const rescaled = storage.openKeyedBackend(options);
    await rescaled.restore([second]);
    expect(modes).toEqual(['readonly']);
    await rescaled.prepare({ keyGroups: [2], encodedKeys: ['a'] });
    expect(rescaled.get(2, 'v', 'a')).toBe(2);
    modes.length = 0;
    await rescaled.restore([first]);
    expect(modes).toEqual(['readonly', 'readwrite']);
    await rescaled.prepare({ keyGroups: [2], encodedKeys: ['a'] });
    expect(rescaled.get(2, 'v', 'a')).toBe(1);
    await storage.dispose();
  });

  it('a shard’s Bloom filter is sized from the rows it holds when first loaded', async () => {
    const storage = openIdbStateStorage({ dbName: 'bloom-size', indexedDB: new IDBFactory() });
    const writer = storage.openKeyedBackend({ ...options, keyGroupRange: { start: 0, end: 0 }, maxParallelism: 1 });
    for (let i = 0; i < 20_000; i++) writer.put(0, 'v', `k${i}`, i);
    const handle = await writer.snapshot(1);
    await writer.close();
    const reader = storage.openKeyedBackend({ ...options, keyGroupRange: { start: 0, end: 0 }, maxParallelism: 1 });
    await reader.restore([handle]);
    await reader.prepare({ keyGroups: [0], encodedKeys: ['absent'] });
    // One stage for the stored keys (plus an eighth) at half the configured 1 %: ~12.4 bits per key.
    expect((reader.filterBytes() * 8) / 20_000).toBeLessThan(13);
    await storage.dispose();
  });
});

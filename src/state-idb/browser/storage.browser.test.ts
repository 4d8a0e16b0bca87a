/**
 * IndexedDB backend behaviours that depend on the real browser (Chromium's IndexedDB, not
 * fake-indexeddb): absent keys answered by the Bloom filters with no transaction at all, and a
 * failed flush that is reported, keeps its writes readable and lands on the next flush. Run by
 * `npm run test:browser`; every test deletes its database afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { StateStorageFullError } from '../errors';
import { openIdbStateStorage, type IdbStateStorage, type IdbStateStorageOptions } from '../IdbStateStorage';

const opened: IdbStateStorage[] = [];
const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
let counter = 0;

function storageFor(options: Omit<IdbStateStorageOptions, 'dbName'> = {}): IdbStateStorage {
  const storage = openIdbStateStorage({ dbName: `sluice-storage-${runId}-${counter++}`, ...options });
  opened.push(storage);
  return storage;
}

const range = { operatorId: 'op', maxParallelism: 8, keyGroupRange: { start: 0, end: 7 } };

afterAll(async () => {
  for (const storage of opened) await storage.dispose();
});

describe('idb backend in Chromium', () => {
  it('absent keys of loaded shards are answered by the Bloom filters without an IndexedDB transaction', async () => {
    const storage = storageFor({ cacheCapacity: 64 });
    const writer = storage.openKeyedBackend(range);
    writer.registerState({ name: 'v' });
    for (let i = 0; i < 2000; i++) writer.put(i % 8, 'v', `present-${i}`, i);
    const handle = await writer.snapshot(1);
    await writer.close();
    const reader = storage.openKeyedBackend(range);
    reader.registerState({ name: 'v' });
    await reader.restore([handle]);
    const all = [0, 1, 2, 3, 4, 5, 6, 7];
    await reader.prepare({ keyGroups: all, encodedKeys: all.map((kg) => `present-${kg}`) });
    expect(reader.get(3, 'v', 'present-3')).toBe(3);
    const before = storage.figures();
    const reads = 2000;
    for (let i = 0; i < reads; i++) {
      const kg = i % 8;
      const ready = reader.prepare({ keyGroups: [kg], encodedKeys: [`absent-${i}`] });
      if (ready !== undefined) await ready;
      expect(reader.get(kg, 'v', `absent-${i}`)).toBeUndefined();
    }
    const after = storage.figures();
    const negatives = after.bloomNegatives - before.bloomNegatives;
    const transactions = after.idbTransactions - before.idbTransactions;
    // Each false positive costs one read transaction; everything else none.
    expect(negatives + (after.bloomFalsePositives - before.bloomFalsePositives)).toBe(reads);
    expect(transactions).toBe(after.bloomFalsePositives - before.bloomFalsePositives);
    expect(negatives / reads).toBeGreaterThanOrEqual(0.99);
  });

  it('a flush that fails at commit is reported, keeps its writes readable, and the next flush writes them', async () => {
    let failNext = false;
    const storage = storageFor({
      injectFault: (point, mode) => {
        if (point !== 'commit' || mode !== 'readwrite' || !failNext) return undefined;
        failNext = false;
        return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    });
    const backend = storage.openKeyedBackend(range);
    backend.registerState({ name: 'v' });
    backend.put(2, 'v', 'a', 1);
    failNext = true;
    const error = await Promise.resolve(backend.flush()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStorageFullError);
    expect((error as StateStorageFullError).code).toBe('state.storageFull');
    expect(backend.get(2, 'v', 'a')).toBe(1);
    backend.put(2, 'v', 'b', 2);
    await backend.flush();
    const other = storage.openKeyedBackend(range);
    other.registerState({ name: 'v' });
    await other.prepare({ keyGroups: [2, 2], encodedKeys: ['a', 'b'] });
    expect([other.get(2, 'v', 'a'), other.get(2, 'v', 'b')]).toEqual([1, 2]);
  });
});

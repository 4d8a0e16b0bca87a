import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { keyGroupRangeForOperator } from '../engine/keygroups/keyGroups';
import type { KeyedStateSnapshot } from '../engine/state/types';
import { StateConnectionLostError, StateDatabaseLostError, StateVersionChangeError } from './errors';
import { openIdbStateStorage } from './IdbStateStorage';
import { openStateDb } from './schema';

const MAX_P = 32;

describe('idb backend: rescale, connection and database loss', () => {
  it('rescale 1→3→7→2→1 matches a reference model; every stored key is found (no Bloom false negatives after restore and rescale)', async () => {
    const factory = new IDBFactory();
    const storage = openIdbStateStorage({ dbName: 'rescale', indexedDB: factory, cacheCapacity: 16 });
    const model = new Map<string, number>();
    let handles: KeyedStateSnapshot[] = [];
    let checkpoint = 1;
    for (const parallelism of [1, 3, 7, 2, 1]) {
      const backends = Array.from({ length: parallelism }, (_, index) =>
        storage.openKeyedBackend({ operatorId: 'op', maxParallelism: MAX_P, keyGroupRange: keyGroupRangeForOperator(MAX_P, parallelism, index) }),
      );
      for (const backend of backends) {
        backend.registerState({ name: 'v' });
        await backend.restore(handles);
      }
      const owner = (kg: number) => backends.find((b) => kg >= b.keyGroupRange.start && kg <= b.keyGroupRange.end)!;
      for (const [address, value] of model) {
        const [kg, key] = address.split('|') as [string, string];
        const backend = owner(Number(kg));
        await backend.prepare({ keyGroups: [Number(kg)], encodedKeys: [key] });
        expect(backend.get(Number(kg), 'v', key), `p=${parallelism} ${address}`).toBe(value);
      }
      for (let i = 0; i < 300; i++) {
        const kg = (i * 7 + parallelism) % MAX_P;
        const key = `k${(i * 13 + parallelism) % 200}`;
        const backend = owner(kg);
        await backend.prepare({ keyGroups: [kg], encodedKeys: [key] });
        backend.put(kg, 'v', key, i);
        model.set(`${kg}|${key}`, i);
      }
      handles = [];
      for (const backend of backends) handles.push(await backend.snapshot(checkpoint));
      checkpoint++;
      for (const backend of backends) await backend.close();
    }
    expect(handles.reduce((n, h) => n + h.totalEntries, 0)).toBe(model.size);
    await storage.dispose();
  });

  it('a lost connection is reopened with bounded retries, then fails with a clear error', async () => {
    let failures = 2;
    const storage = openIdbStateStorage({
      dbName: 'reconnect', indexedDB: new IDBFactory(), maxReconnects: 3,
      injectFault: (point) => (point === 'transaction' && failures-- > 0 ? new DOMException('closed', 'InvalidStateError') : undefined),
    });
    const backend = storage.openKeyedBackend({ operatorId: 'op', maxParallelism: 4, keyGroupRange: { start: 0, end: 3 } });
    backend.put(1, 'v', 'a', 1);
    await backend.flush();
    expect(storage.figures().reconnects).toBe(2);
    failures = 10;
    backend.put(1, 'v', 'b', 2);
    const error = await Promise.resolve(backend.flush()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateConnectionLostError);
    expect((error as StateConnectionLostError).code).toBe('state.connectionLost');
    expect(backend.get(1, 'v', 'b')).toBe(2);
  });

  it('another tab upgrading the database closes the connection and asks for a reload', async () => {
    const factory = new IDBFactory();
    let told = false;
    const storage = openIdbStateStorage({ dbName: 'upgrade', indexedDB: factory, onVersionChange: () => (told = true) });
    const backend = storage.openKeyedBackend({ operatorId: 'op', maxParallelism: 4, keyGroupRange: { start: 0, end: 3 } });
    backend.put(0, 'v', 'a', 1);
    await backend.flush();
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('upgrade', 99);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    expect(told).toBe(true);
    const error = (() => {
      try {
        storage.endTick(1);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StateVersionChangeError);
    expect((error as StateVersionChangeError).code).toBe('state.versionChange');
  });

  it('a deleted database is detected on restore and never read as empty state', async () => {
    const factory = new IDBFactory();
    const storage = openIdbStateStorage({ dbName: 'evicted', indexedDB: factory });
    const backend = storage.openKeyedBackend({ operatorId: 'op', maxParallelism: 4, keyGroupRange: { start: 0, end: 3 } });
    backend.put(2, 'v', 'a', 1);
    const handle = await backend.snapshot(1);
    await storage.dispose();
    const again = openIdbStateStorage({ dbName: 'evicted', indexedDB: factory });
    const fresh = again.openKeyedBackend({ operatorId: 'op', maxParallelism: 4, keyGroupRange: { start: 0, end: 3 } });
    const error = await fresh.restore([handle]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateDatabaseLostError);
    expect((error as StateDatabaseLostError).code).toBe('state.databaseLost');
    const db = await openStateDb('evicted', factory);
    expect(await db.get('meta', ['identity'])).toMatchObject({ kind: 'identity' });
    db.close();
  });
});

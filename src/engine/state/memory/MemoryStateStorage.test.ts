import { describe, expect, it } from 'vitest';
import { describeStateBackendContract } from '../testing/backendContract';
import { createMemoryStateStorage } from './MemoryStateStorage';

describeStateBackendContract('memory', () => createMemoryStateStorage());

describe('memory backend specifics', () => {
  const options = { operatorId: 'op', maxParallelism: 8, keyGroupRange: { start: 0, end: 7 } };

  it('answers prepare, flush, restore and close synchronously (no promise on the fast path)', () => {
    const backend = createMemoryStateStorage().openKeyedBackend(options);
    expect(backend.needsPrepare).toBe(false);
    expect(backend.prepare({ keyGroups: [1], encodedKeys: ['sa'] })).toBeUndefined();
    expect(backend.flush()).toBeUndefined();
    const snap = backend.snapshot(1);
    expect(snap).not.toBeInstanceOf(Promise);
    expect(backend.restore([snap])).toBeUndefined();
    expect(backend.close()).toBeUndefined();
  });

  it('tracks no changes before the first snapshot; a never-snapshotted shard restores to empty', () => {
    const backend = createMemoryStateStorage().openKeyedBackend(options);
    backend.put(1, 'v', 'a', 1);
    backend.delete(1, 'v', 'a');
    backend.put(1, 'v', 'b', 2);
    backend.put(2, 'v', 'c', 3);
    const first = backend.snapshot(1);
    expect(first.changedEntries).toBe(2);
    backend.put(5, 'v', 'late', 4);
    backend.restore([first]);
    expect(backend.get(1, 'v', 'b')).toBe(2);
    expect(backend.get(5, 'v', 'late')).toBeUndefined();
  });

  it('folding old versions keeps the chain short', () => {
    const backend = createMemoryStateStorage().openKeyedBackend(options);
    for (let cp = 1; cp <= 10; cp++) {
      backend.put(3, 'v', 'k', cp);
      backend.snapshot(cp);
    }
    expect(backend.metrics().versions).toBe(10);
    backend.releaseSnapshotsBefore(9);
    expect(backend.metrics().versions).toBe(3);
  });

  it('refuses a key-group range that does not fit and a closed backend', () => {
    const storage = createMemoryStateStorage();
    expect(() => storage.openKeyedBackend({ ...options, keyGroupRange: { start: 0, end: 8 } })).toThrow(RangeError);
    const backend = storage.openKeyedBackend(options);
    backend.close();
    expect(() => backend.snapshot(1)).toThrow(/closed/);
  });

  it('refuses overlapping snapshots on restore and snapshots of another operator', () => {
    const storage = createMemoryStateStorage();
    const backend = storage.openKeyedBackend(options);
    const snap = backend.snapshot(1);
    expect(() => backend.restore([snap, snap])).toThrow(/both cover/);
    const other = storage.openKeyedBackend({ ...options, operatorId: 'other' });
    expect(() => other.restore([snap])).toThrow(/Cannot restore/);
  });

  it('restoring touches only what changed: 100k rows, one changed, restore is immediate', () => {
    const backend = createMemoryStateStorage().openKeyedBackend(options);
    for (let i = 0; i < 100_000; i++) backend.put(i % 8, 'v', `k${i}`, i);
    const snap = backend.snapshot(1);
    backend.put(0, 'v', 'k0', -1);
    backend.restore([snap]);
    expect(backend.get(0, 'v', 'k0')).toBe(0);
    expect(backend.metrics().totalEntries).toBe(100_000);
    expect(backend.snapshot(2).changedEntries).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { KeyedStateAccess } from '../KeyedStateAccess';
import { createMemoryStateStorage } from '../memory/MemoryStateStorage';
import { ManualClock } from '../testing/manualClock';
import type { AggregateFunction } from '../descriptors';

function setup(maxParallelism = 128) {
  const clock = new ManualClock(1000);
  const backend = createMemoryStateStorage().openKeyedBackend({
    operatorId: 'op',
    maxParallelism,
    keyGroupRange: { start: 0, end: maxParallelism - 1 },
  });
  return { clock, backend, access: new KeyedStateAccess(backend, clock) };
}

const average: AggregateFunction<number, readonly [number, number], number> = {
  createAccumulator: () => [0, 0] as const,
  add: (value, [sum, count]) => [sum + value, count + 1] as const,
  getResult: ([sum, count]) => sum / count,
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]] as const,
};

describe('ValueState', () => {
  it('keeps one value per key and reads undefined for others', () => {
    const { access } = setup();
    const state = access.getValueState<number>({ name: 'v' });
    access.setCurrentKey('a');
    expect(state.value()).toBeUndefined();
    state.update(1);
    access.setCurrentKey('b');
    state.update(2);
    access.setCurrentKey('a');
    expect(state.value()).toBe(1);
    state.clear();
    expect(state.value()).toBeUndefined();
    access.setCurrentKey('b');
    expect(state.value()).toBe(2);
  });

  it('keeps keys of different Java types apart ("1" vs 1) and namespaces apart', () => {
    const { access } = setup();
    const state = access.getValueState<string>({ name: 'v' });
    access.setCurrentKey('1');
    state.update('text');
    access.setCurrentKey(1);
    expect(state.value()).toBeUndefined();
    state.setCurrentNamespace('w1');
    state.update('ns');
    state.setCurrentNamespace('');
    expect(state.value()).toBeUndefined();
  });

  it('fails clearly before a key is set and on undefined', () => {
    const { access } = setup();
    const state = access.getValueState<number>({ name: 'v' });
    expect(() => state.value()).toThrow(/current key/);
    access.setCurrentKey('a');
    expect(() => state.update(undefined as unknown as number)).toThrow(/undefined/);
  });
});

describe('TTL (Flink StateTtlConfig, NeverReturnExpired)', () => {
  it('OnCreateAndWrite: expires ttl after the last write; reads do not extend it', () => {
    const { access, clock } = setup();
    const state = access.getValueState<string>({ name: 'v', ttl: { ttlMs: 100, updateType: 'OnCreateAndWrite' } });
    access.setCurrentKey('k');
    state.update('x');
    clock.advance(99);
    expect(state.value()).toBe('x');
    clock.advance(1);
    expect(state.value()).toBeUndefined();
  });

  it('OnCreateAndWrite: a write extends it', () => {
    const { access, clock } = setup();
    const state = access.getValueState<string>({ name: 'v', ttl: { ttlMs: 100, updateType: 'OnCreateAndWrite' } });
    access.setCurrentKey('k');
    state.update('x');
    clock.advance(60);
    state.update('y');
    clock.advance(60);
    expect(state.value()).toBe('y');
  });

  it('OnReadAndWrite: each read extends it', () => {
    const { access, clock } = setup();
    const state = access.getValueState<string>({ name: 'v', ttl: { ttlMs: 100, updateType: 'OnReadAndWrite' } });
    access.setCurrentKey('k');
    state.update('x');
    for (let i = 0; i < 5; i++) {
      clock.advance(90);
      expect(state.value()).toBe('x');
    }
    clock.advance(100);
    expect(state.value()).toBeUndefined();
  });

  it('an expired value is never returned and is removed on read', () => {
    const { access, clock, backend } = setup();
    const state = access.getValueState<number>({ name: 'v', ttl: { ttlMs: 10, updateType: 'OnCreateAndWrite' } });
    access.setCurrentKey('k');
    state.update(1);
    clock.advance(10);
    expect(backend.metrics().totalEntries).toBe(1);
    expect(state.value()).toBeUndefined();
    expect(backend.metrics().totalEntries).toBe(0);
  });

  it('ListState applies TTL per element', () => {
    const { access, clock } = setup();
    const list = access.getListState<string>({ name: 'l', ttl: { ttlMs: 100, updateType: 'OnCreateAndWrite' } });
    access.setCurrentKey('k');
    list.add('old');
    clock.advance(50);
    list.add('new');
    clock.advance(50);
    expect(list.get()).toEqual(['new']);
    clock.advance(50);
    expect(list.get()).toEqual([]);
  });

  it('MapState applies TTL per entry, refreshed on read under OnReadAndWrite', () => {
    const { access, clock } = setup();
    const map = access.getMapState<number>({ name: 'm', ttl: { ttlMs: 100, updateType: 'OnReadAndWrite' } });
    access.setCurrentKey('k');
    map.put('a', 1);
    map.put('b', 2);
    clock.advance(80);
    expect(map.get('a')).toBe(1);
    clock.advance(80);
    expect(map.entries()).toEqual([['a', 1]]);
    clock.advance(100);
    expect(map.isEmpty()).toBe(true);
  });

  it('incremental cleanup removes expired rows nobody reads again', () => {
    const { access, clock, backend } = setup();
    const state = access.getValueState<boolean>({ name: 'seen', ttl: { ttlMs: 100, updateType: 'OnCreateAndWrite' } });
    for (let i = 0; i < 500; i++) {
      access.setCurrentKey(`key-${i}`);
      state.update(true);
    }
    clock.advance(50);
    expect(access.cleanupExpired(10_000)).toBe(0);
    clock.advance(50);
    let removed = 0;
    for (let round = 0; round < 100 && backend.metrics().totalEntries > 0; round++) removed += access.cleanupExpired(50);
    expect(removed).toBe(500);
    expect(backend.metrics().totalEntries).toBe(0);
  });

  it('cleanup interrupted by a restore does not bring rows back', () => {
    const { access, clock, backend } = setup();
    const list = access.getListState<number>({ name: 'l', ttl: { ttlMs: 100, updateType: 'OnCreateAndWrite' } });
    for (let i = 0; i < 50; i++) {
      access.setCurrentKey(`key-${i}`);
      list.add(1);
      clock.advance(1);
      list.add(2);
    }
    clock.set(1000 + 100);
    access.cleanupExpired(3);
    backend.restore([]);
    access.afterRestore();
    access.cleanupExpired(10_000);
    expect(backend.metrics().totalEntries).toBe(0);
  });

  it('refuses a bad TTL and a state declared twice', () => {
    const { access } = setup();
    expect(() => access.getValueState({ name: 'a', ttl: { ttlMs: 0, updateType: 'OnCreateAndWrite' } })).toThrow(RangeError);
    access.getValueState({ name: 'b' });
    expect(() => access.getListState({ name: 'b' })).toThrow(/declared twice/);
  });
});

describe('ListState, MapState, ReducingState, AggregatingState', () => {
  it('ListState adds, replaces and clears; stored lists are never mutated', () => {
    const { access } = setup();
    const list = access.getListState<number>({ name: 'l' });
    access.setCurrentKey('k');
    list.add(1);
    const before = list.get();
    list.addAll([2, 3]);
    expect(before).toEqual([1]);
    expect(list.get()).toEqual([1, 2, 3]);
    list.update([9]);
    expect(list.get()).toEqual([9]);
    list.update([]);
    expect(list.get()).toEqual([]);
  });

  it('MapState puts, removes, lists entries in insertion order', () => {
    const { access } = setup();
    const map = access.getMapState<string>({ name: 'm' });
    access.setCurrentKey(7);
    map.put('x', 'X');
    map.put('y', 'Y');
    map.remove('x');
    map.put('z', 'Z');
    expect(map.contains('x')).toBe(false);
    expect(map.keys()).toEqual(['y', 'z']);
    expect(map.values()).toEqual(['Y', 'Z']);
    map.clear();
    expect(map.isEmpty()).toBe(true);
  });

  it('ReducingState folds and merges namespaces', () => {
    const { access } = setup();
    const sum = access.getReducingState<number>({ name: 'r', reduce: (a, b) => a + b });
    access.setCurrentKey('k');
    sum.setCurrentNamespace('w1');
    sum.add(1);
    sum.add(2);
    sum.setCurrentNamespace('w2');
    sum.add(10);
    sum.mergeNamespaces('w3', ['w1', 'w2']);
    sum.setCurrentNamespace('w3');
    expect(sum.get()).toBe(13);
    sum.setCurrentNamespace('w1');
    expect(sum.get()).toBeUndefined();
  });

  it('AggregatingState accumulates, returns results and merges accumulators', () => {
    const { access } = setup();
    const avg = access.getAggregatingState({ name: 'a', aggregate: average });
    access.setCurrentKey('k');
    expect(avg.get()).toBeUndefined();
    avg.setCurrentNamespace('a');
    avg.add(2);
    avg.add(4);
    avg.setCurrentNamespace('b');
    avg.add(9);
    avg.mergeNamespaces('a', ['a', 'b']);
    avg.setCurrentNamespace('a');
    expect(avg.get()).toBe(5);
  });
});

describe('KeyedStateAccess', () => {
  it('refuses keys of key groups the subtask does not own', () => {
    const backend = createMemoryStateStorage().openKeyedBackend({ operatorId: 'op', maxParallelism: 128, keyGroupRange: { start: 0, end: 63 } });
    const access = new KeyedStateAccess(backend, new ManualClock());
    access.setCurrentKey('B'); // key group 17
    expect(access.currentKeyGroup).toBe(17);
    expect(() => access.setCurrentKey('A')).toThrow(/key group 104/); // 'A' is in key group 104
  });

  it('prepareKeys is a no-op without a promise on the memory backend', () => {
    const { access } = setup();
    expect(access.prepareKeys(['a', 'b'])).toBeUndefined();
  });
});

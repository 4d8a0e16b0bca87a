import { describe, expect, it } from 'vitest';
import { KeyedStateAccess } from '../KeyedStateAccess';
import { createMemoryStateStorage } from '../memory/MemoryStateStorage';
import { ManualClock } from '../testing/manualClock';
import { keyGroupForKey } from '../../keygroups/keyGroups';
import { createPrng } from '../../random';
import { BinaryHeap } from './BinaryHeap';
import type { Timer } from './TimerQueue';

function setup(range = { start: 0, end: 127 }) {
  const backend = createMemoryStateStorage().openKeyedBackend({ operatorId: 'op', maxParallelism: 128, keyGroupRange: range });
  const access = new KeyedStateAccess(backend, new ManualClock());
  return { access, timers: access.timers };
}

const describeTimer = (t: Timer) => `${String(t.key)}@${t.timestamp}/${t.namespace}`;

describe('InternalTimerService', () => {
  it('fires event-time timers with timestamp <= watermark, in timestamp order, with their key current', () => {
    const { access, timers } = setup();
    for (const [key, ts] of [['b', 30], ['a', 10], ['c', 20], ['a', 40]] as const) {
      access.setCurrentKey(key);
      timers.registerEventTimeTimer('', ts);
    }
    const fired: string[] = [];
    const count = timers.advanceWatermark(30, (t) => fired.push(`${String(access.currentKey)}@${t.timestamp}`));
    expect(count).toBe(3);
    expect(fired).toEqual(['a@10', 'c@20', 'b@30']);
    expect(timers.currentWatermark).toBe(30);
    expect(timers.eventTimeTimerCount).toBe(1);
    expect(timers.nextEventTime()).toBe(40);
  });

  it('deduplicates (key, namespace, timestamp) and deletes', () => {
    const { access, timers } = setup();
    access.setCurrentKey('k');
    timers.registerEventTimeTimer('w', 5);
    timers.registerEventTimeTimer('w', 5);
    timers.registerEventTimeTimer('v', 5);
    timers.registerEventTimeTimer('w', 6);
    expect(timers.eventTimeTimerCount).toBe(3);
    timers.deleteEventTimeTimer('w', 6);
    timers.deleteEventTimeTimer('w', 6);
    const fired: string[] = [];
    timers.advanceWatermark(100, (t) => fired.push(describeTimer(t)));
    expect(fired).toEqual(['k@5/v', 'k@5/w']);
  });

  it('a deleted then re-registered timer fires once', () => {
    const { access, timers } = setup();
    access.setCurrentKey('k');
    timers.registerEventTimeTimer('', 5);
    timers.deleteEventTimeTimer('', 5);
    timers.registerEventTimeTimer('', 5);
    let fired = 0;
    timers.advanceWatermark(5, () => fired++);
    expect(fired).toBe(1);
  });

  it('breaks timestamp ties by key group, key and namespace, whatever the insertion order', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const orders: string[][] = [];
    for (const seed of [1, 2, 3]) {
      const { access, timers } = setup();
      const prng = createPrng(seed);
      const shuffled = [...keys];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = prng.nextInt(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
      }
      for (const key of shuffled) {
        access.setCurrentKey(key);
        timers.registerEventTimeTimer('', 7);
      }
      const fired: string[] = [];
      timers.advanceWatermark(7, (t) => fired.push(String(t.key)));
      orders.push(fired);
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
  });

  it('timers registered by a callback at or below the watermark fire in the same advance', () => {
    const { access, timers } = setup();
    access.setCurrentKey('k');
    timers.registerEventTimeTimer('', 1);
    const fired: number[] = [];
    timers.advanceWatermark(10, (t) => {
      fired.push(t.timestamp);
      if (t.timestamp < 5) timers.registerEventTimeTimer('', t.timestamp + 2);
    });
    expect(fired).toEqual([1, 3, 5]);
  });

  it('processing-time timers fire on advanceProcessingTime, separately from event time', () => {
    const { access, timers } = setup();
    access.setCurrentKey('k');
    timers.registerProcessingTimeTimer('', 50);
    timers.registerEventTimeTimer('', 50);
    expect(timers.advanceWatermark(60, () => undefined)).toBe(1);
    expect(timers.processingTimeTimerCount).toBe(1);
    expect(timers.advanceProcessingTime(49, () => undefined)).toBe(0);
    expect(timers.advanceProcessingTime(50, () => undefined)).toBe(1);
  });

  it('refuses a watermark that goes backwards, re-entrant advances and timers without a key', () => {
    const { access, timers } = setup();
    expect(() => timers.registerEventTimeTimer('', 1)).toThrow(/current key/);
    timers.advanceWatermark(10, () => undefined);
    expect(() => timers.advanceWatermark(9, () => undefined)).toThrow(/backwards/);
    access.setCurrentKey('k');
    timers.registerEventTimeTimer('', 20);
    expect(() => timers.advanceWatermark(30, () => timers.advanceWatermark(40, () => undefined))).toThrow(/inside a timer/);
  });

  it('snapshots per key group and restores only owned key groups (rescale)', () => {
    const { access, timers } = setup();
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    for (const key of keys) {
      access.setCurrentKey(key);
      timers.registerEventTimeTimer('', 100);
      timers.registerProcessingTimeTimer('p', 200);
    }
    const snapshot = timers.snapshot();
    const groups = snapshot.eventTime.map((t) => t.keyGroup);
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    const low = setup({ start: 0, end: 63 });
    const high = setup({ start: 64, end: 127 });
    low.timers.restore([snapshot]);
    high.timers.restore([snapshot]);
    expect(low.timers.eventTimeTimerCount + high.timers.eventTimeTimerCount).toBe(50);
    expect(low.timers.processingTimeTimerCount + high.timers.processingTimeTimerCount).toBe(50);
    const lowCount = low.timers.eventTimeTimerCount;
    const fired: string[] = [];
    low.timers.advanceWatermark(100, (t) => {
      expect(low.access.currentKey).toBe(t.key);
      fired.push(String(t.key));
    });
    expect(fired.length).toBe(lowCount);
    expect(fired.every((k) => keyGroupForKey(k, 128) <= 63)).toBe(true);
  });
});

describe('BinaryHeap', () => {
  it('pops in order for random input', () => {
    const prng = createPrng(4);
    const heap = new BinaryHeap<number>((a, b) => a - b);
    const values = Array.from({ length: 1000 }, () => prng.nextInt(100));
    for (const v of values) heap.push(v);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });
});

import { describe, expect, it } from 'vitest';
import type { TimedRecord } from '../runtime/types';
import { at, harness } from './testing/operatorHarness';
import { UserFunctionError } from './UserFunctionError';
import { addSessionWindow, slidingWindows, tumblingWindow } from './windowAssigners';

const click = (key: string, ts: number, value = 1) => at(ts, { key, value });
/** Results as `key [start,end)=value`, sorted, for order-independent comparison. */
const results = (out: readonly TimedRecord[]) =>
  out.map(({ record: r, timestamp }) => `${String(r.key)} [${String(r.windowStart)},${String(r.windowEnd)})=${String(r.value)} @${String(timestamp)}`).sort();

describe('window assigners (Flink TimeWindow arithmetic)', () => {
  it('tumbling windows align to multiples of the size, negatives included', () => {
    expect(tumblingWindow(0, 10)).toEqual({ start: 0, end: 10 });
    expect(tumblingWindow(19, 10)).toEqual({ start: 10, end: 20 });
    expect(tumblingWindow(-1, 10)).toEqual({ start: -10, end: 0 });
  });

  it('sliding windows: every window containing ts, latest start first', () => {
    expect(slidingWindows(7, 10, 5)).toEqual([{ start: 5, end: 15 }, { start: 0, end: 10 }]);
    expect(slidingWindows(10, 10, 3)).toEqual([{ start: 9, end: 19 }, { start: 6, end: 16 }, { start: 3, end: 13 }]);
  });

  it('sessions merge overlapping and touching windows, and bridge two sessions', () => {
    expect(addSessionWindow([[0, 5]], 5, 5)).toMatchObject({ merged: { start: 0, end: 10 }, sessions: [[0, 10]] });
    const bridged = addSessionWindow([[1, 9], [12, 17], [30, 35]], 8, 5);
    expect(bridged.merged).toEqual({ start: 1, end: 17 });
    expect(bridged.absorbed).toHaveLength(2);
    expect(bridged.sessions).toEqual([[1, 17], [30, 35]]);
    expect(addSessionWindow([[20, 25]], 1, 5).sessions).toEqual([[1, 6], [20, 25]]);
  });
});

describe('window: tumbling', () => {
  it('fires on the watermark with out-of-order records, per key, at maxTimestamp', () => {
    const h = harness('window', { config: { type: 'tumbling', sizeMs: 10, fn: 'count' } });
    h.push([click('a', 1), click('a', 5), click('b', 3), click('a', 12), click('a', 8)]);
    expect(results(h.watermark(8))).toEqual([]);
    expect(results(h.watermark(9))).toEqual(['a [0,10)=3 @9', 'b [0,10)=1 @9']);
    expect(results(h.watermark(19))).toEqual(['a [10,20)=1 @19']);
  });

  it('drops and counts records of windows the watermark has passed; state is cleaned after firing', () => {
    const h = harness('window', { config: { type: 'tumbling', sizeMs: 10, fn: 'sum' } });
    h.push([click('a', 1, 4)]);
    h.watermark(9);
    expect(h.push([click('a', 7, 100), click('a', 11, 2)])).toEqual([]);
    expect(h.runner.ctx.counters.lateRecordsDropped).toBe(1);
    expect(results(h.watermark(20))).toEqual(['a [10,20)=2 @19']);
    expect(h.runner.ctx.keyed?.backend.metrics().totalEntries).toBe(0);
    expect(h.runner.ctx.keyed?.timers.eventTimeTimerCount).toBe(0);
  });

  it('allowed lateness: a late record re-fires the window with the updated result until cleanup', () => {
    const h = harness('window', { config: { type: 'tumbling', sizeMs: 10, fn: 'count', allowedLatenessMs: 5 } });
    h.push([click('a', 1)]);
    expect(results(h.watermark(9))).toEqual(['a [0,10)=1 @9']);
    expect(results(h.push([click('a', 2)]))).toEqual(['a [0,10)=2 @9']);
    expect(results(h.watermark(14))).toEqual([]);
    expect(h.runner.ctx.keyed?.backend.metrics().totalEntries).toBe(0);
    expect(h.push([click('a', 3)])).toEqual([]);
    expect(h.runner.ctx.counters.lateRecordsDropped).toBe(1);
  });

  it('refuses records without event time', () => {
    const h = harness('window', { config: { type: 'tumbling' } });
    expect(() => h.push([at(null, { key: 'a' })])).toThrow(UserFunctionError);
  });
});

describe('window: sliding', () => {
  it('counts a record in every window that contains it', () => {
    const h = harness('window', { config: { type: 'sliding', sizeMs: 10, slideMs: 5, fn: 'count' } });
    h.push([click('a', 7)]);
    expect(results(h.watermark(9))).toEqual(['a [0,10)=1 @9']);
    h.push([click('a', 12)]);
    expect(results(h.watermark(14))).toEqual(['a [5,15)=2 @14']);
    expect(results(h.watermark(19))).toEqual(['a [10,20)=1 @19']);
  });

  it('a record late for one window still counts in the others', () => {
    const h = harness('window', { config: { type: 'sliding', sizeMs: 10, slideMs: 5, fn: 'max' } });
    h.watermark(9);
    h.push([click('a', 7, 42)]);
    expect(h.runner.ctx.counters.lateRecordsDropped).toBe(0);
    expect(results(h.watermark(14))).toEqual(['a [5,15)=42 @14']);
  });
});

describe('window: session (merging)', () => {
  it('merges sessions, deletes the absorbed windows\' timers, and fires the merged one', () => {
    const h = harness('window', { config: { type: 'session', gapMs: 5, fn: 'count' } });
    h.push([click('a', 1), click('a', 4), click('a', 20), click('a', 12)]);
    expect(h.runner.ctx.keyed?.timers.eventTimeTimerCount).toBe(3);
    h.push([click('a', 8)]);
    expect(h.runner.ctx.keyed?.timers.eventTimeTimerCount).toBe(2);
    expect(results(h.watermark(10))).toEqual([]);
    expect(results(h.watermark(16))).toEqual(['a [1,17)=4 @16']);
    expect(results(h.watermark(24))).toEqual(['a [20,25)=1 @24']);
    expect(h.runner.ctx.keyed?.backend.metrics().totalEntries).toBe(0);
  });

  it('touching sessions merge (Flink TimeWindow.intersects is inclusive); keys are separate', () => {
    const h = harness('window', { config: { type: 'session', gapMs: 5, fn: 'sum' } });
    h.push([click('a', 30, 1), click('b', 33, 10), click('a', 35, 2)]);
    expect(results(h.watermark(100))).toEqual(['a [30,40)=3 @39', 'b [33,38)=10 @37']);
  });

  it('drops a record whose session would already be late, keeps one that is not', () => {
    const h = harness('window', { config: { type: 'session', gapMs: 5, fn: 'count' } });
    h.watermark(100);
    expect(h.push([click('a', 50), click('a', 98)])).toEqual([]);
    expect(h.runner.ctx.counters.lateRecordsDropped).toBe(1);
    expect(results(h.watermark(102))).toEqual(['a [98,103)=1 @102']);
  });

  it('a late-but-allowed record that extends a fired session fires the merged session at once', () => {
    const h = harness('window', { config: { type: 'session', gapMs: 5, fn: 'count', allowedLatenessMs: 10 } });
    h.push([click('a', 1)]);
    expect(results(h.watermark(6))).toEqual(['a [1,6)=1 @5']);
    expect(results(h.push([click('a', 2)]))).toEqual(['a [1,7)=2 @6']);
    expect(results(h.push([click('a', 3)]))).toEqual([]);
    expect(results(h.watermark(7))).toEqual(['a [1,8)=3 @7']);
    expect(results(h.watermark(17))).toEqual([]);
    expect(h.runner.ctx.keyed?.backend.metrics().totalEntries).toBe(0);
  });
});

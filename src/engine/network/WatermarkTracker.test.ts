import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../runtime/types';
import { TestPrng } from './testing';
import { WatermarkTracker } from './WatermarkTracker';

const wm = (timestamp: number): StreamEvent => ({ type: 'watermark', timestamp });
const IDLE: StreamEvent = { type: 'idle' };

describe('WatermarkTracker', () => {
  it('emits the minimum over channels, only when it rises', () => {
    const tracker = new WatermarkTracker(3);
    expect(tracker.watermark).toBe(Number.NEGATIVE_INFINITY);
    expect(tracker.onWatermark(0, 10)).toEqual([]);
    expect(tracker.onWatermark(1, 5)).toEqual([]);
    expect(tracker.onWatermark(2, 7)).toEqual([wm(5)]);
    expect(tracker.onWatermark(1, 20)).toEqual([wm(7)]);
    expect(tracker.onWatermark(2, 8)).toEqual([wm(8)]);
    expect(tracker.watermark).toBe(8);
    expect(tracker.channelWatermark(1)).toBe(20);
  });

  it('ignores watermarks that do not advance their channel', () => {
    const tracker = new WatermarkTracker(1);
    expect(tracker.onWatermark(0, 10)).toEqual([wm(10)]);
    expect(tracker.onWatermark(0, 10)).toEqual([]);
    expect(tracker.onWatermark(0, 3)).toEqual([]);
    expect(tracker.channelWatermark(0)).toBe(10);
  });

  it('lets an idle channel stop holding the watermark back', () => {
    const tracker = new WatermarkTracker(2);
    tracker.onWatermark(0, 10);
    tracker.onWatermark(1, 4);
    expect(tracker.watermark).toBe(4);
    expect(tracker.onIdle(1)).toEqual([wm(10)]);
    expect(tracker.isChannelIdle(1)).toBe(true);
    expect(tracker.isIdle).toBe(false);
  });

  it('a channel idle from the start does not block the others', () => {
    const tracker = new WatermarkTracker(2);
    expect(tracker.onIdle(1)).toEqual([]);
    expect(tracker.onWatermark(0, 3)).toEqual([wm(3)]);
  });

  it('flushes the maximum, then goes idle, when the last active channel idles', () => {
    const tracker = new WatermarkTracker(2);
    tracker.onWatermark(0, 10);
    tracker.onWatermark(1, 4);
    tracker.onIdle(0);
    expect(tracker.watermark).toBe(4);
    expect(tracker.onIdle(1)).toEqual([wm(10), IDLE]);
    expect(tracker.isIdle).toBe(true);
    expect(tracker.onIdle(1)).toEqual([]);
  });

  it('goes idle without a flush when the idling channel was not the minimum', () => {
    const tracker = new WatermarkTracker(2);
    tracker.onWatermark(0, 10);
    tracker.onWatermark(1, 12);
    tracker.onIdle(0);
    expect(tracker.watermark).toBe(12);
    expect(tracker.onIdle(1)).toEqual([IDLE]);
  });

  it('a returning channel behind the watermark rejoins only once it catches up', () => {
    const tracker = new WatermarkTracker(2);
    tracker.onWatermark(0, 5);
    tracker.onWatermark(1, 5);
    tracker.onIdle(1);
    tracker.onWatermark(0, 20);
    expect(tracker.watermark).toBe(20);
    // Channel 1 comes back at 8 < 20: active but unaligned, it does not pull the output down.
    expect(tracker.onWatermark(1, 8)).toEqual([]);
    expect(tracker.isChannelIdle(1)).toBe(false);
    expect(tracker.onWatermark(0, 30)).toEqual([wm(30)]);
    // At 25 it is still behind the output (30), so still unaligned; at 31 it rejoins.
    expect(tracker.onWatermark(1, 25)).toEqual([]);
    expect(tracker.onWatermark(1, 31)).toEqual([]);
    expect(tracker.onWatermark(0, 40)).toEqual([wm(31)]);
  });

  it('reactivates on a record; the whole input leaves idleness', () => {
    const tracker = new WatermarkTracker(1);
    tracker.onWatermark(0, 3);
    expect(tracker.onIdle(0)).toEqual([IDLE]);
    expect(tracker.onActivity(0)).toEqual([]);
    expect(tracker.isIdle).toBe(false);
    expect(tracker.onWatermark(0, 4)).toEqual([wm(4)]);
  });

  it('treats end-of-partition as a final +Infinity watermark', () => {
    const tracker = new WatermarkTracker(2);
    tracker.onWatermark(0, 10);
    tracker.onWatermark(1, 4);
    expect(tracker.onEndOfPartition(1)).toEqual([wm(10)]);
    expect(tracker.onEndOfPartition(0)).toEqual([wm(Number.POSITIVE_INFINITY)]);
    expect(() => tracker.onWatermark(0, 50)).toThrow(/end-of-partition/);
    expect(() => tracker.onActivity(1)).toThrow(/end-of-partition/);
  });

  it('rejects bad channels, NaN and bad sizes', () => {
    const tracker = new WatermarkTracker(2);
    expect(() => tracker.onWatermark(2, 1)).toThrow(RangeError);
    expect(() => tracker.onIdle(-1)).toThrow(RangeError);
    expect(() => tracker.onWatermark(0, Number.NaN)).toThrow(/NaN/);
    expect(() => new WatermarkTracker(0)).toThrow(RangeError);
  });

  it('keeps its invariants over random event sequences', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = new TestPrng(seed);
      const n = 1 + random.nextInt(5);
      const tracker = new WatermarkTracker(n);
      const idle = new Array<boolean>(n).fill(false);
      const everIdle = { value: false };
      const highest = new Array<number>(n).fill(Number.NEGATIVE_INFINITY);
      let last = Number.NEGATIVE_INFINITY;
      for (let step = 0; step < 60; step++) {
        const channel = random.nextInt(n);
        const roll = random.next();
        let out: readonly StreamEvent[];
        if (roll < 0.7) {
          const ts = random.nextInt(100);
          out = tracker.onWatermark(channel, ts);
          highest[channel] = Math.max(highest[channel] as number, ts);
          idle[channel] = false;
        } else if (roll < 0.85) {
          out = tracker.onIdle(channel);
          idle[channel] = true;
          everIdle.value = true;
        } else {
          out = tracker.onActivity(channel);
          idle[channel] = false;
        }
        for (const event of out) {
          if (event.type !== 'watermark') continue;
          const context = `seed ${seed} step ${step}`;
          expect(event.timestamp, context).toBeGreaterThan(last);
          expect(event.timestamp, context).toBeLessThanOrEqual(Math.max(...highest));
          last = event.timestamp;
        }
        expect(tracker.watermark).toBe(last);
        expect(tracker.isIdle, `seed ${seed}`).toBe(idle.every(Boolean));
        if (!everIdle.value) expect(tracker.watermark).toBe(Math.min(...highest));
      }
    }
  });
});

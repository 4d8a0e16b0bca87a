import { describe, expect, it } from 'vitest';
import { TaskTimeAccount } from './TaskTimeAccount';

describe('TaskTimeAccount', () => {
  it('reports zeros before any tick', () => {
    expect(new TaskTimeAccount().snapshot()).toEqual({
      busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 0, windowMs: 0,
      totalBusyMs: 0, totalBackPressuredMs: 0, totalIdleMs: 0,
    });
  });

  it('splits each tick into busy and the reason it stopped', () => {
    const account = new TaskTimeAccount(1000);
    account.recordTick(10, 4, 'idle');
    account.recordTick(10, 3, 'backpressured');
    account.recordTick(10, 10, 'idle');
    const snapshot = account.snapshot();
    expect(snapshot.windowMs).toBe(30);
    expect(snapshot.busyTimeMsPerSecond).toBeCloseTo((17 / 30) * 1000);
    expect(snapshot.idleTimeMsPerSecond).toBeCloseTo((6 / 30) * 1000);
    expect(snapshot.backPressuredTimeMsPerSecond).toBeCloseTo((7 / 30) * 1000);
    expect(snapshot).toMatchObject({ totalBusyMs: 17, totalIdleMs: 6, totalBackPressuredMs: 7 });
  });

  it('reports the last closed window once there is one', () => {
    const account = new TaskTimeAccount(100);
    for (let i = 0; i < 10; i++) account.recordTick(10, 10, 'idle');
    expect(account.snapshot().busyTimeMsPerSecond).toBe(1000);
    for (let i = 0; i < 5; i++) account.recordTick(10, 0, 'backpressured');
    // The open window (half back-pressured) is not reported until it closes.
    expect(account.snapshot().busyTimeMsPerSecond).toBe(1000);
    for (let i = 0; i < 5; i++) account.recordTick(10, 0, 'idle');
    expect(account.snapshot()).toMatchObject({
      busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 500, idleTimeMsPerSecond: 500, windowMs: 100,
    });
    expect(account.snapshot().totalBusyMs).toBe(100);
  });

  it('normalises a window that overran by a tick to its real length', () => {
    const account = new TaskTimeAccount(25);
    account.recordTick(20, 20, 'idle');
    account.recordTick(20, 0, 'idle');
    const snapshot = account.snapshot();
    expect(snapshot.windowMs).toBe(40);
    expect(snapshot.busyTimeMsPerSecond + snapshot.idleTimeMsPerSecond + snapshot.backPressuredTimeMsPerSecond).toBeCloseTo(1000);
    expect(snapshot.busyTimeMsPerSecond).toBe(500);
  });

  it('tolerates float rounding in the busy sum, nothing more', () => {
    const account = new TaskTimeAccount();
    const busy = 0.1 + 0.2;
    expect(busy).toBeGreaterThan(0.3);
    expect(() => account.recordTick(0.3, busy, 'idle')).not.toThrow();
    expect(account.snapshot().totalBusyMs).toBe(0.3);
    expect(() => account.recordTick(1, 1.01, 'idle')).toThrow(/within the tick/);
  });

  it.each([
    [0, 0, 'idle'],
    [-1, 0, 'idle'],
    [10, -1, 'idle'],
    [10, Number.NaN, 'idle'],
    [10, 1, 'sleeping'],
  ])('rejects tick %s, busy %s, reason %s', (tick, busy, reason) => {
    expect(() => new TaskTimeAccount().recordTick(tick, busy, reason as 'idle')).toThrow(RangeError);
  });

  it('rejects a bad window', () => {
    expect(() => new TaskTimeAccount(0)).toThrow(RangeError);
    expect(() => new TaskTimeAccount(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

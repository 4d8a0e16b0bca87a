// Telemetry coalescing: merged frames keep every event and recovery and the newest figures;
// the coalescer applies at most once per animation frame and interval, and at once in Node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryFrame } from '../../engine/runtime/telemetry';
import { recovery, stragglerMetrics } from '../run/viz/vizFixture';
import { frameCoalescer, mergeFrames } from './runViz';

const frame = (t: number, patch: Partial<TelemetryFrame> = {}): TelemetryFrame => ({
  status: { state: 'running', virtualTimeMs: t }, metrics: stragglerMetrics(t), events: [{ virtualTimeMs: t, kind: 'log', message: `at ${t}` }], outputs: {}, ...patch,
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('mergeFrames', () => {
  it('keeps the newer figures and every event, recovery and sink', () => {
    const a = frame(100, { recoveries: [recovery({ attempt: 1 })], outputs: { a: { committed: [], pending: [], committedCount: 1, pendingCount: 0 } } });
    const b = frame(200, { outputs: { b: { committed: [], pending: [], committedCount: 2, pendingCount: 0 } } });
    const m = mergeFrames(a, b);
    expect(m.status.virtualTimeMs).toBe(200);
    expect(m.metrics).toBe(b.metrics);
    expect(m.events.map((e) => e.message)).toEqual(['at 100', 'at 200']);
    expect(m.recoveries?.map((r) => r.attempt)).toEqual([1]);
    expect(Object.keys(m.outputs)).toEqual(['a', 'b']);
  });
});

describe('frameCoalescer', () => {
  it('applies at once where there are no animation frames', () => {
    const applied: number[] = [];
    const c = frameCoalescer((f) => applied.push(f.status.virtualTimeMs));
    c.push(frame(1));
    c.push(frame(2));
    expect(applied).toEqual([1, 2]);
  });

  it('merges the frames of one animation frame and waits out the interval', () => {
    vi.useFakeTimers();
    const callbacks: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => callbacks.push(cb));
    const applied: TelemetryFrame[] = [];
    const c = frameCoalescer((f) => applied.push(f), 200);
    c.push(frame(1));
    c.push(frame(2));
    expect(callbacks).toHaveLength(1);
    callbacks.shift()?.();
    expect(applied.map((f) => [f.status.virtualTimeMs, f.events.length])).toEqual([[2, 2]]);
    c.push(frame(3));
    expect(callbacks).toHaveLength(0); // waits out the interval first
    vi.advanceTimersByTime(200);
    expect(callbacks).toHaveLength(1);
    callbacks.shift()?.();
    expect(applied.map((f) => f.status.virtualTimeMs)).toEqual([2, 3]);
    // A control answer arrives: what is pending is applied first, so it cannot land after it.
    c.push(frame(4));
    c.flushNow();
    expect(applied.map((f) => f.status.virtualTimeMs)).toEqual([2, 3, 4]);
    c.push(frame(5));
    c.cancel();
    vi.advanceTimersByTime(200);
    callbacks.splice(0).forEach((cb) => cb());
    expect(applied).toHaveLength(3);
  });
});

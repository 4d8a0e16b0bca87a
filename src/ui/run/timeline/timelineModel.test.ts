// The timeline's buffers fed with made-up frames: samples, rescale marks, event marks (checkpoint
// events are drawn as bars, not marks), recoveries updated in place, checkpoint bars and windows.
import { describe, expect, it } from 'vitest';
import type { TelemetryFrame } from '../../../engine/runtime/telemetry';
import { checkpointsReport, checkpointStats, recovery, stragglerMetrics } from '../viz/vizFixture';
import { nearestSample, thin, TimelineData, visibleWindow } from './timelineModel';

const frame = (t: number, patch: Partial<TelemetryFrame> = {}): TelemetryFrame => ({
  status: { state: 'running', virtualTimeMs: t }, metrics: stragglerMetrics(t), events: [], outputs: {}, ...patch,
});

describe('TimelineData', () => {
  it('samples throughput once per virtual instant, sinks by their input rate', () => {
    const tl = new TimelineData(new Set(['out']));
    expect(tl.recordFrame(frame(100))).toBe(true);
    expect(tl.recordFrame(frame(100))).toBe(false);
    tl.recordFrame(frame(200));
    const samples = tl.samples.toArray();
    expect(samples.map((s) => s.t)).toEqual([100, 200]);
    expect(samples[0]?.rates).toEqual({ src: 90, work: 90, out: 100 });
    expect(tl.now).toBe(200);
  });

  it('marks failures, faults and rescales; leaves checkpoint events to the bars', () => {
    const tl = new TimelineData();
    tl.recordFrame(frame(100, { events: [
      { virtualTimeMs: 90, kind: 'fault-injected', message: 'kill', operatorId: 'work', subtask: 1 },
      { virtualTimeMs: 95, kind: 'task-failed', message: 'Work #1 was killed', operatorId: 'work', subtask: 1 },
      { virtualTimeMs: 96, kind: 'checkpoint-triggered', message: 'ck' },
    ] }));
    const rescaled = frame(300);
    rescaled.metrics.subtasks = rescaled.metrics.subtasks.filter((s) => !(s.operatorId === 'work' && s.index === 3));
    tl.recordFrame(rescaled);
    expect(tl.marks.toArray().map((m) => [m.kind, m.label])).toEqual([
      ['fault', 'kill'], ['failure', 'Work #1 was killed'], ['rescale', 'work rescaled 4 → 3'],
    ]);
  });

  it('updates a recovery in place when it resumes, and keeps checkpoints with their region status', () => {
    const tl = new TimelineData();
    const { resumedMs: _, ...pending } = recovery();
    tl.recordFrame(frame(100, { recoveries: [pending], checkpoints: checkpointsReport([checkpointStats(1, { status: 'in-progress' })]) }), () => 'restarting');
    tl.recordFrame(frame(200, { recoveries: [recovery()], checkpoints: checkpointsReport([checkpointStats(1), checkpointStats(2, { status: 'failed', regions: [{ region: 1, status: 'failed', snapshotId: 1 }] })]) }), (r) => (r.resumedMs ? 'done' : 'restarting'));
    const marks = tl.marks.toArray();
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ kind: 'recovery', label: 'done', endT: 7400 });
    expect(tl.checkpointBars().map((c) => [c.id, c.status, c.regions[0]?.status])).toEqual([[1, 'completed', 'acknowledged'], [2, 'failed', 'failed']]);
    expect(tl.regionIds()).toEqual([1]);
  });

  it('draws a JobManager takeover as one leader mark, and closes the checkpoint its dead leader left in progress', () => {
    const tl = new TimelineData();
    tl.recordFrame(frame(100, { checkpoints: checkpointsReport([checkpointStats(3, { status: 'in-progress' })]) }));
    tl.recordFrame(frame(200, {
      events: [
        { virtualTimeMs: 150, kind: 'jobmanager-lost', message: 'jobmanager-1 was lost' },
        { virtualTimeMs: 150, kind: 'leader-elected', message: 'jobmanager-2 was elected' },
        { virtualTimeMs: 150, kind: 'jobmanager-reconciled', message: 'jobmanager-2 reconciled' },
      ],
      checkpoints: checkpointsReport([checkpointStats(5, { triggerMs: 180 })]),
    }));
    expect(tl.marks.toArray().map((m) => [m.kind, m.label])).toEqual([['leader', 'jobmanager-2 reconciled']]);
    expect(tl.checkpointBars().map((c) => [c.id, c.status, c.endMs])).toEqual([[3, 'failed', 180], [5, 'completed', expect.any(Number)]]);
  });
});

describe('timeline windows', () => {
  it('zooms into the newest part and pans back within the run', () => {
    expect(visibleWindow(0, 10_000, 1, 0)).toEqual([0, 10_000]);
    expect(visibleWindow(0, 10_000, 4, 0)).toEqual([7500, 10_000]);
    expect(visibleWindow(0, 10_000, 4, 5000)).toEqual([2500, 5000]);
    expect(visibleWindow(0, 10_000, 4, 1e9)).toEqual([0, 2500]);
  });
  it('finds the nearest sample and thins long series', () => {
    const samples = [0, 100, 200, 300].map((t) => ({ t, rates: {} }));
    expect(nearestSample(samples, 140)?.t).toBe(100);
    expect(nearestSample(samples, 260)?.t).toBe(300);
    expect(nearestSample([], 1)).toBeUndefined();
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const thinned = thin(many, 100);
    expect(thinned.length).toBeLessThanOrEqual(101);
    expect(thinned[thinned.length - 1]).toBe(999);
  });
});

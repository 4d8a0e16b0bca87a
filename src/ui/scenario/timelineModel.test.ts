import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../engine/scenario';
import { axisTicks, entryLabel, formatVirtualMs, outcomeLabel, paceDelayMs, timelineMarks } from './timelineModel';

const timeline: TimelineEntry[] = [
  { atMs: 0, do: 'note', text: 'Start.' },
  { atMs: 100, do: 'kill-task', operator: 'triple', subtask: 1, text: 'Kill.' },
  { atMs: 200, do: 'rescale', operator: null, parallelism: 4 },
  { atMs: 5000, do: 'slow-task', operator: 'work', subtask: 2, factor: 10 },
];

describe('timelineMarks', () => {
  it('places marks along the axis by atMs, by kind, in lanes when they crowd', () => {
    const marks = timelineMarks(timeline, 10_000);
    expect(marks.map((m) => [m.x, m.kind, m.lane])).toEqual([[0, 'note', 0], [0.01, 'fault', 1], [0.02, 'operation', 2], [0.5, 'fault', 0]]);
    expect(marks[1]).toMatchObject({ label: 'kill triple#1', text: 'Kill.' });
    expect(marks[2]?.text).toBeUndefined();
  });
  it('reuses the oldest lane when three lanes are taken', () => {
    const crowded: TimelineEntry[] = [0, 1, 2, 3].map((i) => ({ atMs: i, do: 'note', text: `${i}` }));
    expect(timelineMarks(crowded, 1000).map((m) => m.lane)).toEqual([0, 1, 2, 0]);
  });
});

describe('labels and axis', () => {
  it('names entries in a few words', () => {
    expect(entryLabel({ atMs: 0, do: 'rescale', operator: null, parallelism: 4 })).toBe('rescale job to 4');
    expect(entryLabel({ atMs: 0, do: 'set-channel-selection', selection: 'backlog', edge: 'a->b' })).toBe('backlog on a->b');
    expect(entryLabel({ atMs: 0, do: 'fail-checkpoint', region: 2 })).toBe('fail checkpoint in region 2');
  });
  it('ticks at round steps covering the duration', () => {
    expect(axisTicks(8000)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(axisTicks(6000)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(axisTicks(0)).toEqual([0]);
  });
  it('formats virtual times and outcomes', () => {
    expect(formatVirtualMs(2500)).toBe('2.5 s');
    expect(formatVirtualMs(3000)).toBe('3 s');
    expect(formatVirtualMs(800)).toBe('800 ms');
    expect(outcomeLabel(undefined)).toBe('not reached yet');
    expect(outcomeLabel({ index: 0, atMs: 0, do: 'trigger-checkpoint', applied: true, message: 'checkpoint 3' })).toBe('applied (checkpoint 3)');
    expect(outcomeLabel({ index: 0, atMs: 0, do: 'rescale', applied: false, message: 'no' })).toBe('not applied: no');
  });
});

describe('paceDelayMs', () => {
  it('keeps the speed, never waits a negative time, and never waits at max', () => {
    expect(paceDelayMs(100, 1, 30)).toBe(70);
    expect(paceDelayMs(100, 2, 10)).toBe(40);
    expect(paceDelayMs(100, 0.5, 10)).toBe(190);
    expect(paceDelayMs(100, 1, 500)).toBe(0);
    expect(paceDelayMs(1000, 'max', 0)).toBe(0);
  });
});

// Pure helpers of the live visualisation on made-up telemetry: ring buffer, recovery captions,
// backpressure origin, per-receiver channel figures, barrier positions and region statuses.
import { describe, expect, it } from 'vitest';
import { indexMetrics } from '../../model/runMetrics';
import { backpressureOrigin } from './backpressure';
import { barrierPositions, inFlight, pointOnBezier } from './barriers';
import { backlogSkew, channelsByEdge, receiverFigures } from './channels';
import { recoveryCaption } from './recovery';
import { regionStatuses, regionStatusText } from './regionStatus';
import { RingBuffer } from './ringBuffer';
import { checkpointsReport, checkpointStats, recovery, stragglerMetrics, subtask, vizJob } from './vizFixture';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
    expect(ring.at(0)).toBe(3);
    expect(ring.last()).toBe(5);
    expect(ring.pushed).toBe(5);
    ring.replaceLast(50);
    expect(ring.toArray()).toEqual([3, 4, 50]);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('recoveryCaption', () => {
  const job = vizJob();
  it('names the region, the checkpoint and the number of subtasks', () => {
    expect(recoveryCaption(recovery(), job)).toBe('Region 2 restarted from checkpoint 7 (3 subtasks)');
  });
  it('says who restarted under approximate recovery and what was lost', () => {
    const r = recovery({ strategy: 'approximate', regions: [], restarted: [{ operatorId: 'work', index: 1 }], recordsLost: 412 });
    expect(recoveryCaption(r, job)).toBe('Only Work #1 restarted (approximate) — 412 records lost');
  });
  it('covers full restarts, the beginning, mixed checkpoints and a restart still under way', () => {
    expect(recoveryCaption(recovery({ strategy: 'full', restoredFrom: [{ operatorId: 'src', index: 0, checkpointId: 0 }] }), job))
      .toBe('Whole job restarted from the beginning (no checkpoint yet) (3 subtasks)');
    expect(recoveryCaption(recovery({ regions: [1, 3], restoredFrom: [{ operatorId: 'src', index: 0, checkpointId: 5 }, { operatorId: 'out', index: 0, checkpointId: 7 }] }), job))
      .toBe('Regions 1, 3 restarted from checkpoints 5 and 7 (3 subtasks)');
    const { resumedMs: _, ...pending } = recovery({ restoredFrom: [] });
    expect(recoveryCaption(pending, job)).toBe('Region 2 restarting (3 subtasks)…');
  });
});

describe('backpressureOrigin', () => {
  it('finds the busy, not back-pressured receivers below back-pressured senders', () => {
    const origin = backpressureOrigin(vizJob(), indexMetrics(stragglerMetrics(), null));
    expect([...origin.edges]).toEqual(['src->work']);
    expect([...origin.operators]).toEqual(['work']);
    expect([...origin.subtasks]).toEqual(['work#1']);
  });
  it('finds nothing when nothing is back-pressured', () => {
    const m = stragglerMetrics();
    m.subtasks = m.subtasks.map((s) => ({ ...s, backPressuredMsPerSecond: 0 }));
    expect(backpressureOrigin(vizJob(), indexMetrics(m, null)).edges.size).toBe(0);
    expect(backpressureOrigin(null, null).edges.size).toBe(0);
  });
});

describe('receiverFigures', () => {
  it('sums channels per receiving subtask; the straggler shows as skew', () => {
    const list = receiverFigures(channelsByEdge(stragglerMetrics()).get('src->work'));
    expect(list.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(list[1]).toMatchObject({ backlog: 20, recordsPerSecond: 60, channels: 2 });
    expect(backlogSkew(list)).toBe(4);
    expect(backlogSkew([])).toBe(1);
  });
});

describe('barriers', () => {
  const job = vizJob();
  const parallelism = (id: string) => job.operators.find((o) => o.id === id)?.parallelism ?? 1;
  it('places the barrier by the acked share of senders and receivers', () => {
    const c = checkpointStats(3, {
      status: 'in-progress', subtasks: [
        { operatorId: 'src', index: 0, ackMs: 1, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0 },
        { operatorId: 'src', index: 1, ackMs: 1, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0 },
        { operatorId: 'work', index: 0, ackMs: 1, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0 },
      ],
    });
    expect(inFlight([checkpointStats(2), c])?.id).toBe(3);
    const positions = barrierPositions(job, c, parallelism);
    expect(positions.get('src->work')).toMatchObject({ checkpointId: 3, t: 0.625, sendersAcked: 2, receiversAcked: 1 });
    expect(positions.get('work->out')).toMatchObject({ t: 0.125 });
    expect(barrierPositions(job, checkpointStats(2), parallelism).size).toBe(0);
  });
  it('follows xyflow bezier ends', () => {
    expect(pointOnBezier(0, 0, 100, 50, 0)).toEqual({ x: 0, y: 0 });
    expect(pointOnBezier(0, 0, 100, 50, 1)).toEqual({ x: 100, y: 50 });
    expect(pointOnBezier(0, 0, 100, 50, 0.5)).toEqual({ x: 50, y: 25 });
  });
});

describe('regionStatuses', () => {
  it('tells acked, fell back and in flight per region', () => {
    const regions = [{ id: 1, subtasks: [{ operatorId: 'src', index: 0 }] }, { id: 2, subtasks: [{ operatorId: 'src', index: 1 }] }];
    const done = checkpointStats(4, { status: 'completed', regions: [{ region: 1, status: 'acknowledged', snapshotId: 4 }, { region: 2, status: 'failed', snapshotId: 2 }] });
    const flying = checkpointStats(5, { status: 'in-progress', regions: [], subtasks: [{ operatorId: 'src', index: 0, ackMs: 1, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0 }] });
    const statuses = regionStatuses(regions, checkpointsReport([done, flying]), [recovery({ regions: [2] })]);
    expect(statuses.map(regionStatusText)).toEqual(['✓ 4 · … 5: 1/1', '↺ 2 · … 5: 0/1']);
    expect(statuses[1]?.restarts).toBe(1);
    expect(regionStatuses(regions, null, [])[0]).toEqual({ region: 1, subtasks: 1, restarts: 0 });
  });
  it('uses the subtask fixture defaults', () => {
    expect(subtask('a', 1).taskManager).toBe(1);
  });
});

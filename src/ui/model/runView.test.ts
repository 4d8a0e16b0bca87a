import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { DEFAULT_RUN_CONFIG } from '../../engine/runtime/runConfig';
import type { MetricsSnapshot, RunEvent, SubtaskMetrics } from '../../engine/runtime/telemetry';
import { causeChain, rootCause } from './failure';
import { cellText, outputColumns, outputRows } from './outputTable';
import { appendEvents, EMPTY_LOG, filterEvents } from './runEvents';
import { formatCompact, formatRate, formatRatio, formatSpeed, formatVirtualTime } from './runFormat';
import { indexMetrics, operatorRunState } from './runMetrics';
import { runBlocker } from './runReadiness';
import { blendRatios, subtaskLook } from './subtaskColours';

const subtask = (operatorId: string, index: number, patch: Partial<SubtaskMetrics> = {}): SubtaskMetrics => ({
  operatorId, index, taskManager: 0, state: 'running', recordsIn: 0, recordsOut: 0, recordsInPerSecond: 0,
  recordsOutPerSecond: 0, busyMsPerSecond: 0, idleMsPerSecond: 1000, backPressuredMsPerSecond: 0,
  watermark: null, lateRecordsDropped: 0, slowFactor: 1, ...patch,
});

const snapshot = (records: number): MetricsSnapshot => ({
  virtualTimeMs: records,
  operators: [
    { operatorId: 'a', recordsIn: 0, recordsOut: records, recordsInPerSecond: 0, recordsOutPerSecond: 10, backPressuredMsPerSecond: 0 },
    { operatorId: 'b', recordsIn: 5, recordsOut: 5, recordsInPerSecond: 1, recordsOutPerSecond: 1, backPressuredMsPerSecond: 0 },
  ],
  subtasks: [subtask('a', 1, { recordsOut: records }), subtask('a', 0), subtask('b', 0)],
  channels: [
    { edgeId: 'a->b', from: { operatorId: 'a', index: 0 }, to: { operatorId: 'b', index: 0 }, recordsOut: 3, recordsPerSecond: 2, backlog: 1, credit: 2 },
    { edgeId: 'a->b', from: { operatorId: 'a', index: 1 }, to: { operatorId: 'b', index: 0 }, recordsOut: 4, recordsPerSecond: 5, backlog: 3, credit: 0 },
  ],
  taskManagers: [],
});

describe('run formatting', () => {
  it('writes virtual time as mm:ss.mmm', () => {
    expect(formatVirtualTime(0)).toBe('00:00.000');
    expect(formatVirtualTime(83_456)).toBe('01:23.456');
    expect(formatVirtualTime(3_723_004)).toBe('1:02:03.004');
    expect(formatVirtualTime(-5)).toBe('00:00.000');
  });
  it('writes counts and rates compactly', () => {
    expect(formatCompact(999)).toBe('999');
    expect(formatCompact(9999)).toBe('9,999');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(123_456)).toBe('123k');
    expect(formatCompact(1_250_000)).toBe('1.25M');
    expect(formatCompact(2.5)).toBe('2.5');
    expect(formatRate(2000)).toBe('2k/s');
    expect(formatRate(12_540)).toBe('12.5k/s');
    expect(formatRate(950)).toBe('950/s');
    expect(formatRate(2.5)).toBe('2.5/s');
    expect(formatSpeed(0.25)).toBe('0.25×');
    expect(formatSpeed('max')).toBe('max');
    expect(formatRatio(625)).toBe('63%');
  });
});

describe('metrics index', () => {
  it('groups subtasks by operator in index order and sums channels per edge', () => {
    const index = indexMetrics(snapshot(10), null);
    expect(index.subtasks.get('a')?.map((s) => s.index)).toEqual([0, 1]);
    expect(index.edges.get('a->b')).toMatchObject({ recordsOut: 7, recordsPerSecond: 7, backlog: 4, maxChannelBacklog: 3, channels: 2 });
  });
  it('keeps unchanged entries so narrow selectors do not re-render', () => {
    const first = indexMetrics(snapshot(10), null);
    const second = indexMetrics(snapshot(20), first);
    expect(second.operators.get('b')).toBe(first.operators.get('b'));
    expect(second.operators.get('a')).not.toBe(first.operators.get('a'));
    expect(second.subtasks.get('b')).toBe(first.subtasks.get('b'));
    expect(second.subtasks.get('a')).not.toBe(first.subtasks.get('a'));
    expect(second.subtasks.get('a')?.[0]).toBe(first.subtasks.get('a')?.[0]);
    expect(second.edges.get('a->b')).toBe(first.edges.get('a->b'));
  });
  it('derives an operator state from its subtasks', () => {
    expect(operatorRunState([subtask('a', 0), subtask('a', 1, { state: 'failed' })])).toBe('failed');
    expect(operatorRunState([subtask('a', 0, { state: 'finished' })])).toBe('finished');
    expect(operatorRunState(undefined)).toBe('unknown');
  });
});

describe('subtask colours', () => {
  it('blends busy towards red, idle towards blue, back-pressure towards black with hatching', () => {
    expect(blendRatios(1000, 0, 0, 'light')?.fill).toBe('#d55e00');
    expect(blendRatios(0, 1000, 0, 'light')?.fill).toBe('#56b4e9');
    expect(blendRatios(0, 0, 1000, 'light')).toMatchObject({ fill: '#2b2b2b', text: '#ffffff', hatch: 1 });
    expect(blendRatios(500, 500, 0, 'light')?.hatch).toBe(0);
    expect(blendRatios(0, 0, 0, 'light')).toBeNull();
  });
  it('marks failed and finished subtasks with an icon, not only a colour', () => {
    expect(subtaskLook(subtask('a', 0, { state: 'failed' }), 'light').mark).toBe('✕');
    expect(subtaskLook(subtask('a', 0, { state: 'finished' }), 'dark').mark).toBe('✓');
    expect(subtaskLook(subtask('a', 0), 'light').mark).toBeNull();
  });
});

describe('event log', () => {
  const ev = (i: number, kind: RunEvent['kind'] = 'log'): RunEvent => ({ virtualTimeMs: i, kind, message: `event ${i}` });
  it('keeps the newest events within the bound and counts the dropped ones', () => {
    let log = EMPTY_LOG;
    log = appendEvents(log, [ev(1), ev(2), ev(3)], 4);
    log = appendEvents(log, [ev(4), ev(5), ev(6)], 4);
    expect(log.events.map((e) => e.virtualTimeMs)).toEqual([3, 4, 5, 6]);
    expect(log.dropped).toBe(2);
    expect(appendEvents(log, [], 4)).toBe(log);
  });
  it('filters by group and words', () => {
    const events = [ev(1, 'task-failed'), ev(2, 'fault-injected'), { ...ev(3, 'log'), operatorId: 'count' }];
    expect(filterEvents(events, 'failures', '')).toHaveLength(1);
    expect(filterEvents(events, 'all', 'COUNT')).toEqual([events[2]]);
  });
});

describe('failure cause chain', () => {
  const job: JobGraph = { sluice: 'job/1', name: 'J', operators: [{ id: 'count', kind: 'aggregate', name: 'Count per word', parallelism: 2 }], edges: [] };
  it('lists causes outermost first with operator names', () => {
    const failure = {
      code: 'job.failed', message: 'The job failed.',
      cause: { code: 'task.userFunction', message: "'-' is not defined for text and number", operatorId: 'count', subtask: 1, taskManager: 0 },
    };
    expect(causeChain(failure, job)).toEqual([
      { code: 'job.failed', message: 'The job failed.', where: '' },
      { code: 'task.userFunction', message: "'-' is not defined for text and number", where: 'Count per word (count) · subtask 1 · TaskManager 0' },
    ]);
    expect(rootCause(failure).code).toBe('task.userFunction');
  });
});

describe('run readiness', () => {
  const valid: JobGraph = {
    sluice: 'job/1', name: 'R',
    operators: [{ id: 's', kind: 'datagen', name: 'S', parallelism: 8 }, { id: 'o', kind: 'collect', name: 'O', parallelism: 1 }],
    edges: [{ from: 's', to: 'o', partitioner: 'rebalance' }],
  };
  it('says why a job cannot run: empty, invalid, bad setting, too few slots', () => {
    expect(runBlocker({ ...valid, operators: [], edges: [] }, DEFAULT_RUN_CONFIG)).toMatch(/empty/);
    expect(runBlocker({ ...valid, edges: [] }, DEFAULT_RUN_CONFIG)).toMatch(/Fix \d+ problem/);
    expect(runBlocker(valid, { ...DEFAULT_RUN_CONFIG, seed: -1 })).toMatch(/seed/);
    expect(runBlocker(valid, { ...DEFAULT_RUN_CONFIG, taskManagers: 1, slotsPerTaskManager: 4 })).toMatch(/needs 8 slots/);
    expect(runBlocker(valid, DEFAULT_RUN_CONFIG)).toBeNull();
  });
});

describe('output table', () => {
  it('puts the usual fields first and pending records above committed ones', () => {
    expect(outputColumns([{ extra: 1, value: 2 }, { key: 'a', ts: 3 }])).toEqual(['key', 'value', 'ts', 'extra']);
    const rows = outputRows({ committed: [{ key: 'a' }, { key: 'b' }], pending: [{ key: 'c' }], committedCount: 2, pendingCount: 1 });
    expect(rows.map((r) => `${r.status}:${String(r.record.key)}`)).toEqual(['pending:c', 'committed:b', 'committed:a']);
    expect(cellText(null)).toBe('—');
    expect(cellText('<b>x</b>')).toBe('<b>x</b>');
  });
});

import { describe, expect, it } from 'vitest';
import { CollectSink, mergeSinkOutputs } from './collectSink';
import { CountingDiscardSink } from './countingDiscardSink';
import { SampledLogSink } from './sampledLogSink';
import { at, harness } from './testing/operatorHarness';

const values = (records: readonly { value?: unknown }[]) => records.map((r) => r.value);
const batch = (...vs: number[]) => vs.map((v) => at(v, { value: v }));

describe('collect (two-phase commit ready)', () => {
  it('records stay pending until their checkpoint completes', () => {
    const h = harness('collect');
    const sink = h.runner.operator as CollectSink;
    h.push(batch(1, 2));
    h.runner.snapshot(1);
    h.push(batch(3));
    expect(values(sink.output().pending)).toEqual([1, 2, 3]);
    expect(sink.output().committedCount).toBe(0);
    h.runner.notifyCheckpointComplete(1);
    expect(values(sink.output().committed)).toEqual([1, 2]);
    expect(values(sink.output().pending)).toEqual([3]);
  });

  it('completion of a later checkpoint commits earlier transactions too, in order', () => {
    const h = harness('collect');
    const sink = h.runner.operator as CollectSink;
    h.push(batch(1));
    h.runner.snapshot(1);
    h.push(batch(2));
    h.runner.snapshot(2);
    h.runner.notifyCheckpointComplete(2);
    expect(values(sink.output().committed)).toEqual([1, 2]);
    expect(sink.output().pendingCount).toBe(0);
  });

  it('restore commits the snapshot\'s pending transactions once and drops the open one', () => {
    const h = harness('collect');
    const sink = h.runner.operator as CollectSink;
    h.push(batch(1));
    const snap = h.runner.snapshot(1) as { operator: Record<string, unknown> };
    h.push(batch(2));
    h.runner.restore({ operator: snap.operator, keyed: [], timers: [] });
    h.runner.restore({ operator: snap.operator, keyed: [], timers: [] });
    expect(values(sink.output().committed)).toEqual([1]);
    expect(sink.output().pending).toEqual([]);
  });

  it('commitAll commits everything at the end of a bounded input', () => {
    const h = harness('collect');
    const sink = h.runner.operator as CollectSink;
    h.push(batch(1));
    h.runner.snapshot(1);
    h.push(batch(2));
    sink.commitAll();
    expect(values(sink.output().committed)).toEqual([1, 2]);
  });

  it('keeps only the most recent keepRecords committed records; counts cover all', () => {
    const h = harness('collect', { config: { keepRecords: 3 } });
    const sink = h.runner.operator as CollectSink;
    h.push(batch(1, 2, 3, 4, 5));
    sink.commitAll();
    expect(values(sink.output().committed)).toEqual([3, 4, 5]);
    expect(sink.output().committedCount).toBe(5);
    const none = harness('collect', { config: { keepRecords: 0 } });
    none.push(batch(1));
    (none.runner.operator as CollectSink).commitAll();
    expect((none.runner.operator as CollectSink).output()).toMatchObject({ committed: [], committedCount: 1 });
  });

  it('merges subtask outputs in subtask order', () => {
    const merged = mergeSinkOutputs([
      { committed: [{ value: 1 }], pending: [], committedCount: 1, pendingCount: 0 },
      { committed: [{ value: 2 }], pending: [{ value: 3 }], committedCount: 1, pendingCount: 1 },
    ]);
    expect(merged).toEqual({ committed: [{ value: 1 }, { value: 2 }], pending: [{ value: 3 }], committedCount: 2, pendingCount: 1 });
  });
});

describe('log and discard sinks', () => {
  it('log writes the first record and then one in every N, with operator, subtask and time', () => {
    const h = harness('log', { config: { every: 3 } });
    h.clock.set(77);
    h.push(batch(0, 1, 2, 3));
    h.push(batch(4, 5, 6));
    expect(h.logs.map((l) => l.record.value)).toEqual([0, 3, 6]);
    expect(h.logs[0]).toMatchObject({ operatorId: 'log-op', subtaskIndex: 0, virtualTimeMs: 77, timestamp: 0 });
    expect((h.runner.operator as SampledLogSink).loggedCount).toBe(3);
  });

  it('discard counts and emits nothing', () => {
    const h = harness('discard');
    expect(h.push(batch(1, 2, 3))).toEqual([]);
    expect((h.runner.operator as CountingDiscardSink).discardedCount).toBe(3);
    expect(h.runner.ctx.counters).toMatchObject({ recordsIn: 3, recordsOut: 0 });
  });
});

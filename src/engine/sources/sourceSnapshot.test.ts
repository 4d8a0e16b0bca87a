/**
 * Replayable sources for checkpoints: run N, snapshot, run M, restore, run M again → the same
 * records and the same events (watermarks, idle, end), under the seed.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorSpec } from '../job/types';
import type { StreamEvent, TimedRecord } from '../runtime/types';
import { createSource } from './createSource';
import { MAX_WATERMARK, type SourceSubtask } from './SourceSubtask';

type Spec = Pick<OperatorSpec, 'id' | 'kind' | 'config'>;

interface Trace {
  records: TimedRecord[];
  events: StreamEvent[];
  perTick: number[];
}

/** Polls tick by tick over (fromMs, untilMs], with a per-partition cap like a back-pressured source. */
function run(source: SourceSubtask, fromMs: number, untilMs: number, cap = Number.POSITIVE_INFINITY, tickMs = 10): Trace {
  const trace: Trace = { records: [], events: [], perTick: [] };
  const sink = { emit: (record: TimedRecord['record'], timestamp: number | null) => trace.records.push({ record, timestamp }) };
  for (let t = fromMs + tickMs; t <= untilMs; t += tickMs) {
    const result = source.poll(t, sink, cap);
    trace.perTick.push(result.emitted);
    trace.events.push(...result.events);
  }
  return trace;
}

const eventTimeDatagen: Spec = {
  id: 'gen', kind: 'datagen',
  config: { eventTime: true, outOfOrdernessMs: 40, partitions: 3, ratePerSecond: 700, distribution: 'zipf' },
};

describe('source snapshots', () => {
  it('restore replays exactly: records, watermarks and per-tick counts', () => {
    const source = createSource(eventTimeDatagen, { seed: 11, parallelism: 1, subtaskIndex: 0 });
    run(source, 0, 300, 5);
    const snapshot = structuredClone(source.snapshot());
    const first = run(source, 300, 900, 5);
    source.restore(snapshot, 300);
    const second = run(source, 300, 900, 5);
    expect(first.records.length).toBeGreaterThan(100);
    expect(first.events.some((e) => e.type === 'watermark')).toBe(true);
    expect(second).toEqual(first);
  });

  it('a fresh subtask restored from the snapshot continues like the original (a restarted task)', () => {
    const original = createSource(eventTimeDatagen, { seed: 5, parallelism: 2, subtaskIndex: 1 });
    run(original, 0, 450);
    const snapshot = JSON.parse(JSON.stringify(original.snapshot())) as ReturnType<SourceSubtask['snapshot']>;
    const expected = run(original, 450, 1_000);
    const restarted = createSource(eventTimeDatagen, { seed: 5, parallelism: 2, subtaskIndex: 1 });
    restarted.restore(snapshot, 450);
    expect(run(restarted, 450, 1_000)).toEqual(expected);
  });

  it('keeps idleness and the end of a bounded source across a restore', () => {
    const spec: Spec = { id: 'seq', kind: 'sequence', config: { from: 1, to: 30, partitions: 2, ratePerSecond: 100 } };
    const source = createSource(spec, { seed: 1, parallelism: 1, subtaskIndex: 0, idleTimeoutMs: 50 });
    run(source, 0, 100);
    const snapshot = source.snapshot();
    const first = run(source, 100, 400);
    expect(first.events.at(-1)).toEqual({ type: 'end-of-partition' });
    source.restore(snapshot, 100);
    expect(run(source, 100, 400)).toEqual(first);
    const done = source.snapshot();
    expect(done).toMatchObject({ status: 'finished', lastWatermark: null });
    source.restore(done, 400);
    expect(source.currentWatermark).toBe(MAX_WATERMARK);
    expect(run(source, 400, 450).records).toEqual([]);
  });

  it('rescale: partitions continue from their own offsets at another parallelism', () => {
    const spec: Spec = { id: 'gen', kind: 'datagen', config: { partitions: 4, ratePerSecond: 400 } };
    const before = [0, 1].map((i) => createSource(spec, { seed: 9, parallelism: 2, subtaskIndex: i }));
    for (const s of before) run(s, 0, 200);
    const snapshots = before.map((s) => s.snapshot());
    const reference = createSource(spec, { seed: 9, parallelism: 1, subtaskIndex: 0 });
    run(reference, 0, 200);
    const merged = createSource(spec, { seed: 9, parallelism: 1, subtaskIndex: 0 });
    merged.restore(snapshots, 200);
    expect(merged.offsets()).toEqual(reference.offsets());
    expect(run(merged, 200, 500).records).toEqual(run(reference, 200, 500).records);
  });

  it('refuses another source\'s snapshot', () => {
    const a = createSource(eventTimeDatagen, { seed: 1, parallelism: 1, subtaskIndex: 0 });
    const b = createSource({ ...eventTimeDatagen, id: 'other' }, { seed: 1, parallelism: 1, subtaskIndex: 0 });
    expect(() => b.restore(a.snapshot())).toThrow(/cannot restore/);
  });
});

import { describe, expect, it } from 'vitest';
import type { OperatorSpec } from '../job/types';
import type { StreamEvent, TimedRecord } from '../runtime/types';
import { createSource, type SourceOptions } from './createSource';
import { MAX_WATERMARK, type SourceSubtask } from './SourceSubtask';
import { partitionsOfSubtask, sequenceSlice } from './sourcePartitions';

type Spec = Pick<OperatorSpec, 'id' | 'kind' | 'config'>;

const datagen = (config: Record<string, unknown> = {}): Spec => ({ id: 'gen', kind: 'datagen', config });
const sequence = (config: Record<string, unknown> = {}): Spec => ({ id: 'seq', kind: 'sequence', config });

/** Collects records and events of polls at a fixed tick. */
function run(source: SourceSubtask, untilMs: number, tickMs = 10, fromMs = 0) {
  const records: TimedRecord[] = [];
  const events: StreamEvent[] = [];
  const perTick: number[] = [];
  const sink = { emit: (record: TimedRecord['record'], timestamp: number | null) => records.push({ record, timestamp }) };
  for (let t = fromMs + tickMs; t <= untilMs; t += tickMs) {
    const result = source.poll(t, sink);
    perTick.push(result.emitted);
    events.push(...result.events);
  }
  return { records, events, perTick };
}

const options = (seed: number, parallelism = 1, subtaskIndex = 0): SourceOptions => ({ seed, parallelism, subtaskIndex });

describe('datagen partitions', () => {
  it('are deterministic: same seed, same records; another seed, other records', () => {
    const a = run(createSource(datagen(), options(7)), 1000).records;
    const b = run(createSource(datagen(), options(7)), 1000).records;
    const c = run(createSource(datagen(), options(8)), 1000).records;
    expect(a).toHaveLength(4000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('replay from a checkpointed offset gives the same suffix', () => {
    const original = createSource(datagen({ distribution: 'zipf' }), options(3));
    run(original, 500);
    const offsets = original.offsets();
    const rest = run(original, 1000, 10, 500).records;
    const replayed = createSource(datagen({ distribution: 'zipf' }), options(3));
    replayed.restoreOffsets(offsets, 500);
    expect(run(replayed, 1000, 10, 500).records).toEqual(rest);
  });

  it('emits rate × tick / 1000 per tick with a deterministic fractional carry, independent of the tick size', () => {
    const steady = run(createSource(datagen({ ratePerSecond: 1000, partitions: 1 }), options(1)), 200).perTick;
    expect(new Set(steady)).toEqual(new Set([10]));
    const fractional = run(createSource(datagen({ ratePerSecond: 333, partitions: 1 }), options(1)), 3000);
    expect(fractional.records).toHaveLength(999);
    expect(new Set(fractional.perTick)).toEqual(new Set([3, 4]));
    const fine = run(createSource(datagen({ ratePerSecond: 333, partitions: 1 }), options(1)), 3000, 1).records;
    const coarse = run(createSource(datagen({ ratePerSecond: 333, partitions: 1 }), options(1)), 3000, 250).records;
    expect(fine).toEqual(fractional.records);
    expect(coarse).toEqual(fractional.records);
  });

  it('records are {key: key-<n>, value: 1..100, ts} with ts in [generation − outOfOrderness, generation]', () => {
    const { records } = run(createSource(datagen({ keys: 50, outOfOrdernessMs: 30, partitions: 1, ratePerSecond: 1000 }), options(5)), 2000);
    records.forEach(({ record, timestamp }, offset) => {
      expect(record.key).toMatch(/^key-(\d|[1-4]\d)$/);
      expect(Number.isInteger(record.value) && (record.value as number) >= 1 && (record.value as number) <= 100).toBe(true);
      expect(timestamp).toBe(record.ts);
      expect(offset - (timestamp as number)).toBeGreaterThanOrEqual(0);
      expect(offset - (timestamp as number)).toBeLessThanOrEqual(30);
    });
    const values = new Set(records.map((r) => r.record.value));
    expect(values.size).toBe(100);
  });

  it('without event time: no timestamps, no watermarks, ts is the generation time', () => {
    const { records, events } = run(createSource(datagen({ eventTime: false, partitions: 1 }), options(1)), 100);
    expect(records.every((r) => r.timestamp === null)).toBe(true);
    expect(records[5]?.record.ts).toBe(5);
    expect(events).toEqual([]);
  });

  it('Zipf keys are skewed towards key-0; uniform keys are not', () => {
    const count = (distribution: string) => {
      const { records } = run(createSource(datagen({ keys: 1000, distribution, zipfExponent: 1.1 }), options(9)), 5000);
      return records.filter((r) => r.record.key === 'key-0').length / records.length;
    };
    expect(count('zipf')).toBeGreaterThan(0.1);
    expect(count('uniform')).toBeLessThan(0.005);
  });
});

describe('watermarks (BoundedOutOfOrdernessWatermarks per partition, min per subtask)', () => {
  it('no record is at or below a watermark the subtask emitted before it', () => {
    const source = createSource(datagen({ outOfOrdernessMs: 200, partitions: 3, ratePerSecond: 700 }), options(4));
    let watermark = -Infinity;
    let watermarks = 0;
    const sink = {
      emit: (_record: unknown, ts: number | null) => expect(ts as number).toBeGreaterThan(watermark),
    };
    for (let t = 10; t <= 3000; t += 10) {
      for (const event of source.poll(t, sink).events) {
        if (event.type !== 'watermark') continue;
        expect(event.timestamp).toBeGreaterThan(watermark);
        watermark = event.timestamp;
        watermarks++;
      }
    }
    expect(watermarks).toBeGreaterThan(100);
    // Three partitions at 700/s: each trails its newest record by the 200 ms bound, plus jitter.
    expect(watermark).toBeGreaterThan(3000 - 200 - 50);
  });

  it('the subtask watermark is the minimum over its partitions', () => {
    // Partition 0 at 1000/s, partition 1 at the same rate: the minimum trails both.
    const source = createSource(sequence({ from: 1, to: 1_000_000, partitions: 2, ratePerSecond: 1000 }), options(1));
    const { events } = run(source, 100);
    const last = events.filter((e) => e.type === 'watermark').pop();
    expect(last).toEqual({ type: 'watermark', timestamp: 98 });
  });

  it('idle partitions (withIdleness) do not hold the watermark back; a subtask with none active says idle once', () => {
    const source = createSource(datagen({ ratePerSecond: 1, partitions: 1, outOfOrdernessMs: 0 }), { ...options(1), idleTimeoutMs: 100 });
    const { events } = run(source, 900);
    expect(events).toEqual([{ type: 'watermark', timestamp: -1 }, { type: 'idle' }]);
    expect(source.status).toBe('idle');
    const more = run(source, 1100, 10, 900).events;
    expect(more).toEqual([{ type: 'watermark', timestamp: 999 }]);
    expect(source.status).toBe('active');
  });
});

describe('partition assignment and bounded sources', () => {
  it('partition i goes to subtask i % parallelism', () => {
    expect([0, 1, 2].map((i) => partitionsOfSubtask(4, 3, i))).toEqual([[0, 3], [1], [2]]);
    expect(partitionsOfSubtask(2, 4, 3)).toEqual([]);
    expect(createSource(datagen({ partitions: 5 }), options(1, 2, 1)).partitions).toEqual([1, 3]);
  });

  it('a subtask without partitions is idle (unbounded) or finished at once (bounded)', () => {
    const idle = createSource(datagen({ partitions: 1 }), options(1, 2, 1));
    expect(run(idle, 50).events).toEqual([{ type: 'idle' }]);
    const done = createSource(sequence({ partitions: 1 }), options(1, 2, 1));
    expect(run(done, 20).events).toEqual([{ type: 'watermark', timestamp: MAX_WATERMARK }, { type: 'end-of-partition' }]);
  });

  it('a bounded datagen finishes after count records per partition with the final watermark', () => {
    const source = createSource(datagen({ bounded: true, count: 25, partitions: 2 }), options(1));
    const { records, events } = run(source, 1000);
    expect(records).toHaveLength(50);
    expect(events.slice(-2)).toEqual([{ type: 'watermark', timestamp: MAX_WATERMARK }, { type: 'end-of-partition' }]);
    expect(source.status).toBe('finished');
    expect(source.poll(2000, { emit: () => undefined })).toEqual({ emitted: 0, events: [], status: 'finished' });
  });

  it('a sequence covers from..to exactly once across partitions and subtasks, in order per partition', () => {
    const seen: number[] = [];
    for (const index of [0, 1, 2]) {
      const source = createSource(sequence({ from: -5, to: 94, partitions: 4, ratePerSecond: 1000 }), options(1, 3, index));
      const { records } = run(source, 1000);
      seen.push(...records.map((r) => r.record.value as number));
      expect(records.every((r) => r.timestamp === r.record.ts)).toBe(true);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i - 5));
    expect(sequenceSlice(1, 10, 3, 0)).toEqual({ first: 1, length: 3 });
    expect(sequenceSlice(1, 2, 4, 0)).toEqual({ first: 1, length: 0 });
  });

  it('a single sequence partition is in order: values +1, timestamps non-decreasing, watermark = ts − 1', () => {
    const source = createSource(sequence({ from: 10, to: 1000, ratePerSecond: 300 }), options(1));
    const { records, events } = run(source, 500);
    records.forEach((r, i) => {
      expect(r.record).toEqual({ key: `key-${10 + i}`, value: 10 + i, ts: Math.floor((i * 1000) / 300) });
    });
    const last = events.filter((e) => e.type === 'watermark').pop();
    expect(last).toEqual({ type: 'watermark', timestamp: (records.at(-1)?.timestamp ?? 0) - 1 });
  });

  it('rescale: offsets taken at parallelism 1 restore into 2 subtasks and continue the same streams', () => {
    const spec = datagen({ partitions: 4 });
    const whole = createSource(spec, options(2));
    run(whole, 300);
    const offsets = whole.offsets();
    const reference = run(whole, 600, 10, 300).records.map((r) => JSON.stringify(r)).sort();
    const parts = [0, 1].flatMap((index) => {
      const sub = createSource(spec, options(2, 2, index));
      sub.restoreOffsets(offsets, 300);
      return run(sub, 600, 10, 300).records.map((r) => JSON.stringify(r));
    });
    expect(parts.sort()).toEqual(reference);
  });

  it('refuses impossible subtasks and non-source kinds', () => {
    expect(() => createSource(datagen(), options(1, 2, 2))).toThrow(RangeError);
    expect(() => createSource({ id: 'm', kind: 'map' }, options(1))).toThrow(/not a source/);
  });
});

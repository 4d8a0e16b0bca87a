/**
 * `processSlice` (parallel arrays, a sub-range) must behave exactly like `processBatch` for
 * every operator that reads input: same output, same counters.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorKind } from '../job/types';
import type { StreamRecord, TimedRecord } from '../runtime/types';
import { harness } from './testing/operatorHarness';

const CASES: { kind: OperatorKind; config?: Record<string, unknown> }[] = [
  { kind: 'map', config: { field: 'value', expr: 'value * 3' } },
  { kind: 'filter', config: { expr: 'value % 2 == 0' } },
  { kind: 'flatMap', config: { field: 'part', expr: 'split(key, "-")' } },
  { kind: 'union' },
  { kind: 'aggregate', config: { fn: 'sum', field: 'value' } },
  { kind: 'dedup', config: { ttlMs: 1000 } },
  { kind: 'window', config: { type: 'tumbling', sizeMs: 20, fn: 'count' } },
  { kind: 'collect' },
  { kind: 'log', config: { every: 3 } },
  { kind: 'discard' },
];

const batch: TimedRecord[] = Array.from({ length: 40 }, (_, i) => ({ record: { key: `k-${i % 7}`, value: i, ts: i * 3 }, timestamp: i * 3 }));

describe('processSlice equals processBatch', () => {
  for (const { kind, config } of CASES) {
    it(kind, () => {
      const byBatch = harness(kind, { config });
      const bySlice = harness(kind, { config });
      const padding: TimedRecord = { record: { key: 'never', value: -1, ts: 0 }, timestamp: 0 };
      const padded = [padding, ...batch, padding];
      const records = padded.map((t) => t.record as StreamRecord);
      const timestamps = padded.map((t) => t.timestamp);
      const expected = byBatch.push(batch);
      bySlice.runner.processSlice(records, timestamps, 1, 1 + batch.length, 0);
      expect(bySlice.runner.ctx.output.drainTimed()).toEqual(expected);
      expect(bySlice.runner.ctx.counters).toEqual(byBatch.runner.ctx.counters);
      expect(bySlice.watermark(1000)).toEqual(byBatch.watermark(1000));
      expect(bySlice.logs).toEqual(byBatch.logs);
    });
  }
});

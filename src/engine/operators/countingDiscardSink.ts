/**
 * `discard`: counts and drops every record, a sink for throughput experiments. The count is
 * the subtask's `recordsIn`; this operator keeps its own too so it can be read without the
 * telemetry.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { BaseOperator } from './types';

export class CountingDiscardSink extends BaseOperator {
  readonly kind = 'discard' as const;
  private discarded = 0;

  /** Records dropped by this subtask. */
  get discardedCount(): number {
    return this.discarded;
  }

  processBatch(records: readonly TimedRecord[]): void {
    this.discarded += records.length;
  }

  processSlice(_records: readonly StreamRecord[], _timestamps: readonly (VirtualMs | null)[], from: number, to: number): void {
    this.discarded += to - from;
  }
}

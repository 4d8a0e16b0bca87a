/**
 * `union`: merges its inputs into one stream. Records pass unchanged; which input a record
 * came from does not matter. Watermarks are the runtime's job: the input valve already takes
 * the minimum over every channel of every input (Flink's `StatusWatermarkValve`), so a union
 * has nothing of its own to do with them.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import { BaseOperator, type OperatorContext } from './types';

export class UnionPassThrough extends BaseOperator {
  readonly kind = 'union' as const;

  processBatch(batch: readonly TimedRecord[], ctx: OperatorContext): void {
    const { records, timestamps } = sliceOfTimed(batch);
    this.processSlice(records, timestamps, 0, records.length, ctx);
  }

  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number, ctx: OperatorContext,
  ): void {
    const out = ctx.output;
    for (let i = from; i < to; i++) out.emit(records[i] as StreamRecord, timestamps[i] ?? null);
  }
}

/**
 * `union`: merges its inputs into one stream. Records pass unchanged; which input a record
 * came from does not matter. Watermarks are the runtime's job: the input valve already takes
 * the minimum over every channel of every input (Flink's `StatusWatermarkValve`), so a union
 * has nothing of its own to do with them.
 */
import type { TimedRecord } from '../runtime/types';
import { BaseOperator, type OperatorContext } from './types';

export class UnionPassThrough extends BaseOperator {
  readonly kind = 'union' as const;

  processBatch(records: readonly TimedRecord[], ctx: OperatorContext): void {
    const out = ctx.output;
    for (let i = 0; i < records.length; i++) {
      const element = records[i] as TimedRecord;
      out.emit(element.record, element.timestamp);
    }
  }
}

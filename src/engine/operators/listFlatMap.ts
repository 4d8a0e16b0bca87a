/**
 * `flatMap`: evaluates a list expression per record and emits one copy of the record per
 * element, with the element in `field` (e.g. `split(key, '-')` into `key`).
 *
 * - A list yields one record per element, in list order; an empty list yields none.
 * - Null yields no record (a record without the field is skipped, as `filter` skips nulls).
 * - A single value yields one record: a list of one, which is what a user writing
 *   `flatMap` over a field that is sometimes a scalar means.
 * - A list element that is itself a list fails the task: a field holds one value.
 */
import { compileExpressionSource, type CompiledExpression, type FieldValue, type Value } from '../expr';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import { configString, type OperatorConfig } from './operatorConfig';
import { BaseOperator, type OperatorContext } from './types';
import { operatorFailure, userFunctionError } from './UserFunctionError';

export class ListFlatMap extends BaseOperator {
  readonly kind = 'flatMap' as const;
  private readonly field: string;
  private readonly source: string;
  private expr: CompiledExpression | undefined;

  constructor(config: OperatorConfig) {
    super();
    this.field = configString(config, 'field');
    this.source = configString(config, 'expr');
  }

  override open(ctx: OperatorContext): void {
    try {
      this.expr = compileExpressionSource(this.source);
    } catch (error) {
      throw userFunctionError(ctx, error);
    }
  }

  processBatch(batch: readonly TimedRecord[], ctx: OperatorContext): void {
    const { records, timestamps } = sliceOfTimed(batch);
    this.processSlice(records, timestamps, 0, records.length, ctx);
  }

  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number, ctx: OperatorContext,
  ): void {
    const expr = this.expr;
    if (expr === undefined) throw new Error(`Operator ${ctx.subtask.operatorId} processed records before open().`);
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      const timestamp = timestamps[i] ?? null;
      let result: Value;
      try {
        result = expr(record);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      if (result === null) continue;
      if (!Array.isArray(result)) {
        this.emitWith(record, result as FieldValue, timestamp, ctx);
        continue;
      }
      for (const element of result as readonly Value[]) {
        if (Array.isArray(element)) {
          throw operatorFailure(ctx, `the expression '${this.source}' yields a list of lists; each element must be one value.`);
        }
        this.emitWith(record, element as FieldValue, timestamp, ctx);
      }
    }
  }

  private emitWith(record: StreamRecord, value: FieldValue, timestamp: number | null, ctx: OperatorContext): void {
    const copy = { ...record };
    copy[this.field] = value;
    ctx.output.emit(copy, timestamp);
  }
}

/**
 * The shared shape of the operators that run one user expression per record (`map`, `filter`,
 * `flatMap`): compile in `open()` — inside the TaskManager, never at validation — evaluate per
 * record with any error turned into a `UserFunctionError` that names the operator and subtask,
 * and adapt `processBatch` to the slice form the network hands out. Each subclass says only
 * what to do with one record's result.
 */
import { compileExpressionSource, type CompiledExpression, type Value } from '../expr';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { configString, type OperatorConfig } from './operatorConfig';
import { sliceOfTimed } from './timedSlices';
import { BaseOperator, type OperatorContext } from './types';
import { userFunctionError } from './UserFunctionError';

export abstract class ExpressionOperator extends BaseOperator {
  /** The expression's source text, quoted in failure messages. */
  protected readonly source: string;
  private expr: CompiledExpression | undefined;

  constructor(config: OperatorConfig) {
    super();
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
      let result: Value;
      try {
        result = expr(record);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      this.onResult(record, result, timestamps[i] ?? null, ctx);
    }
  }

  /** What the operator does with the expression's value for one record. */
  protected abstract onResult(record: StreamRecord, result: Value, timestamp: VirtualMs | null, ctx: OperatorContext): void;
}

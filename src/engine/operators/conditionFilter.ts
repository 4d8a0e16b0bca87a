/**
 * `filter`: keeps the records for which a boolean expression is true. Null counts as false
 * (the expression language's condition rule: a missing field drops the record rather than
 * failing the job); a number or text is a user error and fails the task, naming the operator.
 * Kept records are passed on as they are (no copy: nothing changes).
 */
import { compileExpressionSource, type CompiledExpression } from '../expr';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import { configString, type OperatorConfig } from './operatorConfig';
import { BaseOperator, type OperatorContext } from './types';
import { operatorFailure, userFunctionError } from './UserFunctionError';

export class ConditionFilter extends BaseOperator {
  readonly kind = 'filter' as const;
  private readonly source: string;
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
    const out = ctx.output;
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      let keep;
      try {
        keep = expr(record);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      if (keep === true) out.emit(record, timestamps[i] ?? null);
      else if (keep !== false && keep !== null) throw this.notBoolean(ctx, keep);
    }
  }

  private notBoolean(ctx: OperatorContext, value: unknown): Error {
    const what = Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'text' : 'a number';
    return operatorFailure(ctx, `the condition '${this.source}' yields ${what} (${JSON.stringify(value)}), not true or false.`);
  }
}

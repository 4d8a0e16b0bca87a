/**
 * `map`: sets one field of each record to the value of an expression (creating the field when
 * missing). The input record is never changed: records are immutable once emitted (a
 * broadcast or a local channel may share one object), so the output is a shallow copy.
 *
 * An expression that yields a list fails the task: a record field holds one value, and
 * `flatMap` is the operator that turns lists into records.
 */
import { compileExpressionSource, type CompiledExpression, type FieldValue } from '../expr';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import { configString, type OperatorConfig } from './operatorConfig';
import { BaseOperator, type OperatorContext } from './types';
import { operatorFailure, userFunctionError } from './UserFunctionError';

export class SetFieldMap extends BaseOperator {
  readonly kind = 'map' as const;
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
    const expr = this.compiled(ctx);
    const field = this.field;
    const out = ctx.output;
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      const timestamp = timestamps[i] ?? null;
      let value;
      try {
        value = expr(record);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      if (Array.isArray(value)) {
        throw operatorFailure(ctx, `the expression '${this.source}' yields a list; a field holds one value (use flatMap for lists).`);
      }
      const copy = { ...record };
      copy[field] = value as FieldValue;
      out.emit(copy, timestamp);
    }
  }

  private compiled(ctx: OperatorContext): CompiledExpression {
    if (this.expr === undefined) throw new Error(`Operator ${ctx.subtask.operatorId} processed records before open().`);
    return this.expr;
  }
}

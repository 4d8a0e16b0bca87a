/**
 * `map`: sets one field of each record to the value of an expression (creating the field when
 * missing). The input record is never changed: records are immutable once emitted (a
 * broadcast or a local channel may share one object), so the output is a shallow copy.
 *
 * An expression that yields a list fails the task: a record field holds one value, and
 * `flatMap` is the operator that turns lists into records.
 */
import type { FieldValue, Value } from '../expr';
import type { StreamRecord, VirtualMs } from '../runtime/types';
import { ExpressionOperator } from './ExpressionOperator';
import { configString, type OperatorConfig } from './operatorConfig';
import type { OperatorContext } from './types';
import { operatorFailure } from './UserFunctionError';

export class SetFieldMap extends ExpressionOperator {
  readonly kind = 'map' as const;
  private readonly field: string;

  constructor(config: OperatorConfig) {
    super(config);
    this.field = configString(config, 'field');
  }

  protected onResult(record: StreamRecord, value: Value, timestamp: VirtualMs | null, ctx: OperatorContext): void {
    if (Array.isArray(value)) {
      throw operatorFailure(ctx, `the expression '${this.source}' yields a list; a field holds one value (use flatMap for lists).`);
    }
    const copy = { ...record };
    copy[this.field] = value as FieldValue;
    ctx.output.emit(copy, timestamp);
  }
}

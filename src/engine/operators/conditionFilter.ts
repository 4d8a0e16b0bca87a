/**
 * `filter`: keeps the records for which a boolean expression is true. Null counts as false
 * (the expression language's condition rule: a missing field drops the record rather than
 * failing the job); a number or text is a user error and fails the task, naming the operator.
 * Kept records are passed on as they are (no copy: nothing changes).
 */
import type { Value } from '../expr';
import type { StreamRecord, VirtualMs } from '../runtime/types';
import { ExpressionOperator } from './ExpressionOperator';
import type { OperatorContext } from './types';
import { operatorFailure } from './UserFunctionError';

export class ConditionFilter extends ExpressionOperator {
  readonly kind = 'filter' as const;

  protected onResult(record: StreamRecord, keep: Value, timestamp: VirtualMs | null, ctx: OperatorContext): void {
    if (keep === true) ctx.output.emit(record, timestamp);
    else if (keep !== false && keep !== null) throw this.notBoolean(ctx, keep);
  }

  private notBoolean(ctx: OperatorContext, value: unknown): Error {
    const what = Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'text' : 'a number';
    return operatorFailure(ctx, `the condition '${this.source}' yields ${what} (${JSON.stringify(value)}), not true or false.`);
  }
}

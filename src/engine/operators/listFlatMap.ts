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
import type { FieldValue, Value } from '../expr';
import type { StreamRecord, VirtualMs } from '../runtime/types';
import { ExpressionOperator } from './ExpressionOperator';
import { configString, type OperatorConfig } from './operatorConfig';
import type { OperatorContext } from './types';
import { operatorFailure } from './UserFunctionError';

export class ListFlatMap extends ExpressionOperator {
  readonly kind = 'flatMap' as const;
  private readonly field: string;

  constructor(config: OperatorConfig) {
    super(config);
    this.field = configString(config, 'field');
  }

  protected onResult(record: StreamRecord, result: Value, timestamp: VirtualMs | null, ctx: OperatorContext): void {
    if (result === null) return;
    if (!Array.isArray(result)) {
      this.emitWith(record, result as FieldValue, timestamp, ctx);
      return;
    }
    for (const element of result as readonly Value[]) {
      if (Array.isArray(element)) {
        throw operatorFailure(ctx, `the expression '${this.source}' yields a list of lists; each element must be one value.`);
      }
      this.emitWith(record, element as FieldValue, timestamp, ctx);
    }
  }

  private emitWith(record: StreamRecord, value: FieldValue, timestamp: VirtualMs | null, ctx: OperatorContext): void {
    const copy = { ...record };
    copy[this.field] = value;
    ctx.output.emit(copy, timestamp);
  }
}

/**
 * `aggregate`: a running count, sum, min or max of a field per key, emitted on every update
 * as `{ key, value, ts }` (the catalogue's "emits the updated value for every record"; Flink's
 * `KeyedStream.sum/min/max` rolling aggregations behave the same way).
 *
 * - State: one `ValueState<number | null>` per key (the accumulator), declared in `open`.
 * - `ts` is the record's event time, or the virtual processing time when the job runs without
 *   event time; the output keeps the input record's timestamp.
 * - Per record the hot path is: key read, key group, one state read, one state write.
 */
import type { FieldValue } from '../expr';
import type { JavaKey } from '../keygroups/javaHash';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import type { ValueState } from '../state/views/ValueState';
import { fieldAggregate, numericInput, type FieldAggregate, type NumericAccumulator } from './aggregateFunctions';
import { configString, type OperatorConfig } from './operatorConfig';
import { BaseOperator, keyedParts, type OperatorContext } from './types';
import { userFunctionError } from './UserFunctionError';

/** The state name of the accumulator (part of every row's address; never rename). */
export const AGGREGATE_STATE = 'aggregate-acc';

/** A key as a record field: keys are text, int32 or boolean (a Long key prints as text). */
export function keyField(key: JavaKey): FieldValue {
  return typeof key === 'bigint' ? key.toString() : key;
}

export class RunningAggregate extends BaseOperator {
  readonly kind = 'aggregate' as const;
  private readonly fnName: string;
  private readonly fn: FieldAggregate;
  private readonly field: string;
  private state: ValueState<NumericAccumulator> | undefined;

  constructor(config: OperatorConfig) {
    super();
    this.fnName = configString(config, 'fn');
    this.fn = fieldAggregate(this.fnName);
    this.field = configString(config, 'field');
  }

  override open(ctx: OperatorContext): void {
    this.state = keyedParts(ctx).keyed.getValueState<NumericAccumulator>({ name: AGGREGATE_STATE });
  }

  processBatch(batch: readonly TimedRecord[], ctx: OperatorContext, input: number): void {
    const { records, timestamps } = sliceOfTimed(batch);
    this.processSlice(records, timestamps, 0, records.length, ctx, input);
  }

  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number,
    ctx: OperatorContext, input: number,
  ): void {
    const { keyed, keys } = keyedParts(ctx);
    const state = this.state;
    if (state === undefined) throw new Error(`Operator ${ctx.subtask.operatorId} processed records before open().`);
    const fn = this.fn;
    const counting = this.fnName === 'count';
    const out = ctx.output;
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      const timestamp = timestamps[i] ?? null;
      let key: JavaKey;
      let value: number | null;
      try {
        key = keys.keyOf(record, input);
        value = counting ? null : numericInput(record, this.field);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      keyed.setCurrentKey(key);
      const accumulator = fn.add(value, state.value() ?? fn.createAccumulator());
      state.update(accumulator);
      out.emit({ key: keyField(key), value: fn.getResult(accumulator), ts: timestamp ?? ctx.clock.now() }, timestamp);
    }
  }
}

/**
 * `dedup`: passes the first record of each key and drops repeats until the key's state
 * expires. The memory of a key is a `ValueState<true>` with Flink TTL semantics (ttl.ts):
 *
 * - `OnCreateAndWrite`: a key passes again `ttlMs` after its first record passed, however
 *   many repeats arrived in between (the example job's "same keys pass again once expired").
 * - `OnReadAndWrite`: every repeat reads the state and so refreshes the expiry; a key passes
 *   again only after `ttlMs` of silence.
 * - Visibility `NeverReturnExpired`: an expired entry never suppresses a record, even before
 *   cleanup removes it.
 *
 * Time is virtual processing time (Flink's TTL time characteristic), not event time. After
 * each batch an incremental cleanup visits a few rows per record processed (Flink's
 * `cleanupIncrementally`), so the state of keys that never come back is removed and the state
 * size levels off instead of growing forever.
 */
import type { JavaKey } from '../keygroups/javaHash';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import type { TtlUpdateType } from '../state/ttl';
import type { ValueState } from '../state/views/ValueState';
import { configNumber, configString, type OperatorConfig } from './operatorConfig';
import { BaseOperator, keyedParts, type OperatorContext } from './types';
import { userFunctionError } from './UserFunctionError';

/** State name (part of every row's address; never rename). */
export const DEDUP_STATE = 'dedup-seen';

/** Rows incremental cleanup visits per record processed (Flink's default cleanup size is 5 per access). */
export const CLEANUP_ROWS_PER_RECORD = 2;

export class FirstPerKeyDedup extends BaseOperator {
  readonly kind = 'dedup' as const;
  private readonly ttlMs: number;
  private readonly updateType: TtlUpdateType;
  private seen: ValueState<true> | undefined;

  constructor(config: OperatorConfig) {
    super();
    this.ttlMs = configNumber(config, 'ttlMs');
    const updateType = configString(config, 'ttlUpdate');
    if (updateType !== 'OnCreateAndWrite' && updateType !== 'OnReadAndWrite') throw new TypeError(`Unknown TTL update type '${updateType}'.`);
    this.updateType = updateType;
  }

  override open(ctx: OperatorContext): void {
    this.seen = keyedParts(ctx).keyed.getValueState<true>({
      name: DEDUP_STATE,
      ttl: { ttlMs: this.ttlMs, updateType: this.updateType, visibility: 'NeverReturnExpired' },
    });
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
    const seen = this.seen;
    if (seen === undefined) throw new Error(`Operator ${ctx.subtask.operatorId} processed records before open().`);
    const out = ctx.output;
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      let key: JavaKey;
      try {
        key = keys.keyOf(record, input);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      keyed.setCurrentKey(key);
      if (seen.value() !== undefined) continue;
      seen.update(true);
      out.emit(record, timestamps[i] ?? null);
    }
    keyed.cleanupExpired((to - from) * CLEANUP_ROWS_PER_RECORD);
  }
}

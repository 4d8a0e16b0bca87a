/**
 * `log`: writes one record in `every` to the run's event log (at-least-once: a replay after a
 * failure logs again). The first record is logged, then every `every`-th after it, counted per
 * subtask, so with one subtask and `every: 1000` the records 0, 1000, 2000… appear.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import { configNumber, type OperatorConfig } from './operatorConfig';
import { BaseOperator, type OperatorContext, type OperatorStateSnapshot } from './types';

export class SampledLogSink extends BaseOperator {
  readonly kind = 'log' as const;
  private readonly every: number;
  private seen = 0;
  private logged = 0;

  constructor(config: OperatorConfig) {
    super();
    this.every = configNumber(config, 'every');
  }

  /** Lines written so far by this subtask. */
  get loggedCount(): number {
    return this.logged;
  }

  processBatch(batch: readonly TimedRecord[], ctx: OperatorContext): void {
    const { records, timestamps } = sliceOfTimed(batch);
    this.processSlice(records, timestamps, 0, records.length, ctx);
  }

  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number, ctx: OperatorContext,
  ): void {
    const every = this.every;
    for (let i = from; i < to; i++) {
      if (this.seen % every === 0) {
        const record = records[i] as StreamRecord;
        const timestamp = timestamps[i] ?? null;
        ctx.log({
          operatorId: ctx.subtask.operatorId,
          subtaskIndex: ctx.subtask.index,
          virtualTimeMs: ctx.clock.now(),
          message: `${ctx.operatorName} #${ctx.subtask.index}: ${JSON.stringify(record)}`,
          record,
          timestamp,
        });
        this.logged++;
      }
      this.seen++;
    }
  }

  override snapshotState(): OperatorStateSnapshot {
    return { seen: this.seen };
  }

  override restoreState(snapshot: OperatorStateSnapshot | undefined): void {
    this.seen = typeof snapshot?.seen === 'number' ? snapshot.seen : 0;
  }
}

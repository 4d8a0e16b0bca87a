/**
 * Flink's `BoundedOutOfOrdernessWatermarks` for one partition: the watermark trails the
 * highest event time seen by the out-of-orderness bound, minus 1 ms (a watermark t promises
 * no more records with timestamp <= t, and a record exactly `bound` late is still on time).
 * Before the first record there is no watermark (-Infinity, Flink's Long.MIN_VALUE + bound + 1).
 */
import type { VirtualMs } from '../runtime/types';

export class BoundedOutOfOrderness {
  private maxTimestamp = Number.NEGATIVE_INFINITY;

  constructor(readonly outOfOrdernessMs: number) {
    if (!Number.isFinite(outOfOrdernessMs) || outOfOrdernessMs < 0) {
      throw new RangeError(`Out-of-orderness must be a non-negative number of ms, got ${String(outOfOrdernessMs)}.`);
    }
  }

  onEvent(timestamp: VirtualMs): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }

  /** The current watermark (-Infinity before the first event). */
  currentWatermark(): VirtualMs {
    return this.maxTimestamp - this.outOfOrdernessMs - 1;
  }

  reset(): void {
    this.maxTimestamp = Number.NEGATIVE_INFINITY;
  }

  /** The generator's state: the highest event time seen (-Infinity before the first). */
  get highestTimestamp(): VirtualMs {
    return this.maxTimestamp;
  }

  /** Restores the state `highestTimestamp` returned, so watermarks continue exactly. */
  restore(highestTimestamp: VirtualMs): void {
    if (Number.isNaN(highestTimestamp)) throw new RangeError('A watermark generator state cannot be NaN.');
    this.maxTimestamp = highestTimestamp;
  }
}

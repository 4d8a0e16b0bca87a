/**
 * Combines the watermarks of a subtask's input channels into the subtask's watermark, with
 * Flink's `StatusWatermarkValve` semantics (DESIGN.md §3; issue 3, "minimum across inputs,
 * idle partitions handled").
 *
 * - Each channel keeps its own watermark (only increases are taken) and an idle flag.
 * - The combined watermark is the minimum over the *aligned* channels: active channels whose
 *   watermark has caught up with the combined one. A channel returning from idleness with an
 *   old watermark does not drag the combined watermark back; it rejoins once it catches up.
 * - An idle channel does not hold the watermark back. When the last active channel goes
 *   idle, the valve first flushes (the maximum over all channels, if that is higher) and
 *   then the whole input is idle.
 * - The output never decreases.
 *
 * Sluice's stream vocabulary has an `idle` event but no `active` one, so a channel becomes
 * active again on its next watermark or record (`onActivity`), and downstream learns the same
 * way. End-of-partition counts as a final watermark of +Infinity, as Flink tasks emit
 * `MAX_WATERMARK` when their input ends, so a finished channel never holds the others back.
 *
 * Every method returns the events to forward downstream, in order (usually none; the
 * shared empty array then, so the common case allocates nothing).
 */
import type { StreamEvent, VirtualMs } from '../runtime/types';

const NOTHING: readonly StreamEvent[] = Object.freeze([]);

/** Per-channel watermarks and idleness combined into one monotonic watermark (StatusWatermarkValve). */
export class WatermarkTracker {
  private readonly watermarks: Float64Array;
  private readonly idle: Uint8Array;
  private readonly aligned: Uint8Array;
  private readonly ended: Uint8Array;
  private activeCount: number;
  private output: VirtualMs = Number.NEGATIVE_INFINITY;
  private outputIdle = false;

  /** @throws RangeError unless `numberOfChannels` is a positive integer. */
  constructor(readonly numberOfChannels: number) {
    if (!Number.isInteger(numberOfChannels) || numberOfChannels < 1) {
      throw new RangeError(`A watermark tracker needs at least one channel, got ${String(numberOfChannels)}.`);
    }
    this.watermarks = new Float64Array(numberOfChannels).fill(Number.NEGATIVE_INFINITY);
    this.idle = new Uint8Array(numberOfChannels);
    this.aligned = new Uint8Array(numberOfChannels).fill(1);
    this.ended = new Uint8Array(numberOfChannels);
    this.activeCount = numberOfChannels;
  }

  /** The combined watermark so far (-Infinity before the first). */
  get watermark(): VirtualMs {
    return this.output;
  }

  /** True while every channel is idle. */
  get isIdle(): boolean {
    return this.outputIdle;
  }

  /** The last watermark seen on `channel`. */
  channelWatermark(channel: number): VirtualMs {
    this.check(channel);
    return this.watermarks[channel] as number;
  }

  /** True while `channel` is idle. */
  isChannelIdle(channel: number): boolean {
    this.check(channel);
    return this.idle[channel] === 1;
  }

  /**
   * A watermark arrived on `channel`. Lower or equal watermarks than the channel's last are
   * ignored (Flink does the same).
   *
   * @throws RangeError for NaN; Error after the channel's end-of-partition.
   */
  onWatermark(channel: number, timestamp: VirtualMs): readonly StreamEvent[] {
    this.checkOpen(channel);
    if (Number.isNaN(timestamp)) throw new RangeError(`Watermark on channel ${channel} is NaN.`);
    this.activate(channel);
    if (timestamp <= (this.watermarks[channel] as number)) return NOTHING;
    this.watermarks[channel] = timestamp;
    if (this.aligned[channel] === 0 && timestamp >= this.output) this.aligned[channel] = 1;
    return this.advanceToMinimum();
  }

  /** A record arrived on `channel`: an idle channel becomes active again. */
  onActivity(channel: number): readonly StreamEvent[] {
    this.checkOpen(channel);
    this.activate(channel);
    return NOTHING;
  }

  /** `channel` went idle (its `idle` event). */
  onIdle(channel: number): readonly StreamEvent[] {
    this.checkOpen(channel);
    if (this.idle[channel] === 1) return NOTHING;
    this.idle[channel] = 1;
    this.aligned[channel] = 0;
    this.activeCount--;
    const heldTheMinimum = this.watermarks[channel] === this.output;
    if (this.activeCount === 0) {
      const events: StreamEvent[] = heldTheMinimum ? [...this.advanceToMaximum()] : [];
      this.outputIdle = true;
      events.push({ type: 'idle' });
      return events;
    }
    return heldTheMinimum ? this.advanceToMinimum() : NOTHING;
  }

  /** `channel` delivered end-of-partition: a final +Infinity watermark, then nothing more. */
  onEndOfPartition(channel: number): readonly StreamEvent[] {
    const events = this.onWatermark(channel, Number.POSITIVE_INFINITY);
    this.ended[channel] = 1;
    return events;
  }

  /** Flink's ACTIVE status, implied: the channel counts again; it is aligned if it caught up. */
  private activate(channel: number): void {
    if (this.idle[channel] === 0) return;
    this.idle[channel] = 0;
    this.activeCount++;
    if ((this.watermarks[channel] as number) >= this.output) this.aligned[channel] = 1;
    this.outputIdle = false;
  }

  /** Flink `findAndOutputNewMinWatermarkAcrossAlignedChannels`. */
  private advanceToMinimum(): readonly StreamEvent[] {
    let minimum = Number.POSITIVE_INFINITY;
    let anyAligned = false;
    for (let channel = 0; channel < this.numberOfChannels; channel++) {
      if (this.aligned[channel] === 0) continue;
      anyAligned = true;
      minimum = Math.min(minimum, this.watermarks[channel] as number);
    }
    return anyAligned ? this.emitIfHigher(minimum) : NOTHING;
  }

  /** Flink `findAndOutputMaxWatermarkAcrossAllChannels`: the flush when everything is idle. */
  private advanceToMaximum(): readonly StreamEvent[] {
    let maximum = Number.NEGATIVE_INFINITY;
    for (let channel = 0; channel < this.numberOfChannels; channel++) {
      maximum = Math.max(maximum, this.watermarks[channel] as number);
    }
    return this.emitIfHigher(maximum);
  }

  private emitIfHigher(candidate: VirtualMs): readonly StreamEvent[] {
    if (candidate <= this.output) return NOTHING;
    this.output = candidate;
    return [{ type: 'watermark', timestamp: candidate }];
  }

  private checkOpen(channel: number): void {
    this.check(channel);
    if (this.ended[channel] === 1) {
      throw new Error(`Channel ${channel} already delivered end-of-partition; no watermark or record may follow.`);
    }
  }

  private check(channel: number): void {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.numberOfChannels) {
      throw new RangeError(`Channel ${String(channel)} is outside [0, ${this.numberOfChannels - 1}].`);
    }
  }
}

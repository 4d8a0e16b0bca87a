/**
 * Rebalance and rescale: round robin per record (Flink), or backlog-based per buffer (seed 2).
 *
 * Round robin follows Flink exactly: `RebalancePartitioner` starts its cursor at a random
 * channel and sends each record to `cursor = (cursor + 1) % n`; `RescalePartitioner` does the
 * same over the sender's pointwise targets starting before channel 0. Sluice takes the random
 * start from the run's seeded PRNG (the caller passes `firstChannel`), so runs replay.
 *
 * Backlog-based selection (Bilibili's load-based channel selection, DESIGN.md §4): when a
 * new buffer is needed, pick the channel with the smallest backlog (buffers queued at the
 * sender for lack of credit, i.e. the receiver is not keeping up) and send records to it
 * until that buffer is finished. Ties go to the first channel after the round-robin cursor,
 * so equal channels still take turns and the choice is deterministic. Choosing per buffer,
 * not per record, keeps the per-record cost one comparison and fills buffers completely.
 *
 * The strategy is switchable at any moment (`setSelection`): switching only forgets the
 * channel being filled; buffers already half filled are finished by later records or by the
 * tick-end flush, so nothing is reordered or lost.
 */
import type { ChannelSelection } from './config';
import { checkChannelSelection } from './config';
import { assertChannelCount, type BacklogView, type ChannelSelector } from './ChannelSelector';

/** Rebalance/rescale channel selection: round robin per record or least backlog per buffer. */
export class RoundRobinSelector implements ChannelSelector {
  readonly isBroadcast = false;
  private cursor: number;
  private selection: ChannelSelection;
  /** Backlog mode: the channel whose buffer is being filled, or -1 to choose afresh. */
  private current = -1;

  /**
   * @param numberOfChannels the sender's channels on this edge.
   * @param firstChannel the channel round robin starts at (Flink: random for rebalance, 0 for rescale).
   * @param backlogs the sender's backlog per channel, read once per buffer in backlog mode.
   * @throws RangeError on a bad channel count, start channel or selection.
   */
  constructor(
    readonly numberOfChannels: number,
    firstChannel: number,
    private readonly backlogs: BacklogView,
    selection: ChannelSelection,
  ) {
    assertChannelCount(numberOfChannels);
    if (!Number.isInteger(firstChannel) || firstChannel < 0 || firstChannel >= numberOfChannels) {
      throw new RangeError(`First channel ${String(firstChannel)} is outside [0, ${numberOfChannels - 1}].`);
    }
    checkChannelSelection(selection);
    // The cursor names the channel used last; the first record goes to the one after it.
    this.cursor = (firstChannel + numberOfChannels - 1) % numberOfChannels;
    this.selection = selection;
  }

  /** The strategy in use. */
  get channelSelection(): ChannelSelection {
    return this.selection;
  }

  /** Switches strategy; takes effect with the next record. */
  setSelection(selection: ChannelSelection): void {
    checkChannelSelection(selection);
    this.selection = selection;
    this.current = -1;
  }

  selectChannel(): number {
    if (this.selection === 'round-robin') {
      this.cursor = this.cursor + 1 === this.numberOfChannels ? 0 : this.cursor + 1;
      return this.cursor;
    }
    if (this.current < 0) this.current = this.leastBacklogged();
    return this.current;
  }

  bufferFinished(channel: number): void {
    if (channel === this.current) this.current = -1;
  }

  /** Smallest backlog, scanning from the channel after the cursor; strict `<` keeps the first of equals. */
  private leastBacklogged(): number {
    const n = this.numberOfChannels;
    let best = -1;
    let bestBacklog = Number.POSITIVE_INFINITY;
    for (let step = 1; step <= n; step++) {
      const channel = (this.cursor + step) % n;
      const backlog = this.backlogs.backlog(channel);
      if (backlog < bestBacklog) {
        best = channel;
        bestBacklog = backlog;
        if (backlog === 0) break;
      }
    }
    this.cursor = best;
    return best;
  }
}

/**
 * Channel selectors: which output channel(s) of an edge a record goes to (Flink
 * `ChannelSelector` / `StreamPartitioner`), one instance per sending subtask and edge.
 *
 * Channels are local to the sender: 0…n-1 in the order of the sender's channels on that edge
 * (ascending downstream subtask index, see ExecutionGraph). Selection is on the per-record
 * path, so implementations do a few integer operations and never allocate.
 *
 * This file holds the interface and the three trivial partitioners; hash and the
 * round-robin family live in their own files.
 */
import type { StreamRecord } from '../runtime/types';

/** Read access to the sender's per-channel backlog (buffers queued, unsent, for lack of credit). */
export interface BacklogView {
  backlog(channel: number): number;
}

/** Picks the output channel of each record on one edge of one sending subtask. */
export interface ChannelSelector {
  /** Number of output channels of this sender on this edge. */
  readonly numberOfChannels: number;
  /** True for broadcast: every record goes to every channel and `selectChannel` is not used. */
  readonly isBroadcast: boolean;
  /** The local channel for `record`, in [0, numberOfChannels). */
  selectChannel(record: StreamRecord): number;
  /**
   * The current buffer of `channel` was finished (full, flushed at tick end, or closed by a
   * barrier). Only per-buffer strategies (backlog-based selection) care.
   */
  bufferFinished(channel: number): void;
}

/**
 * Flink `ForwardPartitioner`: the single channel to the same-index subtask. Validation
 * requires equal parallelism, so the pointwise wiring gives each sender exactly one channel.
 */
export class ForwardSelector implements ChannelSelector {
  readonly isBroadcast = false;

  constructor(readonly numberOfChannels: number) {
    if (numberOfChannels !== 1) {
      throw new RangeError(
        `A forward edge needs exactly one channel per sender, found ${numberOfChannels}: forward joins ` +
          'operators of equal parallelism. Use rescale or rebalance between different parallelisms.',
      );
    }
  }

  selectChannel(): number {
    return 0;
  }

  bufferFinished(): void {}
}

/** Flink `GlobalPartitioner`: everything to the first downstream subtask. */
export class GlobalSelector implements ChannelSelector {
  readonly isBroadcast = false;

  constructor(readonly numberOfChannels: number) {
    assertChannelCount(numberOfChannels);
  }

  selectChannel(): number {
    return 0;
  }

  bufferFinished(): void {}
}

/** Flink `BroadcastPartitioner`: every record to every channel. */
export class BroadcastSelector implements ChannelSelector {
  readonly isBroadcast = true;

  constructor(readonly numberOfChannels: number) {
    assertChannelCount(numberOfChannels);
  }

  /** @throws Error always: the sender writes broadcast records to all channels itself (as Flink does). */
  selectChannel(): number {
    throw new Error('Broadcast sends every record to all channels; selectChannel is not used.');
  }

  bufferFinished(): void {}
}

/** @throws RangeError unless `count` is a positive integer. */
export function assertChannelCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`A sender needs at least one output channel, got ${String(count)}.`);
  }
}

/**
 * Channel resets for approximate local recovery (DESIGN.md §6; seed 2's approximate local
 * recovery, modelled on Flink's `PipelinedApproximateSubpartition`, FLINK-19632, and its
 * partial-record cleanup): only the failed task restarts, and the channels between it and live
 * tasks start over at both ends instead of the live tasks restarting with it.
 *
 * A reset has two phases, each applied at a tick boundary on every TaskManager, in the order
 * the JobManager lists the channels (ascending channel id), to whichever ends it hosts:
 *
 * - `down` (the tick the failed task is cancelled). On an `into` channel (live sender, dead
 *   receiver) the sender drops its open buffer and backlog and, until `up`, drops every record
 *   written to the channel; the dead receiver's unread buffers go too. On an `out-of` channel
 *   (dead sender, live receiver) the dead sender's buffered output is dropped and the live
 *   receiver discards what it holds unread from it (whole buffers: a Sluice buffer never splits
 *   a record, so the partial-record cleanup is a buffer cleanup). Both ends stop announcing
 *   credit and backlog; what was in flight on the channel is dropped by the TaskManager.
 *   The live receiver's watermark valve treats the channel as idle and its barrier aligner as
 *   aligned while it is down (see OperatorTask), so neither watermarks nor checkpoints of live
 *   tasks wait for the dead one.
 * - `up` (the restart tick). Sequence numbers and credit start at 0 on the live end; the
 *   restarted task's fresh gates (TaskManagerNetwork.reset) announce their initial credit at
 *   the tick's end like any new channel. A live sender reports what it wrote on the channel
 *   since the restarted receiver's snapshot: exactly the records whose effect the restored
 *   task will never see (the records lost).
 */
import type { InputGate } from './InputGate';
import type { ResultPartition } from './ResultPartition';

/** One boundary channel in a reset command. */
export interface ChannelResetSpec {
  /** Global channel id. */
  channel: number;
  /** `into`: the live sender feeds the restarting task; `out-of`: the restarting task feeds a live receiver. */
  direction: 'into' | 'out-of';
  /** `up` of an `into` channel: the snapshot the restarted receiver restores (0: from the beginning). */
  snapshotId?: number;
}

/** What one TaskManager's ends of a channel lost in one reset phase. */
export interface ChannelLoss {
  channel: number;
  direction: 'into' | 'out-of';
  /** Records dropped without reaching an operator (`into`) or discarded from the dead task's output (`out-of`). */
  dropped: number;
  /** `up` of an `into` channel: records the live sender wrote since the receiver's snapshot. */
  sinceSnapshot?: number;
}

/** The ends of a channel hosted on one TaskManager. */
export interface ChannelEnds {
  partition: ResultPartition | undefined;
  gate: InputGate | undefined;
}

/**
 * Applies one phase of a reset to the ends hosted here.
 * @returns the loss (undefined when nothing of the channel is hosted here) and, for a live
 * receiver whose sender went down, its gate and local channel (to tell its task).
 */
export function resetChannel(ends: ChannelEnds, spec: ChannelResetSpec, phase: 'down' | 'up'): {
  loss: ChannelLoss | undefined;
  receiverDown?: { gate: InputGate; channel: number };
} {
  const { partition, gate } = ends;
  if (partition === undefined && gate === undefined) return { loss: undefined };
  const loss: ChannelLoss = { channel: spec.channel, direction: spec.direction, dropped: 0 };
  if (phase === 'down') {
    if (partition !== undefined) loss.dropped += partition.resetChannel(spec.channel, 'down');
    if (gate === undefined) return { loss };
    const reset = gate.resetChannel(spec.channel, 'down');
    loss.dropped += reset.records;
    return spec.direction === 'out-of' ? { loss, receiverDown: { gate, channel: reset.channel } } : { loss };
  }
  // Up: only the live end starts over; the restarted task's end is rebuilt fresh.
  if (spec.direction === 'into' && partition !== undefined) {
    const subpartition = partition.subpartitionFor(spec.channel);
    loss.dropped = subpartition.dropped;
    subpartition.dropped = 0;
    loss.sinceSnapshot = subpartition.writtenSince(spec.snapshotId ?? 0);
    partition.resetChannel(spec.channel, 'up');
  }
  if (spec.direction === 'out-of' && gate !== undefined) gate.resetChannel(spec.channel, 'up');
  return { loss };
}

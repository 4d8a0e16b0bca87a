/**
 * Network metrics as plain data (DESIGN.md §4, §7; issue 3 telemetry): per output channel
 * records and buffers out, backlog and credit; per input channel what arrived and what is
 * queued; totals per gate. Snapshots are copies, safe to post to the UI and to keep.
 *
 * Names follow Flink's metric names where one exists (numRecordsOut, numBuffersOut,
 * numRecordsIn, numBuffersIn, backlog as in `outPoolUsage`'s neighbour metrics).
 */
import type { Partitioner } from '../job/types';
import type { SubtaskId } from '../runtime/types';
import type { ChannelSelection } from './config';

/** The sender's end of one channel. */
export interface OutputChannelMetrics {
  /** Global channel id. */
  channel: number;
  /** Downstream subtask index. */
  target: number;
  /** Records written into the channel. */
  recordsOut: number;
  /** Buffers shipped to the receiver. */
  buffersOut: number;
  /** Buffers queued at the sender for lack of credit (Flink's backlog). */
  backlog: number;
  /** Largest backlog so far. */
  backlogHighWater: number;
  /** Credit held: buffers that could ship now. */
  credit: number;
}

/** One output gate (subtask × output edge). */
export interface ResultPartitionMetrics {
  edgeId: string;
  subtask: SubtaskId;
  partitioner: Partitioner;
  /** Rebalance and rescale only; null otherwise. */
  channelSelection: ChannelSelection | null;
  recordsOut: number;
  buffersOut: number;
  backlog: number;
  backpressured: boolean;
  channels: OutputChannelMetrics[];
}

/** The receiver's end of one channel. */
export interface InputChannelMetrics {
  /** Global channel id. */
  channel: number;
  edgeId: string;
  /** Upstream subtask index. */
  source: number;
  /** Records handed to the task. */
  recordsIn: number;
  /** Buffers received. */
  buffersIn: number;
  /** Buffers received and not yet fully consumed. */
  queuedBuffers: number;
  /** Floating buffers this channel holds from the gate's pool. */
  floatingBuffers: number;
  /** Free buffers promised to the sender as credit (announced or about to be). */
  creditGiven: number;
  /** The sender's backlog as last reported. */
  senderBacklog: number;
  blocked: boolean;
  finished: boolean;
}

/** One input gate (subtask, all input edges). */
export interface InputGateMetrics {
  subtask: SubtaskId;
  recordsIn: number;
  buffersIn: number;
  queuedBuffers: number;
  /** Floating buffers still in the gate's pool. */
  floatingAvailable: number;
  channels: InputChannelMetrics[];
}

/** Everything a network reports at one moment. */
export interface NetworkMetricsSnapshot {
  outputs: ResultPartitionMetrics[];
  inputs: InputGateMetrics[];
}

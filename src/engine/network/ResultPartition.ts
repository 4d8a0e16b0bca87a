/**
 * The output gate of one subtask on one output edge (Flink `ResultPartition` + `RecordWriter`):
 * one subpartition per channel, a channel selector, and the backpressure signal.
 *
 * Life of a record: `emitRecord` asks the selector for a channel (every channel for
 * broadcast) and appends to that channel's current buffer; a full buffer is finished and
 * shipped if the receiver has granted credit, otherwise it joins the channel's backlog.
 * `flush()` finishes every partly filled buffer; the scheduler calls it at the end of each
 * tick (Flink's output flusher does the same on its buffer timeout, 100 ms by default).
 *
 * In-band events go to every channel, in order with the records (Flink `broadcastEmit` for
 * watermarks, `broadcastEvent` for barriers and end-of-partition). Barriers and
 * end-of-partition also finish the buffers they are in, so they leave without waiting for the
 * tick-end flush; after end-of-partition nothing more may be emitted.
 *
 * Backpressure (`isBackpressured`): true while some channel's backlog has reached
 * `maxBacklogBuffersPerChannel`, like a Flink task whose output pool refuses a buffer because
 * one subpartition already holds `max-buffers-per-channel`. It is advisory and checked before
 * taking more input: emitting never blocks or drops, so a record that fans out (flatMap,
 * broadcast) completes even past the limit, and the task then stops consuming. Within a tick
 * the signal can only rise (credit arrives at tick boundaries), so a task that sees it may
 * count the rest of the tick as back-pressured.
 */
import type { Partitioner } from '../job/types';
import type { StreamEvent, StreamRecord, SubtaskId, VirtualMs } from '../runtime/types';
import type { BacklogView, ChannelSelector } from './ChannelSelector';
import type { ChannelSelection, NetworkConfig } from './config';
import { isLoadBalancing } from './config';
import { createChannelSelector } from './createChannelSelector';
import type { BacklogAnnouncement, BufferShipment, CreditAnnouncement } from './messages';
import type { OutputChannelMetrics, ResultPartitionMetrics } from './metrics';
import { appendEvent, appendRecord } from './NetworkBuffer';
import { RoundRobinSelector } from './RoundRobinSelector';
import { Subpartition } from './Subpartition';

/** The sender's channels on one edge and what its selector needs. */
export interface ResultPartitionSpec {
  edgeId: string;
  partitioner: Partitioner;
  /** Hash edges: key field or expression. */
  key?: string;
  subtask: SubtaskId;
  /** The sender's channels, ascending by target (downstream subtask index). */
  channels: readonly { channelId: number; target: number }[];
  downstreamParallelism: number;
  downstreamMaxParallelism: number;
  /** Rebalance: round-robin start drawn from the seeded PRNG. */
  firstChannel?: number;
  /** Shared key-group → channel table of the edge (hash only). */
  keyGroupTable?: Int32Array;
}

/** One subtask's output gate on one edge; see the module comment for the life of a record. */
export class ResultPartition implements BacklogView {
  readonly edgeId: string;
  readonly partitioner: Partitioner;
  readonly subtask: SubtaskId;
  private readonly subpartitions: Subpartition[];
  private readonly localByChannelId = new Map<number, number>();
  private readonly selector: ChannelSelector;
  private readonly capacity: number;
  private readonly backlogLimit: number;
  private outbox: BufferShipment[] = [];
  private finished = false;
  /** Cached `isBackpressured` answer; recomputed only after a backlog changed. */
  private saturated = false;
  private backlogChanged = false;

  /** @throws RangeError when the spec does not fit its partitioner (see createChannelSelector). */
  constructor(readonly spec: ResultPartitionSpec, config: NetworkConfig) {
    this.edgeId = spec.edgeId;
    this.partitioner = spec.partitioner;
    this.subtask = spec.subtask;
    this.capacity = config.bufferCapacity;
    this.backlogLimit = config.maxBacklogBuffersPerChannel;
    this.subpartitions = spec.channels.map(({ channelId, target }, local) => {
      this.localByChannelId.set(channelId, local);
      return new Subpartition(channelId, target);
    });
    this.selector = createChannelSelector({
      ...spec,
      targets: spec.channels.map((channel) => channel.target),
      channelSelection: config.channelSelection,
      backlogs: this,
    });
  }

  /** Number of channels (subpartitions). */
  get numberOfChannels(): number {
    return this.subpartitions.length;
  }

  /**
   * Writes one record to the channel(s) its partitioner picks.
   *
   * @throws PartitionKeyError for an unhashable key on a hash edge; Error after end-of-partition.
   */
  emitRecord(record: StreamRecord, timestamp: VirtualMs | null): void {
    if (this.finished) this.throwFinished();
    if (this.selector.isBroadcast) {
      for (let local = 0; local < this.subpartitions.length; local++) this.append(local, record, timestamp);
      return;
    }
    this.append(this.selector.selectChannel(record), record, timestamp);
  }

  /**
   * Writes an event to every channel, after the records emitted before it.
   *
   * @throws Error after end-of-partition.
   */
  emitEvent(event: StreamEvent): void {
    if (this.finished) this.throwFinished();
    for (let local = 0; local < this.subpartitions.length; local++) {
      const subpartition = this.subpartitions[local] as Subpartition;
      if (event.type === 'barrier') subpartition.markBarrier(event.checkpointId);
      if (subpartition.down) continue;
      appendEvent(subpartition.current ?? subpartition.open(), event);
      subpartition.currentSize++;
      if (subpartition.currentSize >= this.capacity) this.finish(subpartition, local);
    }
    if (event.type === 'barrier' || event.type === 'end-of-partition') this.flush();
    if (event.type === 'end-of-partition') this.finished = true;
  }

  /** Finishes every partly filled buffer (tick end); each ships now if it has credit. */
  flush(): void {
    for (let local = 0; local < this.subpartitions.length; local++) {
      this.finish(this.subpartitions[local] as Subpartition, local);
    }
  }

  /** True while some channel's backlog is at the limit: take no more input (see module comment). */
  isBackpressured(): boolean {
    if (this.backlogChanged) {
      this.backlogChanged = false;
      this.saturated = this.subpartitions.some((subpartition) => subpartition.backlog >= this.backlogLimit);
    }
    return this.saturated;
  }

  /** True once end-of-partition was emitted. */
  isFinished(): boolean {
    return this.finished;
  }

  /** The strategy of a rebalance or rescale edge; null for other partitioners. */
  get channelSelection(): ChannelSelection | null {
    return this.selector instanceof RoundRobinSelector ? this.selector.channelSelection : null;
  }

  /** Switches a rebalance or rescale edge's strategy; a no-op for other partitioners. */
  setChannelSelection(selection: ChannelSelection): void {
    if (isLoadBalancing(this.partitioner) && this.selector instanceof RoundRobinSelector) {
      this.selector.setSelection(selection);
    }
  }

  /** Backlog of local channel `channel` (BacklogView, read by backlog-based selection). */
  backlog(channel: number): number {
    return (this.subpartitions[channel] as Subpartition).backlog;
  }

  /** Credit held for local channel `channel`. */
  credit(channel: number): number {
    return (this.subpartitions[channel] as Subpartition).credit;
  }

  /**
   * Applies a receiver's credit announcement and ships what it allows.
   *
   * @throws Error for a channel that is not this partition's; RangeError for a bad amount.
   */
  addCredit(announcement: CreditAnnouncement): void {
    const local = this.localByChannelId.get(announcement.channel);
    if (local === undefined) {
      throw new Error(`Credit for channel ${announcement.channel}, which is not an output of ${this.describe()}.`);
    }
    (this.subpartitions[local] as Subpartition).grant(announcement.credit, this.outbox);
    this.backlogChanged = true;
  }

  /** The sender end of global channel `channelId` (channel resets, channelReset.ts). */
  subpartitionFor(channelId: number): Subpartition {
    const local = this.localByChannelId.get(channelId);
    if (local === undefined) throw new Error(`Channel ${channelId} is not an output of ${this.describe()}.`);
    return this.subpartitions[local] as Subpartition;
  }

  /**
   * A channel reset (approximate local recovery, channelReset.ts): `down` drops the channel's
   * open buffer and backlog and mutes it; `up` restarts its sequence numbers and credit for a
   * fresh receiver. @returns records dropped (0 for `up`).
   */
  resetChannel(channelId: number, phase: 'down' | 'up'): number {
    const subpartition = this.subpartitionFor(channelId);
    this.backlogChanged = true;
    if (phase === 'up') {
      subpartition.comeUp();
      // A sender that ended while the receiver was down ends the fresh receiver's channel too.
      if (this.finished) {
        appendEvent(subpartition.open(), { type: 'end-of-partition' });
        subpartition.currentSize++;
        this.finish(subpartition, this.spec.channels.findIndex((c) => c.channelId === channelId));
      }
      return 0;
    }
    return subpartition.goDown();
  }

  /** Buffers shipped since the last call, in shipping order (per channel: sequence order). */
  takeShipments(): BufferShipment[] {
    const shipped = this.outbox;
    this.outbox = [];
    return shipped;
  }

  /** Backlog changes the receivers have not heard of, by channel order. */
  takeBacklogAnnouncements(): BacklogAnnouncement[] {
    const announcements: BacklogAnnouncement[] = [];
    for (const subpartition of this.subpartitions) {
      const backlog = subpartition.takeBacklogChange();
      if (backlog >= 0) announcements.push({ channel: subpartition.channelId, backlog });
    }
    return announcements;
  }

  /** Plain-data metrics of every channel and the totals. */
  metrics(): ResultPartitionMetrics {
    const channels = this.subpartitions.map((subpartition): OutputChannelMetrics => ({
      channel: subpartition.channelId,
      target: subpartition.target,
      recordsOut: subpartition.recordsOut,
      buffersOut: subpartition.buffersOut,
      backlog: subpartition.backlog,
      backlogHighWater: subpartition.backlogHighWater,
      credit: subpartition.credit,
    }));
    return {
      edgeId: this.edgeId,
      subtask: { ...this.subtask },
      partitioner: this.partitioner,
      channelSelection: this.channelSelection,
      recordsOut: sum(channels, (channel) => channel.recordsOut),
      buffersOut: sum(channels, (channel) => channel.buffersOut),
      backlog: sum(channels, (channel) => channel.backlog),
      backpressured: this.isBackpressured(),
      channels,
    };
  }

  private append(local: number, record: StreamRecord, timestamp: VirtualMs | null): void {
    const subpartition = this.subpartitions[local] as Subpartition;
    if (subpartition.down) {
      subpartition.recordsOut++;
      subpartition.dropped++;
      return;
    }
    appendRecord(subpartition.current ?? subpartition.open(), record, timestamp);
    subpartition.recordsOut++;
    if (++subpartition.currentSize >= this.capacity) this.finish(subpartition, local);
  }

  private finish(subpartition: Subpartition, local: number): void {
    if (subpartition.finish(this.outbox)) {
      this.backlogChanged = true;
      this.selector.bufferFinished(local);
    }
  }

  private describe(): string {
    return `${this.subtask.operatorId}#${this.subtask.index} on edge '${this.edgeId}'`;
  }

  private throwFinished(): never {
    throw new Error(`${this.describe()} already emitted end-of-partition; nothing more may be emitted.`);
  }
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}

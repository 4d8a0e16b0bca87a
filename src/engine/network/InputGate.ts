/**
 * The input side of one subtask (Flink `SingleInputGate`, one gate over all input edges, like
 * a union of Flink's gates): its input channels, the floating-buffer pool, credit
 * announcements, and the order in which the task reads.
 *
 * Read order. The task reads a whole buffer before moving on, then goes round robin to the
 * next channel (in channel order) that has data and is not blocked. This is what Flink's gate
 * does with its queue of channels with data: a channel that still has data is re-queued at
 * the back after each buffer. Because all buffers of a tick arrive together at the tick
 * boundary, "arrival order" in Sluice would be arbitrary; channel order after the last channel
 * served is the deterministic equivalent, and no channel can starve another.
 *
 * Channel order: the receiving operator's input edges in job-file order, then upstream index
 * (the order of `allChannels(graph)`), so a channel's local index is stable for a plan.
 *
 * `poll(maxRecords)` hands out either a run of consecutive records (a zero-copy slice of the
 * buffer's arrays, at most `maxRecords`, never crossing an event) or one event. Once a buffer
 * is read to its end it is recycled at once, so its credit goes out at the next tick end.
 * Callers must not mutate the arrays they are handed.
 *
 * Blocking (for barrier alignment): a blocked channel is skipped, mid-buffer if need be, and
 * resumes at the same element when unblocked.
 */
import type { StreamEvent, StreamRecord, SubtaskId, TimedRecord, VirtualMs } from '../runtime/types';
import type { NetworkConfig } from './config';
import { InputChannel, type InputChannelSpec } from './InputChannel';
import type { BacklogAnnouncement, BufferShipment, CreditAnnouncement } from './messages';
import type { InputChannelMetrics, InputGateMetrics } from './metrics';

/** Consecutive records of one buffer: `records[start..end)` with `timestamps[start..end)`. */
export interface RecordsItem {
  kind: 'records';
  /** Local channel index in this gate. */
  channel: number;
  records: readonly StreamRecord[];
  timestamps: readonly (VirtualMs | null)[];
  start: number;
  end: number;
}

/**
 * The records of a `RecordsItem` as `TimedRecord` objects, for consumers that take batches in
 * that shape (one small object per record; consumers that can read the parallel arrays
 * directly avoid it).
 */
export function timedRecordsOf(item: RecordsItem): TimedRecord[] {
  const out = new Array<TimedRecord>(item.end - item.start);
  for (let i = item.start; i < item.end; i++) {
    out[i - item.start] = { record: item.records[i] as StreamRecord, timestamp: item.timestamps[i] ?? null };
  }
  return out;
}

/** One in-band event. */
export interface EventItem {
  kind: 'event';
  channel: number;
  event: StreamEvent;
}

/** What `poll` hands out. */
export type InputItem = RecordsItem | EventItem;

/** A subtask's input gate over all its input channels; see the module comment for read order. */
export class InputGate {
  readonly subtask: SubtaskId;
  private readonly channels: InputChannel[];
  private readonly localByChannelId = new Map<number, number>();
  private floatingAvailable: number;
  /** Channel whose head buffer is partly read, or -1. */
  private current = -1;
  /** Channel served last; the round robin continues after it. */
  private cursor: number;
  /** Where the next floating-buffer distribution starts (rotates for fairness). */
  private floatingCursor = 0;
  private finishedChannels = 0;

  /** @throws RangeError when `channels` is empty or names a channel id twice. */
  constructor(subtask: SubtaskId, channels: readonly InputChannelSpec[], config: NetworkConfig) {
    if (channels.length === 0) throw new RangeError(`Input gate of ${subtask.operatorId}#${subtask.index} has no channels.`);
    this.subtask = subtask;
    this.channels = channels.map((spec, local) => {
      if (this.localByChannelId.has(spec.channelId)) throw new RangeError(`Channel id ${spec.channelId} appears twice.`);
      this.localByChannelId.set(spec.channelId, local);
      return new InputChannel(spec, config.exclusiveBuffersPerChannel, config.bufferCapacity);
    });
    this.floatingAvailable = config.floatingBuffersPerGate;
    this.cursor = this.channels.length - 1;
  }

  /** Number of input channels. */
  get numberOfChannels(): number {
    return this.channels.length;
  }

  /** Which edge and upstream subtask local channel `channel` comes from. */
  channelInfo(channel: number): InputChannelSpec {
    const c = this.channel(channel);
    return { channelId: c.channelId, edgeId: c.edgeId, inputIndex: c.inputIndex, source: c.source };
  }

  /** Accepts a shipment for one of this gate's channels (transport side). */
  receive(shipment: BufferShipment): void {
    this.byId(shipment.channel).receive(shipment);
  }

  /** Accepts a backlog announcement (transport side). */
  receiveBacklog(announcement: BacklogAnnouncement): void {
    this.byId(announcement.channel).receiveBacklog(announcement.backlog);
  }

  /**
   * Tick end: hands floating buffers to channels that need them, then returns the credit
   * every channel can announce (channel order, only non-zero amounts).
   */
  takeCreditAnnouncements(): CreditAnnouncement[] {
    this.distributeFloating();
    const announcements: CreditAnnouncement[] = [];
    for (const channel of this.channels) {
      const credit = channel.announce();
      if (credit > 0) announcements.push({ channel: channel.channelId, credit });
    }
    return announcements;
  }

  /**
   * The next records or event in read order, or null when no unblocked channel has data.
   *
   * @throws RangeError unless `maxRecords` is a positive integer.
   */
  poll(maxRecords: number): InputItem | null {
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      throw new RangeError(`poll(maxRecords): ${String(maxRecords)} must be a positive integer.`);
    }
    const local = this.nextReadable();
    if (local < 0) return null;
    const channel = this.channels[local] as InputChannel;
    const buffer = channel.head();
    if (buffer === undefined) throw new Error('InputGate: a readable channel has no buffer.');
    const eventAt = channel.eventPos < buffer.events.length
      ? (buffer.eventPositions[channel.eventPos] as number)
      : buffer.records.length;
    let item: InputItem;
    if (channel.recordPos < eventAt) {
      const start = channel.recordPos;
      const end = Math.min(eventAt, start + maxRecords);
      channel.recordPos = end;
      channel.recordsIn += end - start;
      item = { kind: 'records', channel: local, records: buffer.records, timestamps: buffer.timestamps, start, end };
    } else {
      const event = buffer.events[channel.eventPos++] as StreamEvent;
      if (event.type === 'end-of-partition') this.markFinished(channel);
      item = { kind: 'event', channel: local, event };
    }
    if (channel.recordPos === buffer.records.length && channel.eventPos === buffer.events.length) {
      this.floatingAvailable += channel.recycleHead();
      this.current = -1;
    }
    return item;
  }

  /** True when some unblocked channel has data (a scan over the channels). */
  hasInput(): boolean {
    return this.channels.some((channel) => channel.isReadable());
  }

  /** Blocks or unblocks a channel (barrier alignment). */
  setBlocked(channel: number, blocked: boolean): void {
    this.channel(channel).blocked = blocked;
    if (blocked && channel === this.current) this.current = -1;
  }

  /** True when the channel is blocked. */
  isBlocked(channel: number): boolean {
    return this.channel(channel).blocked;
  }

  /** True when local channel `channel` delivered its end-of-partition. */
  isChannelFinished(channel: number): boolean {
    return this.channel(channel).finished;
  }

  /** True while local channel `channel`'s sender is down (approximate local recovery). */
  isChannelDown(channel: number): boolean {
    return this.channel(channel).down;
  }

  /**
   * A channel reset (approximate local recovery, channelReset.ts): `down` discards what the
   * channel holds unread and mutes it; `up` restarts its sequence numbers and initial credit
   * for a fresh sender. @returns the local channel index and records discarded (0 for `up`).
   */
  resetChannel(channelId: number, phase: 'down' | 'up'): { channel: number; records: number } {
    const local = this.localByChannelId.get(channelId);
    if (local === undefined) throw new Error(`Channel ${channelId} is not an input of ${this.subtask.operatorId}#${this.subtask.index}.`);
    const channel = this.channels[local] as InputChannel;
    if (phase === 'up') {
      channel.comeUp();
      return { channel: local, records: 0 };
    }
    if (this.current === local) this.current = -1;
    const { records, floating } = channel.goDown();
    this.floatingAvailable += floating;
    return { channel: local, records };
  }

  /** True once every channel delivered its end-of-partition. */
  isFinished(): boolean {
    return this.finishedChannels === this.channels.length;
  }

  /** Plain-data metrics of every channel and the totals. */
  metrics(): InputGateMetrics {
    const channels = this.channels.map((c): InputChannelMetrics => ({
      channel: c.channelId,
      edgeId: c.edgeId,
      source: c.source,
      recordsIn: c.recordsIn,
      buffersIn: c.buffersIn,
      queuedBuffers: c.occupied,
      floatingBuffers: c.floating,
      creditGiven: c.announced + c.unannounced,
      senderBacklog: c.senderBacklog,
      blocked: c.blocked,
      finished: c.finished,
    }));
    let recordsIn = 0;
    let buffersIn = 0;
    let queuedBuffers = 0;
    for (const c of channels) {
      recordsIn += c.recordsIn;
      buffersIn += c.buffersIn;
      queuedBuffers += c.queuedBuffers;
    }
    return {
      subtask: { ...this.subtask }, recordsIn, buffersIn, queuedBuffers,
      floatingAvailable: this.floatingAvailable, channels,
    };
  }

  /** Keeps reading the partly read buffer, else round robin after the last channel served. */
  private nextReadable(): number {
    if (this.current >= 0) return this.current;
    const n = this.channels.length;
    for (let step = 1; step <= n; step++) {
      const local = (this.cursor + step) % n;
      if ((this.channels[local] as InputChannel).isReadable()) {
        this.cursor = local;
        this.current = local;
        return local;
      }
    }
    return -1;
  }

  /** One buffer at a time, round robin over channels in need, until the pool or the need runs out. */
  private distributeFloating(): void {
    const n = this.channels.length;
    let progress = true;
    while (this.floatingAvailable > 0 && progress) {
      progress = false;
      for (let step = 0; step < n && this.floatingAvailable > 0; step++) {
        const channel = this.channels[(this.floatingCursor + step) % n] as InputChannel;
        if (channel.floatingDemand() > 0) {
          channel.addFloating();
          this.floatingAvailable--;
          progress = true;
        }
      }
    }
    this.floatingCursor = (this.floatingCursor + 1) % n;
  }

  private markFinished(channel: InputChannel): void {
    channel.finished = true;
    this.finishedChannels++;
  }

  private channel(local: number): InputChannel {
    const channel = this.channels[local];
    if (channel === undefined) throw new RangeError(`Input channel ${String(local)} does not exist (gate has ${this.channels.length}).`);
    return channel;
  }

  private byId(channelId: number): InputChannel {
    const local = this.localByChannelId.get(channelId);
    if (local === undefined) {
      throw new Error(`Channel ${channelId} is not an input of ${this.subtask.operatorId}#${this.subtask.index}.`);
    }
    return this.channels[local] as InputChannel;
  }
}

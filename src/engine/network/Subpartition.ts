/**
 * The sender's end of one channel (Flink `PipelinedSubpartition` plus the credit-based
 * reader `CreditBasedSequenceNumberingViewReader`, folded into one small class).
 *
 * It owns the buffer being filled, the queue of finished buffers waiting for credit (the
 * channel's backlog, Flink's meaning), the credit the receiver has announced, and the next
 * sequence number. A finished buffer ships at once when there is credit, otherwise it waits
 * in the backlog and ships as soon as credit arrives, in order.
 */
import { CreditAccount } from './CreditAccount';
import { Fifo } from './Fifo';
import type { BufferShipment } from './messages';
import { emptyBuffer, type NetworkBuffer } from './NetworkBuffer';

/** Barrier positions kept per channel (restores come from recent checkpoints). */
const BARRIER_MARKS_KEPT = 64;

/** The sender side of one channel: open buffer, backlog queue, credit, sequence numbers. */
export class Subpartition {
  /** The buffer being filled, or null before the next element. */
  current: NetworkBuffer | null = null;
  /** Elements in `current`. */
  currentSize = 0;
  /** Records written into this channel (Flink numRecordsOut, per channel). */
  recordsOut = 0;
  /** Buffers shipped to the receiver. */
  buffersOut = 0;
  /** Largest backlog seen (telemetry). */
  backlogHighWater = 0;
  private readonly queue = new Fifo<NetworkBuffer>();
  private readonly credits = new CreditAccount();
  private nextSequenceNumber = 0;
  /** The backlog the receiver last heard of (with a shipment or an announcement). */
  private reportedBacklog = 0;
  /**
   * Approximate local recovery (channelReset.ts): the receiver is down. Records written here
   * are dropped (counted in `dropped`), nothing ships, credit is ignored.
   */
  down = false;
  /** Records dropped while down, not yet reported. */
  dropped = 0;
  /** `recordsOut` when each recent barrier was written, oldest first ([checkpoint id, records]). */
  readonly barrierMarks: [number, number][] = [];
  /** `recordsOut` when the channel last came up after a reset (what a later restart cannot have lost). */
  upMark = 0;

  /**
   * @param channelId global channel id (messages name channels by it).
   * @param target downstream subtask index.
   */
  constructor(
    readonly channelId: number,
    readonly target: number,
  ) {}

  /** Buffers finished and queued here for lack of credit. */
  get backlog(): number {
    return this.queue.length;
  }

  /** Credits held: buffers that may ship right now. */
  get credit(): number {
    return this.credits.available;
  }

  /** Opens a fresh buffer as `current` and returns it. */
  open(): NetworkBuffer {
    const buffer = emptyBuffer();
    this.current = buffer;
    this.currentSize = 0;
    return buffer;
  }

  /**
   * Finishes `current` (if it holds anything) into the backlog, then ships what credit allows.
   * @returns true when a buffer was finished.
   */
  finish(outbox: BufferShipment[]): boolean {
    const buffer = this.current;
    if (buffer === null || this.currentSize === 0) return false;
    this.current = null;
    this.currentSize = 0;
    this.queue.push(buffer);
    if (this.queue.length > this.backlogHighWater) this.backlogHighWater = this.queue.length;
    this.ship(outbox);
    return true;
  }

  /** Adds announced credit and ships queued buffers it allows. */
  grant(credit: number, outbox: BufferShipment[]): void {
    if (this.down) return;
    this.credits.grant(credit);
    this.ship(outbox);
  }

  /**
   * The backlog to announce, or -1 when the receiver already knows it. Only a channel without
   * credit can have a backlog (shipping drains it otherwise), which is exactly when the
   * receiver needs telling so it can assign floating buffers.
   */
  takeBacklogChange(): number {
    const backlog = this.queue.length;
    if (backlog === this.reportedBacklog) return -1;
    this.reportedBacklog = backlog;
    return backlog;
  }

  /**
   * The channel's receiver went down (approximate local recovery): the open buffer and the
   * backlog are dropped, credit and sequence numbers start over, and nothing ships until
   * `comeUp`. @returns records dropped.
   */
  goDown(): number {
    let records = this.current?.records.length ?? 0;
    this.current = null;
    this.currentSize = 0;
    while (this.queue.length > 0) records += this.queue.shift().records.length;
    this.credits.reset();
    this.nextSequenceNumber = 0;
    this.reportedBacklog = 0;
    this.down = true;
    return records;
  }

  /** The receiver runs again, with a fresh input channel: sequence 0, no credit until it announces. */
  comeUp(): void {
    this.down = false;
    this.credits.reset();
    this.nextSequenceNumber = 0;
    this.reportedBacklog = 0;
    this.upMark = this.recordsOut;
  }

  /** Remembers where barrier `checkpointId` was written (a restart from it loses what follows). */
  markBarrier(checkpointId: number): void {
    this.barrierMarks.push([checkpointId, this.recordsOut]);
    if (this.barrierMarks.length > BARRIER_MARKS_KEPT) this.barrierMarks.shift();
  }

  /**
   * Records written since the receiver's snapshot `checkpointId` (0: since it last came up):
   * what a receiver restored from that snapshot never reflects. A barrier this sender attempt
   * never wrote (it restarted since) counts from its own start.
   */
  writtenSince(checkpointId: number): number {
    let base = 0;
    for (const [id, records] of this.barrierMarks) if (id === checkpointId) base = records;
    return this.recordsOut - Math.max(base, this.upMark);
  }

  private ship(outbox: BufferShipment[]): void {
    if (this.down) return;
    while (this.queue.length > 0 && this.credits.canSend()) {
      this.credits.spend();
      const buffer = this.queue.shift();
      const backlog = this.queue.length;
      this.reportedBacklog = backlog;
      outbox.push({ channel: this.channelId, sequenceNumber: this.nextSequenceNumber++, backlog, buffer });
      this.buffersOut++;
    }
  }
}

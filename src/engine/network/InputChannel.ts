/**
 * The receiver's end of one channel (Flink `RemoteInputChannel` with its `BufferManager`,
 * simplified to counts).
 *
 * Buffer accounting. The channel owns `exclusive` buffers for good and borrows `floating`
 * ones from its gate's pool. Buffers holding received data not yet fully read are
 * `occupied`; the rest are free, and every free buffer is promised to the sender as credit,
 * either already announced or waiting for the next announcement:
 *
 *     free = exclusive + floating - occupied = announced + unannounced
 *
 * - A shipment needs an announced credit (the sender spent it) and occupies a buffer.
 * - Reading a buffer to its end recycles it: the buffer becomes free again and is announced,
 *   unless the channel holds a floating buffer it no longer needs, which then goes back to
 *   the pool (Flink `BufferManager.recycle` / `addExclusiveBuffer`).
 * - A channel "needs" `senderBacklog + exclusive` free buffers, Flink's `numRequiredBuffers`
 *   (`backlog + initialCredit`): enough credit for the sender's whole backlog plus the usual
 *   headroom. The gate hands out floating buffers towards that need.
 *
 * Violations (a shipment without credit, out of sequence, after end-of-partition, malformed)
 * are transport or protocol bugs and throw.
 */
import { Fifo } from './Fifo';
import type { BufferShipment } from './messages';
import { assertWellFormedBuffer, type NetworkBuffer } from './NetworkBuffer';

/** Where a gate's channel comes from. */
export interface InputChannelSpec {
  /** Global channel id. */
  channelId: number;
  edgeId: string;
  /** Index of the edge among the receiving operator's input edges (file order). */
  inputIndex: number;
  /** Upstream subtask index. */
  source: number;
}

/** One input channel: received buffers, read position and buffer/credit accounting (module comment). */
export class InputChannel {
  readonly channelId: number;
  readonly edgeId: string;
  readonly inputIndex: number;
  readonly source: number;
  /** Floating buffers held from the gate's pool. */
  floating = 0;
  /** Credit the sender holds (announced and not yet spent on a shipment). */
  announced = 0;
  /** Free buffers not yet announced; starts at `exclusive`, the initial credit. */
  unannounced: number;
  /** The sender's backlog as last reported. */
  senderBacklog = 0;
  blocked = false;
  /** True once the end-of-partition event was read: the channel carries nothing more. */
  finished = false;
  recordsIn = 0;
  buffersIn = 0;
  /** Read position in the head buffer: next record, next event. */
  recordPos = 0;
  eventPos = 0;
  /** Approximate local recovery: the sender is down (channelReset.ts); nothing arrives, nothing is announced. */
  down = false;
  private readonly queue = new Fifo<NetworkBuffer>();
  private expectedSequenceNumber = 0;
  private endReceived = false;

  constructor(
    spec: InputChannelSpec,
    readonly exclusive: number,
    private readonly capacity: number,
  ) {
    this.channelId = spec.channelId;
    this.edgeId = spec.edgeId;
    this.inputIndex = spec.inputIndex;
    this.source = spec.source;
    this.unannounced = exclusive;
  }

  /** Buffers received and not yet fully read. */
  get occupied(): number {
    return this.queue.length;
  }

  /** Free buffers (each promised to the sender as credit). */
  get free(): number {
    return this.exclusive + this.floating - this.queue.length;
  }

  /** The buffer being read, or undefined when nothing is queued. */
  head(): NetworkBuffer | undefined {
    return this.queue.peek();
  }

  /** Queued data that may be read now (not blocked). */
  isReadable(): boolean {
    return !this.blocked && !this.down && this.queue.length > 0;
  }

  /** Floating buffers this channel could use now (Flink: `numRequiredBuffers` minus available). */
  floatingDemand(): number {
    if (this.endReceived || this.down) return 0;
    return Math.max(0, this.senderBacklog + this.exclusive - this.free);
  }

  /**
   * Accepts a shipment.
   *
   * @throws Error on a sequence gap, a shipment without credit, data after end-of-partition,
   * or a malformed buffer.
   */
  receive(shipment: BufferShipment): void {
    const where = `channel ${this.channelId} (edge '${this.edgeId}', from subtask ${this.source})`;
    if (this.endReceived) throw new Error(`A buffer arrived on ${where} after its end-of-partition.`);
    if (shipment.sequenceNumber !== this.expectedSequenceNumber) {
      throw new Error(
        `Buffer re-ordering on ${where}: expected sequence number ${this.expectedSequenceNumber}, ` +
          `got ${shipment.sequenceNumber}. The transport lost or reordered a buffer.`,
      );
    }
    if (this.announced < 1) throw new Error(`A buffer arrived on ${where} without credit: the sender overran it.`);
    assertWellFormedBuffer(shipment.buffer, this.capacity);
    assertEndIsLast(shipment.buffer, where);
    this.expectedSequenceNumber++;
    this.announced--;
    this.queue.push(shipment.buffer);
    this.buffersIn++;
    this.senderBacklog = shipment.backlog;
    const events = shipment.buffer.events;
    if (events.length > 0 && events[events.length - 1]?.type === 'end-of-partition') this.endReceived = true;
  }

  /** Takes the sender's backlog from a `BacklogAnnouncement`. */
  receiveBacklog(backlog: number): void {
    if (!Number.isInteger(backlog) || backlog < 0) {
      throw new RangeError(`Backlog ${String(backlog)} on channel ${this.channelId} must be a non-negative integer.`);
    }
    if (this.endReceived && backlog > 0) {
      throw new Error(`Channel ${this.channelId} reported a backlog after its end-of-partition.`);
    }
    this.senderBacklog = backlog;
  }

  /** Gives the channel one floating buffer from the pool; it is free and will be announced. */
  addFloating(): void {
    this.floating++;
    this.unannounced++;
  }

  /** Moves unannounced credit to announced and returns how much (0 when nothing is new). */
  announce(): number {
    if (this.down) return 0;
    const credit = this.unannounced;
    this.announced += credit;
    this.unannounced = 0;
    return credit;
  }

  /**
   * The head buffer was read to its end: drop it and account for the freed buffer.
   * @returns how many floating buffers go back to the gate's pool (0 or more).
   */
  recycleHead(): number {
    this.queue.shift();
    this.recordPos = 0;
    this.eventPos = 0;
    if (this.finished) return this.releaseAll();
    if (this.floating > 0 && this.free > this.senderBacklog + this.exclusive) {
      // Keep `free` as it was: the floating buffer leaves instead of a new credit appearing.
      this.floating--;
      return 1;
    }
    this.unannounced++;
    return 0;
  }

  /**
   * The sender went down (approximate local recovery): what it sent and was not read yet is
   * discarded (Flink's partial-record cleanup, FLINK-19632, at buffer granularity here: a buffer
   * only ever holds whole records). @returns records discarded and floating buffers returned.
   */
  goDown(): { records: number; floating: number } {
    let records = 0;
    const head = this.queue.peek();
    if (head !== undefined) records -= this.recordPos;
    while (this.queue.length > 0) records += this.queue.shift().records.length;
    this.recordPos = 0;
    this.eventPos = 0;
    const floating = this.floating;
    this.floating = 0;
    this.announced = 0;
    this.unannounced = 0;
    this.senderBacklog = 0;
    this.down = true;
    return { records, floating };
  }

  /** A fresh sender attempt: sequence numbers from 0, the initial credit announced again. */
  comeUp(): void {
    this.down = false;
    this.expectedSequenceNumber = 0;
    this.announced = 0;
    this.unannounced = this.exclusive;
    this.senderBacklog = 0;
  }

  /**
   * After end-of-partition, no credit will ever be used: return every floating buffer and
   * forget the credit bookkeeping. @returns floating buffers returned.
   */
  releaseAll(): number {
    const released = this.floating;
    this.floating = 0;
    this.announced = 0;
    this.unannounced = 0;
    return released;
  }
}

/** End-of-partition must be the last element of the buffer that carries it. */
function assertEndIsLast(buffer: NetworkBuffer, where: string): void {
  const events = buffer.events;
  for (let j = 0; j < events.length; j++) {
    if (events[j]?.type !== 'end-of-partition') continue;
    if (j !== events.length - 1 || buffer.eventPositions[j] !== buffer.records.length) {
      throw new Error(`A buffer on ${where} carries elements after its end-of-partition.`);
    }
  }
}

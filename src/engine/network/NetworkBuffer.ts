/**
 * Network buffers: the unit in which records and in-band events travel (DESIGN.md §4).
 *
 * Representation: parallel arrays rather than an array of `TimedRecord` objects.
 * - `records[i]` and `timestamps[i]` are the i-th record and its event time (null without
 *   event time), so emitting a record allocates nothing but array slots.
 * - Events (watermarks, idle, barriers, end-of-partition) travel in-band, in order: event j
 *   comes after exactly `eventPositions[j]` records of this buffer. Positions never decrease,
 *   so a reader interleaves the two arrays with one cursor each.
 *
 * A buffer is plain data (arrays, numbers, strings, plain records): structured-cloneable as it
 * is, and easy for a worker transport to pack into a transferable ArrayBuffer. Records are
 * treated as immutable once emitted: a broadcast puts the same record object into several
 * buffers, and a local channel hands that object to the consumer without copying.
 *
 * Capacity counts elements (records plus events), so a buffer's memory is bounded even when a
 * subtask emits only watermarks. Flink sends barriers and end-of-partition as separate event
 * buffers; here they share the buffer and then finish it (see ResultPartition), which keeps
 * the same order and the same "events are not delayed behind a half-full buffer" property.
 */
import type { StreamEvent, StreamRecord, VirtualMs, StreamElement } from '../runtime/types';

/** One buffer of records and events, as it travels from a sender to a receiver. */
export interface NetworkBuffer {
  /** The records, in emission order. */
  records: StreamRecord[];
  /** Event time of `records[i]` (virtual ms), or null when the job runs without event time. */
  timestamps: (VirtualMs | null)[];
  /** The in-band events, in emission order. */
  events: StreamEvent[];
  /** `eventPositions[j]`: how many of this buffer's records precede `events[j]`. */
  eventPositions: number[];
}

/** Number of elements (records plus events) in a buffer. */
export function bufferSize(buffer: NetworkBuffer): number {
  return buffer.records.length + buffer.events.length;
}

/** A new, empty buffer. */
export function emptyBuffer(): NetworkBuffer {
  return { records: [], timestamps: [], events: [], eventPositions: [] };
}

/**
 * Appends a record. The caller (a subpartition) checks capacity first; this function is on
 * the per-record path and does no checks of its own.
 */
export function appendRecord(buffer: NetworkBuffer, record: StreamRecord, timestamp: VirtualMs | null): void {
  buffer.records.push(record);
  buffer.timestamps.push(timestamp);
}

/** Appends an event after every record appended so far. */
export function appendEvent(buffer: NetworkBuffer, event: StreamEvent): void {
  buffer.eventPositions.push(buffer.records.length);
  buffer.events.push(event);
}

/**
 * The buffer's elements in order, as `StreamElement`s. Allocates one object per record: for
 * tests, debugging and telemetry samples, never the hot path.
 */
export function bufferElements(buffer: NetworkBuffer): StreamElement[] {
  const out: StreamElement[] = [];
  let event = 0;
  for (let i = 0; i <= buffer.records.length; i++) {
    while (event < buffer.events.length && buffer.eventPositions[event] === i) {
      out.push(buffer.events[event] as StreamEvent);
      event++;
    }
    if (i < buffer.records.length) {
      out.push({ type: 'record', record: buffer.records[i] as StreamRecord, timestamp: buffer.timestamps[i] ?? null });
    }
  }
  return out;
}

/** A buffer holding `elements` in order (tests and replay tools). */
export function bufferOf(elements: readonly StreamElement[]): NetworkBuffer {
  const buffer = emptyBuffer();
  for (const element of elements) {
    if (element.type === 'record') appendRecord(buffer, element.record, element.timestamp);
    else appendEvent(buffer, element);
  }
  return buffer;
}

/**
 * Checks a buffer that arrived from elsewhere (a transport, a test): parallel arrays of equal
 * length, event positions within range and non-decreasing, not empty.
 *
 * @throws Error describing the first violation.
 */
export function assertWellFormedBuffer(buffer: NetworkBuffer, capacity: number): void {
  if (buffer.records.length !== buffer.timestamps.length) {
    throw new Error(
      `Malformed buffer: ${buffer.records.length} records but ${buffer.timestamps.length} timestamps.`,
    );
  }
  if (buffer.events.length !== buffer.eventPositions.length) {
    throw new Error(
      `Malformed buffer: ${buffer.events.length} events but ${buffer.eventPositions.length} event positions.`,
    );
  }
  const size = bufferSize(buffer);
  if (size === 0) throw new Error('Malformed buffer: it is empty; senders never ship empty buffers.');
  if (size > capacity) throw new Error(`Malformed buffer: ${size} elements exceed the capacity ${capacity}.`);
  let previous = 0;
  for (const position of buffer.eventPositions) {
    if (!Number.isInteger(position) || position < previous || position > buffer.records.length) {
      throw new Error(`Malformed buffer: event position ${String(position)} is out of order or out of range.`);
    }
    previous = position;
  }
}

/**
 * Where an operator's records go: two parallel arrays (record, event time), the shape of the
 * network's buffers, so emitting allocates nothing beyond array slots. The runtime drains it
 * after each operator call and hands the records to the partitioners.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import type { OperatorCounters } from './types';

/** What a drain returns: records and their timestamps, index-aligned. */
export interface EmittedRecords {
  records: StreamRecord[];
  timestamps: (VirtualMs | null)[];
}

export class OutputCollector {
  private records: StreamRecord[] = [];
  private timestamps: (VirtualMs | null)[] = [];

  constructor(private readonly counters: OperatorCounters) {}

  /** Records emitted since the last drain. */
  get size(): number {
    return this.records.length;
  }

  /** Emits a record with its event time (null without event time). Counts it as out. */
  emit(record: StreamRecord, timestamp: VirtualMs | null): void {
    this.records.push(record);
    this.timestamps.push(timestamp);
    this.counters.recordsOut++;
  }

  /** Takes everything emitted so far and starts empty. */
  drain(): EmittedRecords {
    const drained = { records: this.records, timestamps: this.timestamps };
    this.records = [];
    this.timestamps = [];
    return drained;
  }

  /** Drains as `TimedRecord`s (tests, simple runtimes). */
  drainTimed(): TimedRecord[] {
    const { records, timestamps } = this.drain();
    return records.map((record, i) => ({ record, timestamp: timestamps[i] ?? null }));
  }
}

/**
 * `TimedRecord[]` ↔ the network's parallel arrays. Operators implement their loop once, over
 * slices (`processSlice`: `records[from..to)` with `timestamps[from..to)`, the shape input
 * arrives in, with no object per record), and `processBatch` adapts a `TimedRecord[]` to it.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';

/** The parallel arrays of a batch. */
export interface RecordSlice {
  records: StreamRecord[];
  timestamps: (VirtualMs | null)[];
}

/** Splits a batch of `TimedRecord`s into parallel arrays. */
export function sliceOfTimed(batch: readonly TimedRecord[]): RecordSlice {
  const records = new Array<StreamRecord>(batch.length);
  const timestamps = new Array<VirtualMs | null>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const element = batch[i] as TimedRecord;
    records[i] = element.record;
    timestamps[i] = element.timestamp;
  }
  return { records, timestamps };
}

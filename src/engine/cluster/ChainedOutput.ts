/**
 * The output of a chained edge (plan/chaining.ts): instead of network buffers, credit and a
 * one-tick delay, the records an operator emits are handed to the next operator of its chain
 * by a direct call, in the same tick. Records are gathered while the upstream call runs and
 * handed over as one slice before anything else happens on the edge: before an event
 * (watermarks and end-of-input pass down in order, after the records), before the upstream
 * asks whether it is back-pressured, and at the end of the upstream's step.
 */
import type { StreamEvent, StreamRecord, VirtualMs } from '../runtime/types';
import type { TaskOutput } from './HostedTask';
import type { OperatorTask } from './OperatorTask';

export class ChainedOutput implements TaskOutput {
  readonly direct = true;
  /** Records handed to the next operator (the edge's channel gauge). */
  recordsOut = 0;
  private records: StreamRecord[] = [];
  private timestamps: (VirtualMs | null)[] = [];

  constructor(private readonly next: OperatorTask) {}

  emitRecord(record: StreamRecord, timestamp: VirtualMs | null): void {
    this.records.push(record);
    this.timestamps.push(timestamp);
  }

  emitEvent(event: StreamEvent): void {
    this.flush();
    this.next.pushEvent(event);
  }

  isBackpressured(): boolean {
    this.flush();
    return this.next.chainBlocked();
  }

  flush(): void {
    if (this.records.length === 0) return;
    const records = this.records;
    const timestamps = this.timestamps;
    this.records = [];
    this.timestamps = [];
    this.recordsOut += records.length;
    this.next.pushRecords(records, timestamps);
  }
}

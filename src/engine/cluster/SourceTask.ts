/**
 * A source subtask on a TaskManager: polls its partitions up to the tick's end, within its
 * virtual budget, unless its output is back-pressured (then it reads nothing and its
 * partitions fall behind, to catch up later at the budget's pace, like a Kafka consumer
 * that stopped fetching).
 *
 * Checkpoints: a trigger (a start-tick command) is served before the tick's poll, so the
 * barrier sits between the records emitted before and after the tick boundary; the snapshot
 * (offsets and reader state, SourceSubtask.snapshot) is acknowledged at once (Flink
 * `SourceStreamTask.triggerCheckpointAsync` → `performCheckpoint`).
 */
import type { OperatorKind } from '../job/types';
import type { OperatorCounters } from '../operators/types';
import type { SubtaskRef } from '../plan/executionGraph';
import type { VirtualMs } from '../runtime/types';
import type { SourceSnapshot, SourceSubtask } from '../sources/SourceSubtask';
import { ForwardingCollector } from './ForwardingCollector';
import { HostedTask, type TaskOutbox, type TaskOutput } from './HostedTask';

export class SourceTask extends HostedTask {
  private readonly collector: ForwardingCollector;
  /** Stopped with a checkpoint: polls nothing until it is cancelled. */
  private stopped = false;

  constructor(
    ref: SubtaskRef,
    kind: OperatorKind,
    operatorName: string,
    private readonly source: SourceSubtask,
    outputs: readonly TaskOutput[],
    costScale: number,
    outbox: TaskOutbox,
  ) {
    const counters: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0 };
    super(ref, kind, operatorName, outputs, counters, costScale, outbox);
    this.collector = new ForwardingCollector(counters, outputs);
  }

  close(): void {}

  trigger(checkpointId: number, checkpointType: 'full' | 'incremental', stop = false): undefined {
    if (this.state !== 'running') return undefined;
    this.acknowledge(checkpointId, { source: this.source.snapshot() }, 0, checkpointType);
    this.emitEvent({ type: 'barrier', checkpointId, checkpointType });
    this.flushOutputs();
    // Stop with a checkpoint (Flink's synchronous savepoint): nothing follows the barrier, so
    // no state changes after the snapshot and the restore that follows reverts nothing.
    if (stop) this.stopped = true;
    return undefined;
  }

  /**
   * Rewinds to a checkpoint's offsets (a restart); nothing to do from the beginning. A list:
   * the snapshots of every former subtask (a rescale), each partition from its own.
   */
  restore(snapshot: SourceSnapshot | readonly SourceSnapshot[] | undefined, nowMs: VirtualMs): void {
    if (snapshot !== undefined) this.source.restore(snapshot, nowMs);
  }

  protected work(): undefined {
    if (this.stopped) {
      this.stoppedBy = 'idle';
      return undefined;
    }
    if (this.isBackpressured()) {
      this.stoppedBy = 'backpressured';
      return undefined;
    }
    const affordable = this.recordsAffordable();
    if (affordable === 0) return undefined;
    const perPartition = Math.max(1, Math.floor(affordable / Math.max(1, this.source.partitions.length)));
    const result = this.source.poll(this.tickWindow.toMs, this.collector, perPartition);
    this.counters.recordsIn += result.emitted;
    this.charge(result.emitted, 0);
    for (const event of result.events) this.emitEvent(event);
    if (result.status === 'finished') this.finish();
    this.stoppedBy = this.isBackpressured() ? 'backpressured' : 'idle';
    return undefined;
  }

  protected watermark(): VirtualMs | null {
    const watermark = this.source.currentWatermark;
    return watermark === Number.NEGATIVE_INFINITY ? null : watermark;
  }
}

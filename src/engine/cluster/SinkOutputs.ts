/**
 * What the collect sinks wrote, as the JobManager shows it (`output(sinkId)`, DESIGN.md §8),
 * assembled from the TaskManagers' sink deltas.
 *
 * Per sink subtask: records written join `pending`; a commit moves the oldest pending records
 * to `committed` (two-phase commit commits a prefix of what was written). Until checkpoints
 * exist nothing commits while the job runs: everything a sink wrote is pending, and a bounded
 * job commits it all when its input ends (the collect sink's `commitAll`). With checkpoints,
 * each completed checkpoint will commit its transactions through the same path.
 *
 * Memory: counts are exact; records are kept up to `keepRecords` committed (the sink's own
 * setting, most recent) and {@link PENDING_KEPT} pending per sink subtask (most recent). An
 * unbounded job without checkpoints would otherwise grow without limit.
 */
import { configWithDefaults } from '../job/catalogue';
import type { JobGraph } from '../job/types';
import type { SinkDelta } from '../runtime/protocol';
import type { SinkOutput } from '../runtime/telemetry';
import type { StreamRecord } from '../runtime/types';
import { EMPTY_RECORD_HASH } from './recordHash';

/** Most recent pending records kept per sink subtask for display. */
export const PENDING_KEPT = 100_000;

class SubtaskOutput {
  /** Pending records kept: `pending[head..]`; `droppedPending` older ones were not kept. */
  private pending: StreamRecord[] = [];
  private head = 0;
  private droppedPending = 0;
  private committed: StreamRecord[] = [];
  private committedStart = 0;
  pendingCount = 0;
  committedCount = 0;
  hash = EMPTY_RECORD_HASH;

  constructor(private readonly keep: number) {}

  apply(delta: SinkDelta): void {
    for (const record of delta.written) this.pending.push(record);
    this.pendingCount += delta.written.length;
    this.hash = delta.hash;
    this.trimPending();
    let commit = delta.committed;
    this.pendingCount -= commit;
    this.committedCount += commit;
    const unkept = Math.min(commit, this.droppedPending);
    this.droppedPending -= unkept;
    commit -= unkept;
    for (let i = 0; i < commit; i++) this.pushCommitted(this.pending[this.head + i] as StreamRecord);
    this.head += commit;
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  output(last?: number): SinkOutput {
    const committed = [...this.committed.slice(this.committedStart), ...this.committed.slice(0, this.committedStart)];
    const from = last === undefined ? this.head : Math.max(this.head, this.pending.length - last);
    return {
      committed: last === undefined ? committed : committed.slice(-last),
      pending: this.pending.slice(from),
      committedCount: this.committedCount,
      pendingCount: this.pendingCount,
    };
  }

  private trimPending(): void {
    const kept = this.pending.length - this.head;
    if (kept <= PENDING_KEPT) return;
    const drop = kept - PENDING_KEPT;
    this.head += drop;
    this.droppedPending += drop;
  }

  private pushCommitted(record: StreamRecord): void {
    if (this.keep === 0) return;
    if (this.committed.length < this.keep) {
      this.committed.push(record);
      return;
    }
    this.committed[this.committedStart] = record;
    this.committedStart = (this.committedStart + 1) % this.keep;
  }
}

export class SinkOutputs {
  /** Sink operator id → its subtasks' outputs, by subtask index. */
  private readonly sinks = new Map<string, SubtaskOutput[]>();

  constructor(job: JobGraph) {
    for (const op of job.operators) {
      if (op.kind !== 'collect') continue;
      const keep = configWithDefaults(op.kind, op.config).keepRecords as number;
      this.sinks.set(op.id, Array.from({ length: op.parallelism }, () => new SubtaskOutput(keep)));
    }
  }

  /** Ids of the collect sinks. */
  get sinkIds(): string[] {
    return [...this.sinks.keys()];
  }

  apply(delta: SinkDelta): void {
    this.sinks.get(delta.operatorId)?.[delta.index]?.apply(delta);
  }

  /** Rolling hashes of every sink subtask, sinks in job order, then by index. */
  hashes(): number[] {
    return [...this.sinks.values()].flatMap((subtasks) => subtasks.map((s) => s.hash));
  }

  has(sinkId: string): boolean {
    return this.sinks.has(sinkId);
  }

  /** The merged output of a sink's subtasks, in subtask order (the last `last` of each list when given). */
  output(sinkId: string, last?: number): SinkOutput {
    const subtasks = this.sinks.get(sinkId) ?? [];
    const outputs = subtasks.map((s) => s.output(last));
    const committed = outputs.flatMap((o) => o.committed);
    const pending = outputs.flatMap((o) => o.pending);
    return {
      committed: last === undefined ? committed : committed.slice(-last),
      pending: last === undefined ? pending : pending.slice(-last),
      committedCount: outputs.reduce((n, o) => n + o.committedCount, 0),
      pendingCount: outputs.reduce((n, o) => n + o.pendingCount, 0),
    };
  }

  /** Every sink's output, the last `last` records of each list (telemetry frames). */
  all(last: number): Record<string, SinkOutput> {
    const result: Record<string, SinkOutput> = {};
    for (const sinkId of this.sinks.keys()) result[sinkId] = this.output(sinkId, last);
    return result;
  }
}

/**
 * One source subtask: the reader of the partitions assigned to it (Kafka-style, see
 * `partitionsOfSubtask`), polled by the scheduler once per tick.
 *
 * - `poll(untilMs, out)` emits, per partition in ascending order, every record generated
 *   before `untilMs` (at most `maxRecordsPerPartition`, so a source rewound after a failure
 *   catches up at a bounded pace instead of flooding one tick).
 * - Watermarks: each partition runs Flink's `BoundedOutOfOrderness` generator; the subtask's
 *   watermark is the minimum over its *active* partitions, emitted after the poll's records
 *   whenever it advances (Flink's per-split watermark multiplexing in `SourceOperator`).
 * - Idleness: finished partitions never hold the watermark back. With `idleTimeoutMs` set, a
 *   partition that emitted nothing for that long is idle too (Flink `withIdleness`). When no
 *   partition is active the subtask emits `idle` once; a subtask with no partitions is idle
 *   from the start (or finished at once, when bounded).
 * - End: when every partition of a bounded source is exhausted the subtask emits the final
 *   watermark (+Infinity, Flink's `MAX_WATERMARK`) and `end-of-partition`.
 * - Offsets are plain data (`offsets()` / `restoreOffsets()`) for checkpoints and rescale.
 * - Checkpoints (`snapshot()` / `restore()`): offsets plus everything else that decides what
 *   the next polls emit (each partition's watermark generator and activity time, the last
 *   watermark, the idle/active status), so a subtask restored from a snapshot emits exactly
 *   the records and events it emitted after that snapshot the first time (DESIGN.md §3: the
 *   partitions are pure functions of the seed and the offset; this is the rest of the state).
 */
import type { StreamEvent, StreamRecord, VirtualMs } from '../runtime/types';
import { BoundedOutOfOrderness } from './BoundedOutOfOrderness';
import type { SourcePartition } from './sourcePartitions';

/** The final watermark of a finished source (Flink `Watermark.MAX_WATERMARK`). */
export const MAX_WATERMARK: VirtualMs = Number.POSITIVE_INFINITY;

/** Where a source's records go (an `OutputCollector` is one). */
export interface RecordSink {
  emit(record: StreamRecord, timestamp: VirtualMs | null): void;
}

export type SourceStatus = 'active' | 'idle' | 'finished';

/** A partition's read position: the next offset to read. */
export interface PartitionOffset {
  partition: number;
  offset: number;
}

/** One partition's reader state in a snapshot. */
export interface PartitionSnapshot extends PartitionOffset {
  /** The watermark generator's highest event time, or null before the first (or without event time). */
  highestTimestamp: VirtualMs | null;
  /** Virtual time of the last poll that emitted from it (idleness). */
  lastActiveMs: VirtualMs;
}

/**
 * A source subtask's checkpointed state: plain, structured-cloneable and JSON-safe data
 * (no Infinity: null stands for "none yet").
 */
export interface SourceSnapshot {
  sourceId: string;
  subtaskIndex: number;
  partitions: PartitionSnapshot[];
  /** The last watermark emitted, or null before the first (and when finished: the final watermark is implied). */
  lastWatermark: VirtualMs | null;
  status: SourceStatus;
}

export interface SourcePollResult {
  /** Records emitted by this poll. */
  emitted: number;
  /** Events to send downstream after those records, in order. */
  events: StreamEvent[];
  status: SourceStatus;
}

interface PartitionReader {
  readonly source: SourcePartition;
  offset: number;
  readonly watermarks: BoundedOutOfOrderness | undefined;
  /** Virtual time of the last poll that emitted a record from this partition. */
  lastActiveMs: VirtualMs;
}

export interface SourceSubtaskOptions {
  /** Bounded sources finish; unbounded ones never do. */
  bounded: boolean;
  /** Partitions silent this long count as idle (0 or absent: never). */
  idleTimeoutMs?: number;
}

export class SourceSubtask {
  private readonly readers: PartitionReader[];
  private readonly bounded: boolean;
  private readonly idleTimeoutMs: number;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  private state: SourceStatus = 'active';
  private generated = 0;

  constructor(
    readonly sourceId: string,
    readonly subtaskIndex: number,
    partitions: readonly SourcePartition[],
    options: SourceSubtaskOptions,
  ) {
    this.bounded = options.bounded;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    this.readers = partitions.map((source) => ({
      source,
      offset: 0,
      watermarks: source.outOfOrdernessMs === null ? undefined : new BoundedOutOfOrderness(source.outOfOrdernessMs),
      lastActiveMs: 0,
    }));
  }

  /** The partitions this subtask reads, ascending. */
  get partitions(): number[] {
    return this.readers.map((r) => r.source.partition);
  }

  get status(): SourceStatus {
    return this.state;
  }

  /** The last watermark emitted (-Infinity before the first). */
  get currentWatermark(): VirtualMs {
    return this.lastWatermark;
  }

  /** Records emitted since creation (or the last restore). */
  get recordsEmitted(): number {
    return this.generated;
  }

  /** Emits what was generated before `untilMs`; returns counts and the events to forward. */
  poll(untilMs: VirtualMs, out: RecordSink, maxRecordsPerPartition = Number.POSITIVE_INFINITY): SourcePollResult {
    if (this.state === 'finished') return { emitted: 0, events: [], status: 'finished' };
    let emitted = 0;
    for (const reader of this.readers) emitted += this.read(reader, untilMs, out, maxRecordsPerPartition);
    this.generated += emitted;
    return { emitted, events: this.statusEvents(untilMs), status: this.state };
  }

  /** Read positions of the owned partitions (plain data for a checkpoint). */
  offsets(): PartitionOffset[] {
    return this.readers.map((r) => ({ partition: r.source.partition, offset: r.offset }));
  }

  /**
   * Rewinds to checkpointed offsets, which may come from any former parallelism: owned
   * partitions take their offset from the list (0 when absent). Watermark generation starts
   * over, as in Flink after a restore.
   */
  restoreOffsets(offsets: readonly PartitionOffset[], nowMs: VirtualMs = 0): void {
    const byPartition = new Map(offsets.map((o) => [o.partition, o.offset]));
    for (const reader of this.readers) {
      const offset = byPartition.get(reader.source.partition) ?? 0;
      if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Offset ${String(offset)} of partition ${reader.source.partition} is not valid.`);
      reader.offset = offset;
      reader.watermarks?.reset();
      reader.lastActiveMs = nowMs;
    }
    this.lastWatermark = Number.NEGATIVE_INFINITY;
    this.state = 'active';
    this.generated = 0;
  }

  /** The subtask's state for a checkpoint (see the module comment). */
  snapshot(): SourceSnapshot {
    return {
      sourceId: this.sourceId,
      subtaskIndex: this.subtaskIndex,
      partitions: this.readers.map((r) => ({
        partition: r.source.partition,
        offset: r.offset,
        highestTimestamp: finiteOrNull(r.watermarks?.highestTimestamp ?? Number.NEGATIVE_INFINITY),
        lastActiveMs: r.lastActiveMs,
      })),
      lastWatermark: finiteOrNull(this.lastWatermark),
      status: this.state,
    };
  }

  /**
   * Restores from checkpointed snapshots of this source's subtasks. Given exactly this
   * subtask's own snapshot (same partitions), the restore is exact: the next polls emit what
   * they emitted after the snapshot. Given snapshots of another parallelism (rescale), each
   * owned partition continues from its own state and the subtask's watermark starts over, as
   * in Flink; partitions no snapshot names start at offset 0.
   *
   * @throws Error when a snapshot belongs to another source; RangeError on a bad offset.
   */
  restore(snapshots: SourceSnapshot | readonly SourceSnapshot[], nowMs: VirtualMs = 0): void {
    const list: readonly SourceSnapshot[] = Array.isArray(snapshots) ? snapshots : [snapshots as SourceSnapshot];
    const byPartition = new Map<number, PartitionSnapshot>();
    for (const snapshot of list) {
      if (snapshot.sourceId !== this.sourceId) {
        throw new Error(`Snapshot of source '${snapshot.sourceId}' cannot restore source '${this.sourceId}'.`);
      }
      for (const partition of snapshot.partitions) byPartition.set(partition.partition, partition);
    }
    this.restoreOffsets([...byPartition.values()], nowMs);
    for (const reader of this.readers) {
      const saved = byPartition.get(reader.source.partition);
      if (saved === undefined) continue;
      reader.lastActiveMs = saved.lastActiveMs;
      if (saved.highestTimestamp !== null) reader.watermarks?.restore(saved.highestTimestamp);
    }
    const own = list.length === 1 ? list[0] : undefined;
    if (own !== undefined && samePartitions(own.partitions, this.readers)) {
      this.lastWatermark = own.status === 'finished' ? MAX_WATERMARK : own.lastWatermark ?? Number.NEGATIVE_INFINITY;
      this.state = own.status;
    }
  }

  private read(reader: PartitionReader, untilMs: VirtualMs, out: RecordSink, cap: number): number {
    const { source, watermarks } = reader;
    const length = source.length ?? Number.POSITIVE_INFINITY;
    let n = 0;
    while (n < cap && reader.offset < length && source.generationTime(reader.offset) < untilMs) {
      const { record, timestamp } = source.recordAt(reader.offset);
      out.emit(record, timestamp);
      if (watermarks !== undefined && timestamp !== null) watermarks.onEvent(timestamp);
      reader.offset++;
      n++;
    }
    if (n > 0) reader.lastActiveMs = untilMs;
    return n;
  }

  private statusEvents(untilMs: VirtualMs): StreamEvent[] {
    const events: StreamEvent[] = [];
    const unfinished = this.readers.filter((r) => r.offset < (r.source.length ?? Number.POSITIVE_INFINITY));
    if (unfinished.length === 0 && (this.bounded || this.readers.length > 0)) {
      if (this.lastWatermark < MAX_WATERMARK) events.push({ type: 'watermark', timestamp: MAX_WATERMARK });
      this.lastWatermark = MAX_WATERMARK;
      events.push({ type: 'end-of-partition' });
      this.state = 'finished';
      return events;
    }
    const active = unfinished.filter((r) => this.idleTimeoutMs <= 0 || untilMs - r.lastActiveMs < this.idleTimeoutMs);
    if (active.length === 0) {
      if (this.state !== 'idle') events.push({ type: 'idle' });
      this.state = 'idle';
      return events;
    }
    this.state = 'active';
    let watermark = Number.POSITIVE_INFINITY;
    for (const reader of active) {
      if (reader.watermarks === undefined) return events;
      watermark = Math.min(watermark, reader.watermarks.currentWatermark());
    }
    if (watermark > this.lastWatermark) {
      this.lastWatermark = watermark;
      events.push({ type: 'watermark', timestamp: watermark });
    }
    return events;
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function samePartitions(saved: readonly PartitionSnapshot[], readers: readonly PartitionReader[]): boolean {
  return saved.length === readers.length && saved.every((p, i) => p.partition === readers[i]?.source.partition);
}

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
 * A region-sharable committer reports per region (`SinkDelta.region`): each region's pending
 * records, commits and aborts are kept apart, since its regions commit and rewind independently;
 * committed records join one list in commit order.
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

/**
 * Pending records of one sink subtask (or, at a region-sharable committer, of one of its
 * regions) as the chunks they arrived in (no copy per record), oldest first.
 */
class PendingRecords {
  private chunks: StreamRecord[][] = [];
  /** Records of `chunks[0]` already committed or dropped. */
  private headOffset = 0;
  /** Records held in `chunks` past `headOffset`. */
  private held = 0;
  /** Oldest pending records no longer held (beyond PENDING_KEPT). */
  private droppedPending = 0;
  count = 0;
  /** The last checkpoint whose transactions were committed (0: none). */
  committedThrough = 0;

  /** Appends written records. */
  write(records: StreamRecord[]): void {
    if (records.length === 0) return;
    this.chunks.push(records);
    this.held += records.length;
    this.count += records.length;
    this.trim();
  }

  /** Commits the oldest `n`, handing the held ones to `committed` (skipping all but the last `keep`). */
  commit(n: number, keep: number, committed: (record: StreamRecord) => void): void {
    let commit = n;
    this.count -= commit;
    const unheld = Math.min(commit, this.droppedPending);
    this.droppedPending -= unheld;
    commit -= unheld;
    // Only the last `keep` committed records are shown; older ones are skipped, not copied.
    let skip = Math.max(0, commit - keep);
    while (commit > 0) {
      const chunk = this.chunks[0] as StreamRecord[];
      const take = Math.min(commit, chunk.length - this.headOffset);
      const skipped = Math.min(skip, take);
      for (let i = skipped; i < take; i++) committed(chunk[this.headOffset + i] as StreamRecord);
      skip -= skipped;
      this.advance(take);
      commit -= take;
    }
  }

  /** A restore aborted everything after its checkpoint: keep only the oldest `n` pending records. */
  keepOldest(n: number): void {
    if (n >= this.count) return;
    const drop = this.count - n;
    this.count = n;
    // Dropped from the newest end: first held records, then (if ever) unheld old ones.
    const heldKeep = Math.max(0, this.held - drop);
    const unheldDrop = Math.max(0, drop - this.held);
    this.droppedPending -= unheldDrop;
    let left = this.held - heldKeep;
    this.held = heldKeep;
    while (left > 0) {
      const last = this.chunks[this.chunks.length - 1] as StreamRecord[];
      const from = this.chunks.length === 1 ? this.headOffset : 0;
      const available = last.length - from;
      if (left < available) {
        this.chunks[this.chunks.length - 1] = last.slice(0, last.length - left);
        return;
      }
      left -= available;
      this.chunks.pop();
      if (this.chunks.length === 0) this.headOffset = 0;
    }
  }

  /** Starts over with `pending` (a resumed run: what its restore will re-commit). */
  reset(pending: readonly StreamRecord[], committedThrough: number): void {
    this.chunks = pending.length > 0 ? [[...pending]] : [];
    this.headOffset = 0;
    this.held = pending.length;
    this.droppedPending = 0;
    this.count = pending.length;
    this.committedThrough = committedThrough;
  }

  /** The most recent `n` held pending records, oldest first. */
  tail(n: number): StreamRecord[] {
    const parts: StreamRecord[][] = [];
    let need = Math.min(n, this.held);
    for (let c = this.chunks.length - 1; c >= 0 && need > 0; c--) {
      const chunk = this.chunks[c] as StreamRecord[];
      const from = c === 0 ? this.headOffset : 0;
      const start = Math.max(from, chunk.length - need);
      parts.push(chunk.slice(start));
      need -= chunk.length - start;
    }
    return parts.reverse().flat();
  }

  /** Records held (for display). */
  get heldCount(): number {
    return this.held;
  }

  private trim(): void {
    const drop = this.held - PENDING_KEPT;
    if (drop <= 0) return;
    this.droppedPending += drop;
    this.advance(drop);
  }

  /** Forgets the `n` oldest held records. */
  private advance(n: number): void {
    this.held -= n;
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0] as StreamRecord[];
      const available = chunk.length - this.headOffset;
      if (left < available) {
        this.headOffset += left;
        return;
      }
      left -= available;
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}

/** The key of a sink subtask's pending records when it is not a shared committer. */
const WHOLE = 0;

/**
 * One sink subtask's output: pending records (per region for a region-sharable committer,
 * whose deltas name their region), and the committed records in commit order.
 */
class SubtaskOutput {
  private readonly pending = new Map<number, PendingRecords>();
  private committed: StreamRecord[] = [];
  private committedStart = 0;
  committedCount = 0;
  hash = EMPTY_RECORD_HASH;

  constructor(private readonly keep: number) {}

  apply(delta: SinkDelta): void {
    const pending = this.part(delta.region ?? WHOLE);
    if (delta.restoredPending !== undefined) pending.keepOldest(delta.restoredPending);
    if (delta.committedThrough !== undefined) pending.committedThrough = Math.max(pending.committedThrough, delta.committedThrough);
    pending.write(delta.written);
    this.hash = delta.hash;
    this.committedCount += delta.committed;
    pending.commit(delta.committed, this.keep, (record) => this.pushCommitted(record));
  }

  get pendingCount(): number {
    let n = 0;
    for (const part of this.pending.values()) n += part.count;
    return n;
  }

  /** The last checkpoint committed (0: none); of one region at a shared committer. */
  committedThrough(region = WHOLE): number {
    return this.pending.get(region)?.committedThrough ?? 0;
  }

  /** Per region, what was committed (a shared committer; empty otherwise). */
  regionsCommitted(): { region: number; committedThrough: number }[] {
    return [...this.pending].filter(([region]) => region !== WHOLE).sort((a, b) => a[0] - b[0])
      .map(([region, part]) => ({ region, committedThrough: part.committedThrough }));
  }

  output(last?: number): SinkOutput {
    const committed = [...this.committed.slice(this.committedStart), ...this.committed.slice(0, this.committedStart)];
    const parts = [...this.pending].sort((a, b) => a[0] - b[0]).map(([, part]) => part);
    const pending = parts.flatMap((part) => part.tail(last ?? part.heldCount));
    return {
      committed: last === undefined ? committed : committed.slice(-last),
      pending: last === undefined ? pending : pending.slice(-last),
      committedCount: this.committedCount,
      pendingCount: this.pendingCount,
    };
  }

  /** What a resumed run needs of this subtask's output (resume.ts): the committed part only. */
  exportCommitted(): SavedSinkSubtask {
    const committed = [...this.committed.slice(this.committedStart), ...this.committed.slice(0, this.committedStart)];
    const saved: SavedSinkSubtask = { committed, committedCount: this.committedCount, committedThrough: this.committedThrough(), hash: this.hash };
    const regions = this.regionsCommitted();
    if (regions.length > 0) saved.regions = regions;
    return saved;
  }

  /** Starts from a saved committed part, with `pendingOf(region)` (what a restore re-commits) pending. */
  importCommitted(saved: SavedSinkSubtask, pendingOf: (region: number | undefined, committedThrough: number) => StreamRecord[]): void {
    this.committed = this.keep === 0 ? [] : saved.committed.slice(-this.keep);
    this.committedStart = 0;
    this.committedCount = saved.committedCount;
    this.hash = saved.hash;
    this.pending.clear();
    if (saved.regions === undefined) {
      this.part(WHOLE).reset(pendingOf(undefined, saved.committedThrough), saved.committedThrough);
      return;
    }
    for (const { region, committedThrough } of saved.regions) this.part(region).reset(pendingOf(region, committedThrough), committedThrough);
  }

  private part(region: number): PendingRecords {
    let part = this.pending.get(region);
    if (part === undefined) {
      part = new PendingRecords();
      this.pending.set(region, part);
    }
    return part;
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

/** One sink subtask's committed output as a resumed run starts from it (resume.ts). */
export interface SavedSinkSubtask {
  /** The most recent committed records (at most the sink's keepRecords), oldest first. */
  committed: StreamRecord[];
  committedCount: number;
  committedThrough: number;
  hash: number;
  /** A region-sharable committer: what was committed per region. */
  regions?: { region: number; committedThrough: number }[];
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

  /** What a sink subtask's output committed through (0: nothing yet); of one region at a shared committer. */
  committedThrough(sinkId: string, index: number, region?: number): number {
    return this.sinks.get(sinkId)?.[index]?.committedThrough(region) ?? 0;
  }

  /** A shared committer's regions with what each committed (every region it ever reported, ascending). */
  regionsCommitted(sinkId: string, index: number): { region: number; committedThrough: number }[] {
    return this.sinks.get(sinkId)?.[index]?.regionsCommitted() ?? [];
  }

  /** Every collect sink's committed output, per subtask (resume.ts). */
  exportCommitted(): Record<string, SavedSinkSubtask[]> {
    const result: Record<string, SavedSinkSubtask[]> = {};
    for (const [sinkId, subtasks] of this.sinks) result[sinkId] = subtasks.map((s) => s.exportCommitted());
    return result;
  }

  /**
   * Takes saved committed output; `pendingOf` gives the records a sink subtask's restore will
   * re-commit (its checkpoint's transactions newer than what was committed), shown as pending until then.
   */
  importCommitted(
    saved: Record<string, SavedSinkSubtask[]>,
    pendingOf: (sinkId: string, index: number, committedThrough: number, region?: number) => StreamRecord[],
  ): void {
    for (const [sinkId, subtasks] of this.sinks) {
      subtasks.forEach((subtask, index) => {
        const entry = saved[sinkId]?.[index];
        if (entry !== undefined) subtask.importCommitted(entry, (region, through) => pendingOf(sinkId, index, through, region));
      });
    }
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

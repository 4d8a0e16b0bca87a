/**
 * What the timeline draws, sampled from telemetry frames into bounded ring buffers: throughput
 * per operator, checkpoints (with per-region status), and marks for failures, recoveries,
 * rescales, injected faults and other events. One `TimelineData` per run; `recordFrame` is
 * called for every frame and returns whether anything changed (so the store can bump a
 * version number instead of copying buffers).
 */
import type { CheckpointStats, CheckpointStatus, RegionCheckpointStatus } from '../../../engine/checkpoint/types';
import type { RecoveryReport, RunEvent, RunEventKind, TelemetryFrame } from '../../../engine/runtime/telemetry';
import { RingBuffer } from '../viz/ringBuffer';

/** Throughput samples kept (10 frames a wall second: two minutes of wall time). */
export const SAMPLE_CAPACITY = 1200;
/** Marks (failures, recoveries, faults, events) kept. */
export const MARK_CAPACITY = 400;
/** Checkpoints kept. */
export const CHECKPOINT_CAPACITY = 200;

export interface ThroughputSample {
  t: number;
  /** Per operator: records out per second (records in per second for sinks). */
  rates: Readonly<Record<string, number>>;
}

/** `leader`: a JobManager failover (a new leader reconciled with the running TaskManagers). */
export type MarkKind = 'failure' | 'recovery' | 'rescale' | 'fault' | 'event' | 'leader';

export interface TimelineMark {
  /** Stable within a run (for keys and test ids). */
  key: string;
  kind: MarkKind;
  t: number;
  /** Recoveries: when the restarted subtasks ran again. */
  endT?: number;
  label: string;
  operatorId?: string;
  eventKind?: RunEventKind;
}

export interface CheckpointBar {
  id: number;
  status: CheckpointStatus;
  triggerMs: number;
  endMs?: number;
  regions: readonly { region: number; status: RegionCheckpointStatus; snapshotId?: number }[];
}

const FAILURE_KINDS = new Set<RunEventKind>(['task-failed', 'taskmanager-lost', 'run-failed']);
/** Not drawn as marks: noise, or drawn otherwise (checkpoints as bars, recoveries from their reports). */
const QUIET_KINDS = new Set<RunEventKind>([
  'log', 'run-paused', 'run-resumed', 'checkpoint-triggered', 'checkpoint-completed', 'checkpoint-failed', 'checkpoint-region-failed',
  'recovery-started', 'subtask-restored', 'subtask-finished',
  // A failover draws one leader mark, at its reconciliation; its loss and election are in the events.
  'jobmanager-lost', 'leader-elected',
] as RunEventKind[]);

export class TimelineData {
  readonly samples = new RingBuffer<ThroughputSample>(SAMPLE_CAPACITY);
  readonly marks = new RingBuffer<TimelineMark>(MARK_CAPACITY);
  readonly checkpoints = new Map<number, CheckpointBar>();
  private readonly parallelism = new Map<string, number>();
  private readonly recoveryKeys = new Map<string, number>();
  private markCount = 0;
  /** Latest virtual time seen. */
  now = 0;

  constructor(private readonly sinks: ReadonlySet<string> = new Set()) {}

  private addMark(mark: Omit<TimelineMark, 'key'>): void {
    this.marks.push({ ...mark, key: `m${this.markCount++}` });
  }

  private sample(frame: TelemetryFrame): boolean {
    const t = frame.metrics.virtualTimeMs;
    const last = this.samples.last();
    if (last && t <= last.t) return false;
    const rates: Record<string, number> = {};
    for (const op of frame.metrics.operators) {
      rates[op.operatorId] = this.sinks.has(op.operatorId) ? op.recordsInPerSecond : op.recordsOutPerSecond;
    }
    this.samples.push({ t, rates });
    return true;
  }

  private rescales(frame: TelemetryFrame): boolean {
    const counts = new Map<string, number>();
    for (const s of frame.metrics.subtasks) counts.set(s.operatorId, (counts.get(s.operatorId) ?? 0) + 1);
    let changed = false;
    for (const [id, n] of counts) {
      const before = this.parallelism.get(id);
      if (before !== undefined && before !== n) {
        this.addMark({ kind: 'rescale', t: frame.metrics.virtualTimeMs, label: `${id} rescaled ${before} → ${n}`, operatorId: id });
        changed = true;
      }
      this.parallelism.set(id, n);
    }
    return changed;
  }

  private events(events: readonly RunEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (QUIET_KINDS.has(e.kind)) continue;
      const kind: MarkKind = FAILURE_KINDS.has(e.kind) ? 'failure' : e.kind === 'fault-injected' ? 'fault' : e.kind === 'jobmanager-reconciled' ? 'leader' : 'event';
      this.addMark({ kind, t: e.virtualTimeMs, label: e.message, eventKind: e.kind, ...(e.operatorId !== undefined ? { operatorId: e.operatorId } : {}) });
      changed = true;
    }
    return changed;
  }

  private recoveries(reports: readonly RecoveryReport[], caption: (r: RecoveryReport) => string): boolean {
    for (const r of reports) {
      const id = `${r.attempt}@${r.virtualTimeMs}`;
      const mark = { kind: 'recovery' as const, t: r.virtualTimeMs, label: caption(r), ...(r.resumedMs !== undefined ? { endT: r.resumedMs } : {}) };
      const at = this.recoveryKeys.get(id);
      if (at !== undefined && at === this.marks.pushed - 1) this.marks.replaceLast({ ...mark, key: this.marks.last()?.key ?? id });
      else if (at === undefined) {
        this.addMark(mark);
        this.recoveryKeys.set(id, this.marks.pushed - 1);
      }
    }
    return reports.length > 0;
  }

  /**
   * A checkpoint still drawn in progress that the history no longer lists while a later one
   * exists was abandoned by a JobManager that died (its successor aborted it and went on with
   * new ids): drawn as failed, ending where the next one began, instead of in progress forever.
   */
  private closeAbandoned(history: readonly CheckpointStats[]): boolean {
    if (history.length === 0) return false;
    const listed = new Set(history.map((c) => c.id));
    let changed = false;
    for (const [id, bar] of this.checkpoints) {
      if (bar.status !== 'in-progress' || listed.has(id)) continue;
      const next = history.find((c) => c.id > id);
      if (next === undefined) continue;
      this.checkpoints.set(id, { ...bar, status: 'failed', endMs: next.triggerMs, regions: bar.regions.map((r) => (r.status === 'pending' ? { ...r, status: 'failed' as const } : r)) });
      changed = true;
    }
    return changed;
  }

  private checkpointHistory(history: readonly CheckpointStats[]): boolean {
    let changed = false;
    for (const c of history) {
      const before = this.checkpoints.get(c.id);
      if (before && before.status === c.status && before.regions.length === c.regions.length
        && before.regions.every((r, i) => r.status === c.regions[i]?.status)) continue;
      this.checkpoints.set(c.id, {
        id: c.id, status: c.status, triggerMs: c.triggerMs,
        ...(c.endMs !== undefined ? { endMs: c.endMs } : {}),
        regions: c.regions.map((r) => ({ region: r.region, status: r.status, ...(r.snapshotId !== undefined ? { snapshotId: r.snapshotId } : {}) })),
      });
      changed = true;
    }
    changed = this.closeAbandoned(history) || changed;
    while (this.checkpoints.size > CHECKPOINT_CAPACITY) {
      const oldest = Math.min(...this.checkpoints.keys());
      this.checkpoints.delete(oldest);
    }
    return changed;
  }

  /** Takes in one frame; true when something drawn changed. */
  recordFrame(frame: TelemetryFrame, caption: (r: RecoveryReport) => string = (r) => `Recovery #${r.attempt}`): boolean {
    this.now = Math.max(this.now, frame.status.virtualTimeMs, frame.metrics.virtualTimeMs);
    const a = this.sample(frame);
    const b = this.rescales(frame);
    const c = this.events(frame.events);
    const d = this.recoveries(frame.recoveries ?? [], caption);
    const e = this.checkpointHistory(frame.checkpoints?.history ?? []);
    return a || b || c || d || e;
  }

  /** Checkpoints oldest first. */
  checkpointBars(): CheckpointBar[] {
    return [...this.checkpoints.values()].sort((x, y) => x.id - y.id);
  }

  /** Region ids seen in any checkpoint, ascending. */
  regionIds(): number[] {
    const ids = new Set<number>();
    for (const c of this.checkpoints.values()) for (const r of c.regions) ids.add(r.region);
    return [...ids].sort((x, y) => x - y);
  }
}

/** The time window shown: the whole span divided by `zoom`, `panMs` back from the newest sample. */
export function visibleWindow(startMs: number, endMs: number, zoom: number, panMs: number): [number, number] {
  const full = Math.max(1000, endMs - startMs);
  const span = full / Math.max(1, zoom);
  const maxPan = Math.max(0, full - span);
  const pan = Math.min(Math.max(0, panMs), maxPan);
  const hi = Math.max(startMs + span, endMs) - pan;
  return [hi - span, hi];
}

/** The sample nearest to `t` (binary search over samples sorted by time). */
export function nearestSample(samples: readonly ThroughputSample[], t: number): ThroughputSample | undefined {
  if (samples.length === 0) return undefined;
  let lo = 0;
  let hi = samples.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((samples[mid] as ThroughputSample).t < t) lo = mid + 1;
    else hi = mid;
  }
  const right = samples[lo] as ThroughputSample;
  const left = samples[Math.max(0, lo - 1)] as ThroughputSample;
  return Math.abs(left.t - t) <= Math.abs(right.t - t) ? left : right;
}

/** Samples thinned to at most `max` points (every k-th, always keeping the last), for drawing. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = Math.ceil(items.length / max);
  const out: T[] = [];
  for (let i = 0; i < items.length; i += step) out.push(items[i] as T);
  const last = items[items.length - 1] as T;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

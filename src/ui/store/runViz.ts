/**
 * The run slice's share for the live visualisation: the checkpoint report, recoveries, the
 * timeline's ring buffers and the fault log, updated from each telemetry frame. The timeline
 * buffers are mutated in place (they are bounded and only the timeline reads them); a version
 * number tells components that they moved.
 */
import type { JobGraph } from '../../engine';
import type { RecoveryReport, TelemetryFrame } from '../../engine/runtime/telemetry';
import { TimelineData } from '../run/timeline/timelineModel';
import { recoveryCaption } from '../run/viz/recovery';
import { detectRescales, EMPTY_OWNERSHIP } from '../run/viz/rescale';
import type { AppState, RunSlice } from './types';

export type VizState = Pick<RunSlice, 'runCheckpoints' | 'runRecoveries' | 'runTimeline' | 'runTimelineVersion' | 'runFaults' | 'runFocus' | 'runOwnership' | 'runRescales'>;

/** Recoveries kept for the banner and the canvas. */
export const MAX_RECOVERIES = 100;
/** Rescales kept for the banner and the State panel. */
export const MAX_RESCALES = 20;

export function vizInitialState(job: JobGraph | null): VizState {
  const sinks = new Set(job?.operators.filter((o) => o.kind === 'collect' || o.kind === 'discard').map((o) => o.id) ?? []);
  return {
    runCheckpoints: null,
    runRecoveries: [],
    runTimeline: job ? new TimelineData(sinks) : null,
    runTimelineVersion: 0,
    runFaults: [],
    runFocus: null,
    runOwnership: EMPTY_OWNERSHIP,
    runRescales: [],
  };
}

function mergeRecoveries(before: readonly RecoveryReport[], more: readonly RecoveryReport[]): readonly RecoveryReport[] {
  if (more.length === 0) return before;
  const next = [...before];
  for (const r of more) {
    const at = next.findIndex((x) => x.attempt === r.attempt && x.virtualTimeMs === r.virtualTimeMs);
    if (at >= 0) next[at] = r;
    else next.push(r);
  }
  return next.length > MAX_RECOVERIES ? next.slice(next.length - MAX_RECOVERIES) : next;
}

/**
 * Approximate recovery keeps counting records lost after a recovery resumed (records in flight
 * found missing later), but a frame carries a recovery report only when it starts and when it
 * resumes. The metrics carry the run's running total (the reports' sum), so the difference is
 * the latest approximate recovery's: its report is brought up to date from it.
 */
export function reconcileRecordsLost(recoveries: readonly RecoveryReport[], total: number | undefined): readonly RecoveryReport[] {
  if (total === undefined || recoveries.length >= MAX_RECOVERIES) return recoveries;
  let at = -1;
  let sum = 0;
  recoveries.forEach((r, i) => {
    sum += r.recordsLost ?? 0;
    if (r.strategy === 'approximate') at = i;
  });
  const last = recoveries[at];
  if (!last || sum === total) return recoveries;
  const lost = total - (sum - (last.recordsLost ?? 0));
  if (lost < 0 || lost === last.recordsLost) return recoveries;
  const next = [...recoveries];
  next[at] = { ...last, recordsLost: lost };
  return next;
}

/** Samples a frame into the timeline's buffers (every frame, also those coalesced away); true when they moved. */
export function vizRecordTimeline(s: AppState, frame: TelemetryFrame): boolean {
  return s.runTimeline?.recordFrame(frame, (r) => recoveryCaption(r, s.runJob)) ?? false;
}

/** What a frame changes in the visualisation state (the timeline is sampled separately). */
export function vizOnFrame(s: AppState, frame: TelemetryFrame, timelineMoved: boolean): Partial<AppState> {
  const patch: Partial<AppState> = {};
  if (frame.checkpoints !== undefined) patch.runCheckpoints = frame.checkpoints;
  const recoveries = frame.recoveries ?? [];
  const merged = recoveries.length > 0 ? mergeRecoveries(s.runRecoveries, recoveries) : s.runRecoveries;
  const reconciled = reconcileRecordsLost(merged, frame.metrics.recordsLost);
  if (reconciled !== s.runRecoveries) patch.runRecoveries = reconciled;
  if (timelineMoved) patch.runTimelineVersion = s.runTimelineVersion + 1;
  const lastSeq = s.runRescales[s.runRescales.length - 1]?.seq ?? 0;
  const rescaled = detectRescales(s.runOwnership, frame.metrics.state, frame.metrics.virtualTimeMs, s.runJob, lastSeq + 1);
  if (rescaled.memory !== s.runOwnership) patch.runOwnership = rescaled.memory;
  if (rescaled.diffs.length > 0) patch.runRescales = [...s.runRescales, ...rescaled.diffs].slice(-MAX_RESCALES);
  return patch;
}

/** Events kept in one coalesced frame (the log keeps its own bound). */
const MAX_COALESCED_EVENTS = 2000;

/**
 * Two frames as one: the newer figures, both frames' events, recoveries and sink outputs.
 * Frames that arrive between two animation frames are applied once (telemetry coalescing).
 */
export function mergeFrames(older: TelemetryFrame, newer: TelemetryFrame): TelemetryFrame {
  const events = older.events.length === 0 ? newer.events : [...older.events, ...newer.events].slice(-MAX_COALESCED_EVENTS);
  const recoveries = [...(older.recoveries ?? []), ...(newer.recoveries ?? [])];
  const checkpoints = newer.checkpoints ?? older.checkpoints;
  return {
    status: newer.status,
    metrics: newer.metrics,
    events,
    outputs: { ...older.outputs, ...newer.outputs },
    ...(checkpoints ? { checkpoints } : {}),
    ...(recoveries.length > 0 ? { recoveries } : {}),
  };
}

/** Least wall ms between two applied frames: the UI redraws live figures at most five times a second. */
export const MIN_APPLY_INTERVAL_MS = 200;

/**
 * Calls `apply` with the frames pushed since the last call, merged: in an animation frame, at
 * most once per MIN_APPLY_INTERVAL_MS (synchronously where there is no requestAnimationFrame,
 * as in unit tests; on a timer while the page is hidden, where animation frames stop).
 */
export interface FrameCoalescer {
  push(frame: TelemetryFrame): void;
  /**
   * Applies what is pending now. Call it before applying an answer to a control call (pause,
   * step, status): frames that arrived before the answer are older and must not land after it.
   */
  flushNow(): void;
  cancel(): void;
}

export function frameCoalescer(apply: (frame: TelemetryFrame) => void, minIntervalMs: number = MIN_APPLY_INTERVAL_MS): FrameCoalescer {
  let pending: TelemetryFrame | null = null;
  let cancelled = false;
  let lastApplied = -Infinity;
  const flush = () => {
    const frame = pending;
    pending = null;
    lastApplied = Date.now();
    if (frame && !cancelled) apply(frame);
  };
  const inAnimationFrame = () => {
    if (typeof document !== 'undefined' && document.hidden) flush();
    else requestAnimationFrame(flush);
  };
  return {
    push(frame) {
      if (cancelled) return;
      if (typeof requestAnimationFrame !== 'function') {
        apply(frame);
        return;
      }
      const first = pending === null;
      pending = pending ? mergeFrames(pending, frame) : frame;
      if (!first) return;
      const wait = lastApplied + minIntervalMs - Date.now();
      if (wait > 0) setTimeout(inAnimationFrame, wait);
      else inAnimationFrame();
    },
    flushNow() {
      if (pending) flush();
    },
    cancel() {
      cancelled = true;
      pending = null;
    },
  };
}

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
import type { AppState, RunSlice } from './types';

export type VizState = Pick<RunSlice, 'runCheckpoints' | 'runRecoveries' | 'runTimeline' | 'runTimelineVersion' | 'runFaults' | 'runFocus'>;

/** Recoveries kept for the banner and the canvas. */
export const MAX_RECOVERIES = 100;

export function vizInitialState(job: JobGraph | null): VizState {
  const sinks = new Set(job?.operators.filter((o) => o.kind === 'collect' || o.kind === 'discard').map((o) => o.id) ?? []);
  return {
    runCheckpoints: null,
    runRecoveries: [],
    runTimeline: job ? new TimelineData(sinks) : null,
    runTimelineVersion: 0,
    runFaults: [],
    runFocus: null,
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

/** Samples a frame into the timeline's buffers (every frame, also those coalesced away); true when they moved. */
export function vizRecordTimeline(s: AppState, frame: TelemetryFrame): boolean {
  return s.runTimeline?.recordFrame(frame, (r) => recoveryCaption(r, s.runJob)) ?? false;
}

/** What a frame changes in the visualisation state (the timeline is sampled separately). */
export function vizOnFrame(s: AppState, frame: TelemetryFrame, timelineMoved: boolean): Partial<AppState> {
  const patch: Partial<AppState> = {};
  if (frame.checkpoints !== undefined) patch.runCheckpoints = frame.checkpoints;
  const recoveries = frame.recoveries ?? [];
  if (recoveries.length > 0) patch.runRecoveries = mergeRecoveries(s.runRecoveries, recoveries);
  if (timelineMoved) patch.runTimelineVersion = s.runTimelineVersion + 1;
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

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

/** What a frame changes in the visualisation state. */
export function vizOnFrame(s: AppState, frame: TelemetryFrame): Partial<AppState> {
  const patch: Partial<AppState> = {};
  if (frame.checkpoints !== undefined) patch.runCheckpoints = frame.checkpoints;
  const recoveries = frame.recoveries ?? [];
  if (recoveries.length > 0) patch.runRecoveries = mergeRecoveries(s.runRecoveries, recoveries);
  if (s.runTimeline?.recordFrame(frame, (r) => recoveryCaption(r, s.runJob))) patch.runTimelineVersion = s.runTimelineVersion + 1;
  return patch;
}

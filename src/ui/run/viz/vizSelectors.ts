/**
 * Derived run-mode figures for the canvas, computed once per telemetry object and cached in
 * WeakMaps keyed by it (the store replaces those objects when they change). Components select
 * small strings or numbers from them, so a node or an edge re-renders only when its own picture
 * changes, never merely because a frame arrived.
 */
import type { JobGraph } from '../../../engine';
import type { ChannelMetrics, CheckpointsReport, MetricsSnapshot, RecoveryReport } from '../../../engine/runtime/telemetry';
import type { MetricsIndex } from '../../model/runMetrics';
import { regionBySubtask, regionsBySubtask } from '../../model/regionsView';
import { runRegionsOf } from '../../store/derived';
import type { AppState } from '../../store/types';
import { backpressureOrigin, type BackpressureOrigin } from './backpressure';
import { barrierPositions, inFlight, type BarrierPosition } from './barriers';
import { channelsByEdge, receiverFigures, type ReceiverFigures } from './channels';

const origins = new WeakMap<MetricsIndex, BackpressureOrigin>();
const channels = new WeakMap<MetricsSnapshot, Map<string, ChannelMetrics[]>>();
const receivers = new WeakMap<ChannelMetrics[], ReceiverFigures[]>();
const acks = new WeakMap<CheckpointsReport, Set<string>>();
const barriers = new WeakMap<CheckpointsReport, Map<string, BarrierPosition>>();
const regionMaps = new WeakMap<JobGraph, Map<string, number>>();
const sharedMaps = new WeakMap<JobGraph, Map<string, number[]>>();
const NONE = new Set<string>();
const NO_RECEIVERS: ReceiverFigures[] = [];

/** Region of each subtask key (`op#i`) of the running job. */
export function runRegions(job: JobGraph | null): Map<string, number> {
  if (!job) return new Map();
  let map = regionMaps.get(job);
  if (!map) {
    const regions = runRegionsOf(job);
    map = regions.ok ? regionBySubtask(regions.regions) : new Map();
    regionMaps.set(job, map);
  }
  return map;
}

/** Every region of each subtask key of the running job that has several (a region-sharable committer). */
export function runSharedRegions(job: JobGraph | null): Map<string, number[]> {
  if (!job) return new Map();
  let map = sharedMaps.get(job);
  if (!map) {
    const regions = runRegionsOf(job);
    map = new Map([...(regions.ok ? regionsBySubtask(regions.regions) : new Map<string, number[]>())].filter(([, ids]) => ids.length > 1));
    sharedMaps.set(job, map);
  }
  return map;
}

export function originOf(s: AppState): BackpressureOrigin {
  const index = s.runIndex;
  if (!index) return { edges: NONE, operators: NONE, subtasks: NONE };
  let o = origins.get(index);
  if (!o) {
    o = backpressureOrigin(s.runJob, index);
    origins.set(index, o);
  }
  return o;
}

/** The receivers of an edge with their summed channel figures. */
export function receiversOf(s: AppState, edgeId: string): ReceiverFigures[] {
  const m = s.runMetrics;
  if (!m) return NO_RECEIVERS;
  let byEdge = channels.get(m);
  if (!byEdge) {
    byEdge = channelsByEdge(m);
    channels.set(m, byEdge);
  }
  const list = byEdge.get(edgeId);
  if (!list) return NO_RECEIVERS;
  let r = receivers.get(list);
  if (!r) {
    r = receiverFigures(list);
    receivers.set(list, r);
  }
  return r;
}

/** Subtask keys that acknowledged the checkpoint in flight. */
export function ackedOf(s: AppState): Set<string> {
  const report = s.runCheckpoints;
  if (!report) return NONE;
  let set = acks.get(report);
  if (!set) {
    const current = inFlight(report.history);
    set = new Set((current?.subtasks ?? []).map((x) => `${x.operatorId}#${x.index}`));
    acks.set(report, set);
  }
  return set;
}

export function barriersOf(s: AppState): Map<string, BarrierPosition> {
  const report = s.runCheckpoints;
  if (!report) return new Map();
  let map = barriers.get(report);
  if (!map) {
    const index = s.runIndex;
    const job = s.runJob;
    map = barrierPositions(job, inFlight(report.history),
      (id) => index?.subtasks.get(id)?.length ?? job?.operators.find((o) => o.id === id)?.parallelism ?? 1);
    barriers.set(report, map);
  }
  return map;
}

/** Virtual ms a restarted subtask stays highlighted after its recovery. */
export const RECENT_RECOVERY_MS = 8_000;

/** The latest recovery if it is recent (for highlights and the banner). */
export function recentRecovery(s: AppState): RecoveryReport | undefined {
  const last = s.runRecoveries[s.runRecoveries.length - 1];
  if (!last) return undefined;
  const since = (last.resumedMs ?? s.runStatus.virtualTimeMs) ;
  return s.runStatus.virtualTimeMs - since <= RECENT_RECOVERY_MS ? last : undefined;
}

/**
 * Is every sender of `operatorId` through with the checkpoint in flight (all upstream subtasks
 * acked)? Then its own subtasks that have not acked are waiting for barriers: aligning, or
 * stuck behind a backlog.
 */
function upstreamAcked(s: AppState, operatorId: string, acked: Set<string>): boolean {
  const inputs = s.runJob?.edges.filter((e) => e.to === operatorId) ?? [];
  if (inputs.length === 0 || acked.size === 0) return false;
  return inputs.every((e) => {
    const senders = s.runIndex?.subtasks.get(e.from) ?? [];
    return senders.length > 0 && senders.every((x) => acked.has(`${e.from}#${x.index}`));
  });
}

/**
 * A per-operator flag string: for each subtask index of `operatorId`, one letter per flag
 * (o: backpressure origin, a: acked the checkpoint in flight, w: waiting for its barriers, r:
 * restarted recently), joined by `|`. Cheap to compare, so cells re-render only when their
 * flags change.
 */
export function cellFlags(s: AppState, operatorId: string, parallelism: number): string {
  const origin = originOf(s).subtasks;
  const acked = ackedOf(s);
  const recent = recentRecovery(s);
  const restarted = recent ? new Set(recent.restarted.filter((x) => x.operatorId === operatorId).map((x) => x.index)) : null;
  if (origin.size === 0 && acked.size === 0 && !restarted?.size) return '';
  const waiting = upstreamAcked(s, operatorId, acked);
  const parts: string[] = [];
  for (let i = 0; i < parallelism; i++) {
    const key = `${operatorId}#${i}`;
    const done = acked.has(key);
    parts.push(`${origin.has(key) ? 'o' : ''}${done ? 'a' : waiting ? 'w' : ''}${restarted?.has(i) ? 'r' : ''}`);
  }
  return parts.join('|');
}

/**
 * Where backpressure comes from, as Flink's web UI finds it: below a back-pressured operator,
 * the origin is a receiving subtask that is busy but not back-pressured itself (the most
 * downstream back-pressured → busy boundary). The boundary edge (back-pressured → busy) is highlighted on the canvas, and so are
 * the busy subtasks of the origin (the stragglers).
 */
import type { JobGraph } from '../../../engine';
import type { SubtaskMetrics } from '../../../engine/runtime/telemetry';
import type { MetricsIndex } from '../../model/runMetrics';

/** An operator counts as back-pressured from this many ms per second (Flink: "LOW" ends at 10 %). */
export const BACK_PRESSURED_FROM_MS = 100;
/** A subtask counts as busy (a straggler candidate) from this many ms per second. */
export const BUSY_FROM_MS = 500;

export interface BackpressureOrigin {
  /** Edge ids `from->to` where a back-pressured operator feeds a busy, not back-pressured one. */
  edges: Set<string>;
  /** Operators at the origin (the busy receivers). */
  operators: Set<string>;
  /** Subtask keys `op#i` of the busy subtasks at the origin. */
  subtasks: Set<string>;
}

const maxOf = (list: readonly SubtaskMetrics[] | undefined, pick: (s: SubtaskMetrics) => number) =>
  (list ?? []).reduce((m, s) => (s.state === 'running' ? Math.max(m, pick(s)) : m), 0);

export function backpressureOrigin(job: JobGraph | null, index: MetricsIndex | null): BackpressureOrigin {
  const out: BackpressureOrigin = { edges: new Set(), operators: new Set(), subtasks: new Set() };
  if (!job || !index) return out;
  const bp = (id: string) => maxOf(index.subtasks.get(id), (s) => s.backPressuredMsPerSecond) >= BACK_PRESSURED_FROM_MS;
  // Per subtask, as Flink judges it: a receiver that is busy and not back-pressured itself.
  const origin = (s: SubtaskMetrics) => s.state === 'running' && s.busyMsPerSecond >= BUSY_FROM_MS && s.backPressuredMsPerSecond < BACK_PRESSURED_FROM_MS;
  for (const e of job.edges) {
    if (!bp(e.from)) continue;
    const found = (index.subtasks.get(e.to) ?? []).filter(origin);
    if (found.length === 0) continue;
    out.edges.add(`${e.from}->${e.to}`);
    out.operators.add(e.to);
    for (const s of found) out.subtasks.add(`${e.to}#${s.index}`);
  }
  return out;
}

/** Stable string of an origin, so a selector can return the same value while nothing moved. */
export function originSignature(o: BackpressureOrigin): string {
  return `${[...o.edges].sort().join(',')}|${[...o.subtasks].sort().join(',')}`;
}

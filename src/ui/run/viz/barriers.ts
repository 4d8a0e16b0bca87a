/**
 * Checkpoint barriers on the canvas, derived from the checkpoint statistics (an approximation:
 * the engine reports which subtasks acknowledged, not where each barrier is). A subtask acks
 * once its barrier passed and its snapshot is taken; so along an edge the barrier has left the
 * sender side once senders acked, and arrived once receivers acked. The marker sits at
 * (acked share of senders + acked share of receivers) / 2 of the edge's length.
 */
import type { JobGraph } from '../../../engine';
import type { CheckpointStats } from '../../../engine/checkpoint/types';

export interface BarrierPosition {
  checkpointId: number;
  /** 0..1 along the edge. */
  t: number;
  /** Senders and receivers that acknowledged, e.g. for the title. */
  sendersAcked: number;
  senders: number;
  receiversAcked: number;
  receivers: number;
}

/** The checkpoint in flight (the newest in progress), if any. */
export function inFlight(history: readonly CheckpointStats[] | undefined): CheckpointStats | undefined {
  if (!history) return undefined;
  for (let i = history.length - 1; i >= 0; i--) if (history[i]?.status === 'in-progress') return history[i];
  return undefined;
}

/** Barrier position on each edge for checkpoint `stats`; edges the barrier has not reached or fully passed are left out. */
export function barrierPositions(job: JobGraph | null, stats: CheckpointStats | undefined, parallelism: (operatorId: string) => number): Map<string, BarrierPosition> {
  const out = new Map<string, BarrierPosition>();
  if (!job || !stats || stats.status !== 'in-progress') return out;
  const acked = new Map<string, number>();
  for (const s of stats.subtasks) acked.set(s.operatorId, (acked.get(s.operatorId) ?? 0) + 1);
  for (const e of job.edges) {
    const senders = Math.max(1, parallelism(e.from));
    const receivers = Math.max(1, parallelism(e.to));
    const sendersAcked = Math.min(senders, acked.get(e.from) ?? 0);
    const receiversAcked = Math.min(receivers, acked.get(e.to) ?? 0);
    if (sendersAcked === 0 || receiversAcked >= receivers) continue;
    const t = (sendersAcked / senders + receiversAcked / receivers) / 2;
    out.set(`${e.from}->${e.to}`, { checkpointId: stats.id, t: Math.min(0.92, Math.max(0.08, t)), sendersAcked, senders, receiversAcked, receivers });
  }
  return out;
}

/**
 * A point at `t` along React Flow's default bezier from a right-hand source handle to a
 * left-hand target handle (the same control points as xyflow's `getBezierPath`, curvature 0.25).
 */
export function pointOnBezier(sx: number, sy: number, tx: number, ty: number, t: number): { x: number; y: number } {
  const offset = (d: number) => (d >= 0 ? 0.5 * d : 0.25 * 25 * Math.sqrt(-d));
  const c1x = sx + offset(tx - sx);
  const c2x = tx - offset(tx - sx);
  const u = 1 - t;
  const x = u * u * u * sx + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * tx;
  const y = u * u * u * sy + 3 * u * u * t * sy + 3 * u * t * t * ty + t * t * t * ty;
  return { x, y };
}

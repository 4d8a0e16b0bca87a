/**
 * Where each pipelined region stands, for the run-mode regions legend: how far it is in the
 * checkpoint in flight (subtasks acknowledged of its total), how the last finished checkpoint
 * went for it (✓ acknowledged, or ↺ fell back to an earlier snapshot), and how often it
 * restarted.
 */
import type { CheckpointStats } from '../../../engine/checkpoint/types';
import type { CheckpointsReport, RecoveryReport } from '../../../engine/runtime/telemetry';
import type { RegionLike } from '../../model/regionsView';
import { inFlight } from './barriers';

export interface RegionStatus {
  region: number;
  subtasks: number;
  inFlight?: { id: number; acked: number; status: 'pending' | 'acknowledged' | 'failed' | 'finished' };
  /** The newest checkpoint that ended, as it went for this region. */
  last?: { id: number; status: 'acknowledged' | 'failed' | 'finished' | 'pending'; snapshotId?: number };
  restarts: number;
}

export function regionStatuses(regions: readonly RegionLike[], report: CheckpointsReport | null, recoveries: readonly RecoveryReport[]): RegionStatus[] {
  const current = inFlight(report?.history);
  const acked = new Set((current?.subtasks ?? []).map((s) => `${s.operatorId}#${s.index}`));
  let ended: CheckpointStats | undefined;
  for (let i = (report?.history.length ?? 0) - 1; i >= 0; i--) {
    const c = report?.history[i];
    if (c && c.status !== 'in-progress') {
      ended = c;
      break;
    }
  }
  return regions.map((r) => {
    const out: RegionStatus = { region: r.id, subtasks: r.subtasks.length, restarts: 0 };
    if (current) {
      const outcome = current.regions.find((x) => x.region === r.id);
      out.inFlight = { id: current.id, acked: r.subtasks.filter((s) => acked.has(`${s.operatorId}#${s.index}`)).length, status: outcome?.status ?? 'pending' };
    }
    if (ended) {
      const outcome = ended.regions.find((x) => x.region === r.id);
      const status = outcome?.status ?? (ended.status === 'completed' ? 'acknowledged' : 'failed');
      out.last = { id: ended.id, status, ...(outcome?.snapshotId !== undefined ? { snapshotId: outcome.snapshotId } : {}) };
    }
    out.restarts = recoveries.filter((x) => x.regions.includes(r.id) || (x.strategy === 'full')).length;
    return out;
  });
}

/** "✓ 7", "↺ 5" (fell back to checkpoint 5), "↺ start" (no snapshot yet), "… 8: 3/5". */
export function regionStatusText(s: RegionStatus): string {
  const parts: string[] = [];
  if (s.last) {
    if (s.last.status === 'acknowledged' || s.last.status === 'finished') parts.push(`✓ ${s.last.id}`);
    else parts.push(`↺ ${s.last.snapshotId === undefined ? `≠${s.last.id}` : s.last.snapshotId === 0 ? 'start' : s.last.snapshotId}`);
  }
  if (s.inFlight) parts.push(`… ${s.inFlight.id}: ${s.inFlight.acked}/${s.subtasks}`);
  return parts.join(' · ');
}

/** The long form of a region's status, for the title. */
export function regionStatusTitle(s: RegionStatus): string {
  const lines = [`Region ${s.region}: ${s.subtasks} ${s.subtasks === 1 ? 'subtask' : 'subtasks'}`];
  if (s.last) {
    if (s.last.status === 'acknowledged' || s.last.status === 'finished') lines.push(`checkpoint ${s.last.id}: acknowledged (✓)`);
    else if (s.last.snapshotId === 0) lines.push(`checkpoint ${s.last.id}: failed here (↺), the region would restart from the beginning`);
    else if (s.last.snapshotId !== undefined) lines.push(`checkpoint ${s.last.id}: failed here (↺), the region falls back to checkpoint ${s.last.snapshotId}`);
    else lines.push(`checkpoint ${s.last.id}: failed (↺)`);
  }
  if (s.inFlight) lines.push(`checkpoint ${s.inFlight.id} in flight: ${s.inFlight.acked} of ${s.subtasks} subtasks acknowledged`);
  if (s.restarts > 0) lines.push(`restarted ${s.restarts} ${s.restarts === 1 ? 'time' : 'times'}`);
  return lines.join('\n');
}

/** How the Checkpoints panel writes figures: sizes (rows or bytes, the backend's unit), durations, region outcomes. */
import type { CheckpointStats, RegionOutcome } from '../../../engine/checkpoint/types';
import { formatCompact } from '../../model/runFormat';

/** Virtual ms as `850 ms`, `2.4 s`, `—` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatSize(n: number): string {
  return formatCompact(n);
}

/** "✓ acked", "↺ fell back to 5", "↺ from the start", "… pending", "✓ finished". */
export function regionOutcomeText(r: RegionOutcome): string {
  switch (r.status) {
    case 'acknowledged': return '✓ acked';
    case 'finished': return '✓ finished';
    case 'pending': return '… pending';
    case 'failed':
      if (r.snapshotId === undefined) return '✕ failed';
      return r.snapshotId === 0 ? '↺ from the start' : `↺ fell back to ${r.snapshotId}`;
  }
}

export const STATUS_MARK: Record<CheckpointStats['status'], string> = { completed: '✓', failed: '✕', 'in-progress': '…' };

/** Per-subtask rows of one checkpoint grouped by operator, each with its slowest figures. */
export function subtasksByOperator(c: CheckpointStats): { operatorId: string; rows: CheckpointStats['subtasks'] }[] {
  const by = new Map<string, CheckpointStats['subtasks'][number][]>();
  for (const s of c.subtasks) {
    const list = by.get(s.operatorId);
    if (list) list.push(s);
    else by.set(s.operatorId, [s]);
  }
  return [...by.entries()].map(([operatorId, rows]) => ({ operatorId, rows: [...rows].sort((a, b) => a.index - b.index) }));
}

/**
 * Plain-language captions for what a recovery did, from the JobManager's RecoveryReport:
 * "Region 2 restarted from checkpoint 7 (3 subtasks)", "Only Count #1 restarted (approximate)
 * — 412 records lost", "Whole job restarted from the beginning (12 subtasks)".
 */
import type { JobGraph } from '../../../engine';
import type { RecoveryReport } from '../../../engine/runtime/telemetry';
import { regionsBySubtask } from '../../model/regionsView';
import { runRegionsOf } from '../../store/derived';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nameOf(job: JobGraph | null, id: string): string {
  return job?.operators.find((o) => o.id === id)?.name ?? id;
}

/** "from checkpoint 7", "from checkpoints 5 and 7", "from the beginning (no checkpoint yet)". */
export function restoredFromText(report: RecoveryReport): string {
  const ids = [...new Set(report.restoredFrom.map((r) => r.checkpointId))].sort((a, b) => a - b);
  if (ids.length === 0 || (ids.length === 1 && ids[0] === 0)) return 'from the beginning (no checkpoint yet)';
  const named = ids.filter((id) => id > 0);
  const text = named.length === 1 ? `from checkpoint ${named[0]}` : `from checkpoints ${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return ids.includes(0) ? `${text} (some from the beginning)` : text;
}

/** Who restarted under approximate recovery: "Count #1", "Count #1 and #3", "4 subtasks". */
function tasksText(report: RecoveryReport, job: JobGraph | null): string {
  const list = report.restarted;
  if (list.length === 0) return 'no task';
  if (list.length > 3) return plural(list.length, 'subtask');
  const ops = [...new Set(list.map((s) => s.operatorId))];
  if (ops.length === 1) return `${nameOf(job, ops[0] as string)} ${list.map((s) => `#${s.index}`).join(' and ')}`;
  return list.map((s) => `${nameOf(job, s.operatorId)} #${s.index}`).join(', ');
}

/** One line saying what restarted, from where, and what was lost. */
export function recoveryCaption(report: RecoveryReport, job: JobGraph | null): string {
  const n = report.restarted.length;
  const pending = report.resumedMs === undefined ? ' — restarting…' : '';
  if (report.strategy === 'approximate') {
    const lost = report.recordsLost !== undefined ? ` — ${plural(report.recordsLost, 'record')} lost` : '';
    return `Only ${tasksText(report, job)} restarted (approximate)${lost}${pending}`;
  }
  if (report.strategy === 'full') {
    if (report.restoredFrom.length === 0 && pending) return `Whole job restarting (${plural(n, 'subtask')})…`;
    return `Whole job restarted ${restoredFromText(report)} (${plural(n, 'subtask')})${pending}`;
  }
  const regions = report.regions;
  const which = regions.length === 1 ? `Region ${regions[0]}` : regions.length <= 4 ? `Regions ${regions.join(', ')}` : plural(regions.length, 'region');
  const kept = keptUpText(report, job);
  if (report.restoredFrom.length === 0 && pending) return `${which} restarting (${plural(n, 'subtask')})${kept}…`;
  return `${which} restarted ${restoredFromText(report)} (${plural(n, 'subtask')})${kept}${pending}`;
}

/**
 * "; Commit #0 stays up" when a region-sharable committer of the restarted regions kept running
 * (it only rewound what those regions had sent since their checkpoint).
 */
function keptUpText(report: RecoveryReport, job: JobGraph | null): string {
  if (job === null) return '';
  const regions = runRegionsOf(job);
  if (!regions.ok) return '';
  const restarted = new Set(report.restarted.map((s) => `${s.operatorId}#${s.index}`));
  const kept = [...regionsBySubtask(regions.regions)]
    .filter(([key, ids]) => ids.length > 1 && !restarted.has(key) && ids.some((id) => report.regions.includes(id)))
    .map(([key]) => {
      const [operatorId, index] = key.split('#') as [string, string];
      return `${nameOf(job, operatorId)} #${index}`;
    });
  return kept.length === 0 ? '' : `; ${kept.join(', ')} ${kept.length === 1 ? 'stays' : 'stay'} up`;
}

/** Subtask keys (`op#i`) a recovery restarted, for highlighting on the canvas. */
export function restartedKeys(report: RecoveryReport | undefined): Set<string> {
  return new Set((report?.restarted ?? []).map((s) => `${s.operatorId}#${s.index}`));
}

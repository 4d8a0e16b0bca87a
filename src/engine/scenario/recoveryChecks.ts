/**
 * Checks about failures and recovery: `maxRestarts`, `checkpoints`, `recordsLost`. Pure
 * functions of what the run observed.
 *
 * Until fault tolerance lands a cluster reports neither checkpoints nor recoveries. Then a run
 * without failures has restarted nothing and lost nothing (and the checks say so), while a run
 * with a failure makes these checks fail saying what this build lacks; they never pass by
 * default.
 */
import { divideRegions, regionIdsOfSubtask, RUN_REGIONS } from '../plan/regions';
import { subtaskKey } from '../plan/executionGraph';
import type { CheckResult, ScenarioCheckpoint } from './ports';
import { describeBound, failureEvents, runFailure, unavailable, withinBound, type Observed } from './observed';
import type { CheckpointsExpectation, MaxRestartsExpectation, RecordsLostExpectation } from './types';

const NO_RESTARTS = 'restarts need fault tolerance (checkpoints and a failover strategy), which this build does not have';

/** The name of a maxRestarts check: `maxRestarts work#1`, `maxRestarts work`, `maxRestarts region 2`, `maxRestarts each task`. */
export function maxRestartsName(e: MaxRestartsExpectation): string {
  if (e.name !== undefined) return e.name;
  if (e.operator !== undefined) return `maxRestarts ${e.operator}${e.subtask === undefined ? '' : `#${e.subtask}`}`;
  return e.region === undefined ? 'maxRestarts each task' : `maxRestarts region ${e.region}`;
}

/** At most `max` restarts of the selected task(s) or region. */
export function checkMaxRestarts(e: MaxRestartsExpectation, observed: Observed): CheckResult {
  const name = maxRestartsName(e);
  const expected = `≤ ${e.max} restarts`;
  const failed = runFailure(observed);
  if (failed !== undefined) {
    const result: CheckResult = { name, passed: false, expected, actual: failed };
    if (observed.recoveries === undefined) result.detail = `${NO_RESTARTS}, so the job stopped instead of restarting`;
    return result;
  }
  if (observed.recoveries === undefined) {
    if (failureEvents(observed).length > 0) return unavailable(name, expected, `tasks failed, but ${NO_RESTARTS}`);
    return { name, passed: 0 <= e.max, expected, actual: '0 restarts', measured: 0, detail: 'no task failed' };
  }
  const counts = restartCounts(e, observed);
  let worst = { unit: 'nothing selected', count: 0 };
  for (const [unit, count] of counts) if (count > worst.count || worst.unit === 'nothing selected') worst = { unit, count };
  return { name, passed: worst.count <= e.max, expected, actual: `${worst.count} restarts (${worst.unit})`, measured: worst.count };
}

/** Restarts per selected unit (task key or `region N`), from the cluster's recovery reports. */
function restartCounts(e: MaxRestartsExpectation, observed: Observed): Map<string, number> {
  const counts = new Map<string, number>();
  const recoveries = observed.recoveries ?? [];
  if (e.region !== undefined) {
    // A region-sharable committer is in several regions: a region restarts when any of its members does.
    const lookup = regionIdsOfSubtask(divideRegions(observed.job, RUN_REGIONS));
    const unit = `region ${e.region}`;
    const inRegion = (s: { operatorId: string; index: number }): boolean => lookup.get(subtaskKey(s))?.includes(e.region as number) === true;
    counts.set(unit, recoveries.filter((r) => r.restarted.some(inRegion)).length);
    return counts;
  }
  for (const op of observed.job.operators) {
    if (e.operator !== undefined && op.id !== e.operator) continue;
    for (let index = 0; index < op.parallelism; index++) {
      if (e.subtask !== undefined && index !== e.subtask) continue;
      counts.set(`${op.id}#${index}`, 0);
    }
  }
  for (const recovery of recoveries) {
    for (const s of recovery.restarted) {
      const key = `${s.operatorId}#${s.index}`;
      const count = counts.get(key);
      if (count !== undefined) counts.set(key, count + 1);
    }
  }
  return counts;
}

/** The name of a checkpoints check. */
export function checkpointsName(e: CheckpointsExpectation): string {
  return e.name ?? `checkpoints ${e.region === undefined ? 'of the job' : `of region ${e.region}`}`;
}

/** Checkpoints completed / failed, for the job or one region. */
export function checkCheckpoints(e: CheckpointsExpectation, observed: Observed): CheckResult {
  const name = checkpointsName(e);
  const parts: string[] = [];
  if (e.completed !== undefined) parts.push(`completed ${describeBound(e.completed)}`);
  if (e.failed !== undefined) parts.push(`failed ${describeBound(e.failed)}`);
  const expected = parts.join(', ');
  if (observed.checkpoints === undefined) return unavailable(name, expected, 'checkpoint counts need checkpoints, which this build does not have');
  let completed = 0;
  let failed = 0;
  for (const checkpoint of observed.checkpoints) {
    const status = e.region === undefined ? checkpoint.status : regionStatus(checkpoint, e.region);
    if (status === 'completed') completed++;
    else if (status === 'failed') failed++;
  }
  const passed = (e.completed === undefined || withinBound(completed, e.completed)) && (e.failed === undefined || withinBound(failed, e.failed));
  return { name, passed, expected, actual: `completed ${completed}, failed ${failed}` };
}

/**
 * A region's outcome in one checkpoint: completed when the checkpoint completed and the region
 * acknowledged (or finished) its part; failed when its part failed or the whole checkpoint did
 * (a region that acknowledged a checkpoint that then failed still has no new snapshot).
 */
function regionStatus(checkpoint: ScenarioCheckpoint, region: number): string | undefined {
  const own = checkpoint.regions?.find((r) => r.region === region)?.status;
  if (checkpoint.status === 'failed') return own === undefined ? undefined : 'failed';
  if (checkpoint.status !== 'completed') return own;
  return own === 'acknowledged' || own === 'finished' || own === 'completed' ? 'completed' : own;
}

/** The name of a recordsLost check. */
export function recordsLostName(e: RecordsLostExpectation): string {
  return e.name ?? `recordsLost${e.operator === undefined ? '' : ` ${e.operator}`}`;
}

/** Records lost by approximate local recovery, in total or for one operator. */
export function checkRecordsLost(e: RecordsLostExpectation, observed: Observed): CheckResult {
  const name = recordsLostName(e);
  const expected = `${describeBound(e)} records lost`;
  const recoveries = observed.recoveries;
  if (recoveries === undefined) {
    if (failureEvents(observed).length === 0) {
      return { name, passed: withinBound(0, e), expected, actual: '0 records lost', measured: 0, detail: 'no task failed, so nothing was lost' };
    }
    const failed = runFailure(observed);
    return unavailable(name, expected, `records lost are reported by approximate local recovery, which this build does not have${failed === undefined ? '' : `; ${failed}`}`);
  }
  let lost = 0;
  for (const recovery of recoveries) {
    if (e.operator === undefined) {
      lost += recovery.recordsLost ?? 0;
    } else if (recovery.recordsLostByOperator !== undefined) {
      lost += recovery.recordsLostByOperator[e.operator] ?? 0;
    } else if ((recovery.recordsLost ?? 0) > 0) {
      return unavailable(name, expected, `a recovery at ${recovery.virtualTimeMs} ms lost records but did not break them down by operator`);
    }
  }
  return { name, passed: withinBound(lost, e), expected, actual: `${lost} records lost`, measured: lost };
}

/**
 * Values derived from the open job, memoised per job object: the validation report, the
 * errors grouped by operator and edge, and the pipelined regions. The job is immutable, so
 * a WeakMap keyed by the job object is an exact cache.
 */
import { divideRegions, RUN_REGIONS, validateJob, type DivideOptions, type JobGraph, type ValidationReport } from '../../engine';
import { indexErrors, type ErrorIndex } from '../model/errorIndex';
import type { RegionLike } from '../model/regionsView';

const reports = new WeakMap<JobGraph, ValidationReport>();
const indexes = new WeakMap<JobGraph, ErrorIndex>();
const regionResults = new WeakMap<JobGraph, RegionsResult>();
const runRegionResults = new WeakMap<JobGraph, RegionsResult>();

export type RegionsResult = { ok: true; regions: RegionLike[] } | { ok: false; reason: string };

/** The validation report of `job` (computed once per job object). */
export function validationOf(job: JobGraph): ValidationReport {
  let report = reports.get(job);
  if (!report) {
    report = validateJob(job);
    reports.set(job, report);
  }
  return report;
}

/** Validation errors grouped by operator and edge. */
export function errorIndexOf(job: JobGraph): ErrorIndex {
  let index = indexes.get(job);
  if (!index) {
    index = indexErrors(job, validationOf(job).errors);
    indexes.set(job, index);
  }
  return index;
}

/** The pipelined regions of a valid job, or why there are none to show. */
export function regionsOf(job: JobGraph): RegionsResult {
  let result = regionResults.get(job);
  if (!result) {
    result = computeRegions(job);
    regionResults.set(job, result);
  }
  return result;
}

/**
 * The regions a run of the job acts on (failover, regional checkpoints, `fail-checkpoint`
 * region numbers), as the engine divides them for runs (`RUN_REGIONS`): the same as the
 * preview, a region-sharable committer a member of every region feeding it.
 */
export function runRegionsOf(job: JobGraph): RegionsResult {
  let result = runRegionResults.get(job);
  if (!result) {
    result = computeRegions(job, RUN_REGIONS);
    runRegionResults.set(job, result);
  }
  return result;
}

function computeRegions(job: JobGraph, options: DivideOptions = {}): RegionsResult {
  const report = validationOf(job);
  if (!report.ok) {
    const n = report.errors.length;
    return { ok: false, reason: `Fix ${n} ${n === 1 ? 'problem' : 'problems'} to preview regions.` };
  }
  if (job.operators.length === 0) return { ok: false, reason: 'Add operators to preview regions.' };
  try {
    return { ok: true, regions: divideRegions(job, options) };
  } catch (error) {
    return { ok: false, reason: `Regions cannot be computed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

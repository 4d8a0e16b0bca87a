/**
 * Whole-job helpers: a new empty job, the job-level settings, and preparing a loaded job for
 * the canvas (every operator gets a position, so later edits never make nodes jump).
 */
import type { JobGraph, MaxParallelismFormula } from '../../engine';
import { positionsFor } from './positions';

export const UNTITLED = 'Untitled job';

/** A job with nothing in it. */
export function emptyJob(name: string = UNTITLED): JobGraph {
  return { sluice: 'job/1', name, operators: [], edges: [], layout: {} };
}

/** The job with a position for every operator (the job's own where present). */
export function withFullLayout(job: JobGraph): JobGraph {
  return { ...job, layout: positionsFor(job) };
}

export type JobSettingsPatch = Partial<{ name: string; description: string; maxParallelismFormula: MaxParallelismFormula }>;

/** Sets job-level settings; an empty description is removed. */
export function updateJobSettings(job: JobGraph, patch: JobSettingsPatch): JobGraph {
  const next: JobGraph = { ...job, ...patch };
  if (patch.description !== undefined && patch.description.length === 0) delete next.description;
  return next;
}

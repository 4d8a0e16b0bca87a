/**
 * Why the open job cannot run with the run configuration being edited, or null when it can:
 * an invalid job, an impossible setting, or too few slots. The engine decides each of these
 * (validation, `resolveRunConfig`, `assignSlots`); this only asks, and says it in one line
 * for the Run button's tooltip and the run bar.
 */
import { assignSlots, buildExecutionGraph, validateJob, type JobGraph, type ValidationReport } from '../../engine';
import { resolveRunConfig, type RunConfig } from '../../engine/runtime/runConfig';

const cache = new WeakMap<JobGraph, WeakMap<RunConfig, string | null>>();

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line saying why `job` cannot run with `config` (`report` is the job's validation, when known). */
export function runBlocker(job: JobGraph, config: RunConfig, report?: ValidationReport): string | null {
  let byConfig = cache.get(job);
  if (!byConfig) {
    byConfig = new WeakMap();
    cache.set(job, byConfig);
  }
  if (byConfig.has(config)) return byConfig.get(config) ?? null;
  const reason = computeBlocker(job, config, report ?? validateJob(job));
  byConfig.set(config, reason);
  return reason;
}

function computeBlocker(job: JobGraph, config: RunConfig, report: ValidationReport): string | null {
  if (job.operators.length === 0) return 'The job is empty: add a source and a sink to run it.';
  if (!report.ok) return `Fix ${plural(report.errors.length, 'problem', 'problems')} in the job to run it (see Problems).`;
  const resolved = resolveRunConfig(config);
  if (!resolved.ok) return resolved.errors.map((e) => e.message).join(' ');
  try {
    const slots = assignSlots(buildExecutionGraph(job), config);
    return slots.ok ? null : slots.message;
  } catch (error) {
    return `The job cannot be planned: ${error instanceof Error ? error.message : String(error)}`;
  }
}

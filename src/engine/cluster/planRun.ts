/**
 * Deciding whether and where a job runs (STYLE.md habit 2: a pure function from facts to a
 * decision): the job is validated, the run configuration resolved, the ExecutionGraph built
 * and every subtask placed in a slot (slot sharing, TaskManager-major; plan/slots.ts). Every
 * reason to refuse comes back with a JSON path, a stable code and a sentence saying what to do.
 */
import { validateJob } from '../job/validate';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph, subtaskKey, type ExecutionGraph } from '../plan/executionGraph';
import { assignSlots } from '../plan/slots';
import type { SubtaskPlacement } from '../runtime/protocol';
import { resolveRunConfig, type RunConfig } from '../runtime/runConfig';

/** One reason a run cannot start. */
export interface StartProblem {
  /** `$.…` into the job (job problems) or into the run configuration (`$.taskManagers`). */
  path: string;
  message: string;
  code?: string;
}

export type RunPlan =
  | { ok: true; job: JobGraph; config: RunConfig; graph: ExecutionGraph; placement: SubtaskPlacement[] }
  | { ok: false; errors: StartProblem[] };

/** Validates and places a job for a run; see the module comment. */
export function planRun(jobInput: unknown, configInput: unknown): RunPlan {
  const resolved = resolveRunConfig(configInput);
  const report = validateJob(jobInput);
  const errors: StartProblem[] = [];
  if (!report.ok || report.job === undefined) {
    for (const error of report.errors) errors.push({ path: error.path, message: error.message, code: error.code });
  }
  if (!resolved.ok) {
    for (const error of resolved.errors) errors.push({ ...error, code: 'runConfig.invalid' });
  }
  if (!resolved.ok || report.job === undefined || errors.length > 0) return { ok: false, errors };
  const job = report.job;
  const config = resolved.config;
  const graph = buildExecutionGraph(job);
  const decision = assignSlots(graph, {
    taskManagers: config.taskManagers, slotsPerTaskManager: config.slotsPerTaskManager, drained: config.drainedTaskManagers,
  });
  if (!decision.ok) {
    const path = decision.code === 'slots.notEnough' ? '$.slotsPerTaskManager' : decision.code === 'slots.badDrained' ? '$.drainedTaskManagers' : '$.taskManagers';
    return { ok: false, errors: [{ path, message: decision.message, code: decision.code }] };
  }
  const placement = graph.subtasks.map((subtask): SubtaskPlacement => {
    const address = decision.assignment.placement.get(subtaskKey(subtask));
    if (address === undefined) throw new Error(`assignSlots left ${subtaskKey(subtask)} without a slot.`);
    return { operatorId: subtask.operatorId, index: subtask.index, taskManager: address.taskManager, slot: address.slot };
  });
  return { ok: true, job, config, graph, placement };
}

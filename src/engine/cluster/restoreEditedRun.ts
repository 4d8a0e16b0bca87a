/**
 * The I/O shell of restoring an edited job (restoreEdited.ts decides): loads the job's saved
 * run and its checkpoint metadata from the durable store, checks that the keyed state it needs
 * still exists, and hands LocalCluster the plan and hand-over to launch with. Every refusal has
 * a stable code and says what to do.
 */
import { jobIdOf } from './jobId';
import type { JobManagerOptions } from './JobManagerCore';
import type { LocalClusterPorts } from './clusterPorts';
import { decideEditedRestore, editedRestoreSummary, type EditedRestoreOptions, type RestoreMapping } from './restoreEdited';
import { resumeHandOver, resumeProblem } from './resume';
import { codeOf, messageOf } from './stateLookup';
import type { JobGraph } from '../job/types';
import type { RunConfig } from '../runtime/runConfig';
import type { AcceptedPlan } from './JobManagerCore';

/** A refusal, with the JSON path it concerns. */
export interface EditedRestoreProblem {
  path: string;
  code?: string;
  message: string;
}

/** What `restoreEdited` resolves with: the job that runs (uids and max parallelism pinned) and the mapping. */
export type EditedRestoreReport =
  | { ok: true; config: RunConfig; job: JobGraph; mapping: RestoreMapping }
  | { ok: false; errors: EditedRestoreProblem[]; mapping?: RestoreMapping };

export type PreparedEditedRestore =
  | { ok: true; plan: AcceptedPlan; resume: NonNullable<JobManagerOptions['resume']>; mapping: RestoreMapping }
  | { ok: false; errors: EditedRestoreProblem[]; mapping?: RestoreMapping };

const refuse = (code: string, message: string, mapping?: RestoreMapping): PreparedEditedRestore => ({
  ok: false, errors: [{ path: '$', code, message }], ...(mapping === undefined ? {} : { mapping }),
});

/**
 * Loads `jobId`'s saved run and decides the restore of `job` from it (see the module comment).
 * `onWorkers`: the TaskManagers run in workers (memory state did not survive a reload).
 */
export async function prepareEditedRestore(
  ports: Pick<LocalClusterPorts, 'checkpointStore' | 'checkJobState'>, jobId: string, job: JobGraph, options: EditedRestoreOptions, onWorkers: boolean,
): Promise<PreparedEditedRestore> {
  if (jobIdOf(job) !== jobId) {
    return refuse('restore.otherJob', `The edited job "${job.name}" is not the job of saved run '${jobId}': its state lives under the job's name. Give the job its former name to restore it.`);
  }
  const saved = await ports.checkpointStore?.loadRun?.(jobId);
  if (saved === undefined) return refuse('resume.nothingSaved', `No saved run of job '${jobId}' to restore: start the job afresh.`);
  const problem = resumeProblem(saved.run, saved.metadata);
  if (problem !== null) return refuse('resume.mismatch', problem);
  const decision = decideEditedRestore(saved.run, saved.metadata, job, options);
  if (!decision.ok) return { ok: false, errors: decision.errors.map((e) => ({ path: '$', code: e.code, message: e.message })), ...(decision.mapping === undefined ? {} : { mapping: decision.mapping }) };
  const { plan, mapping, checkpoints, run } = decision;
  if (plan.config.stateBackend === 'memory' && onWorkers) {
    return refuse('resume.memoryState', 'This run kept its keyed state in the TaskManager workers\' memory, which did not survive the reload. Start the job afresh; run with stateBackend "idb" to restore after a reload.', mapping);
  }
  if (plan.config.stateBackend === 'idb' && ports.checkJobState !== undefined) {
    try {
      await ports.checkJobState(jobId);
    } catch (error) {
      return refuse(codeOf(error) ?? 'state.databaseLost', `${messageOf(error)} Discard the saved run and start the job afresh.`, mapping);
    }
  }
  const resume = {
    ...resumeHandOver(plan, run, checkpoints), eventKind: 'recovery-finished' as const,
    message: `${editedRestoreSummary(mapping, run.checkpointId)} ${plan.graph.subtasks.length} subtasks restored at ${run.virtualTimeMs} ms.`,
  };
  return { ok: true, plan, resume, mapping };
}

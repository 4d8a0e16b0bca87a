/**
 * Restoring an edited job from a saved run's last completed checkpoint (issue 8: "restore from
 * checkpoint after an edit finds their state"), as pure functions; LocalCluster.restoreEdited
 * is the thin shell that loads the saved run, checks the state database and launches.
 *
 * - {@link previewEditedRestore}: the id ↔ name mapping (restoreEditedMapping.ts) between the
 *   saved job and the edited one, for the confirmation the app shows first.
 * - {@link decideEditedRestore}: the same mapping with the user's consents, and when nothing
 *   stands in the way the run to start: the edited job with (1) the saved stable id pinned as
 *   `uid` on every operator matched by name (its state is addressed by that id; pinned, the next
 *   restore matches it by id) and (2) the checkpoint's max parallelism on every matched operator
 *   whose job does not set one (key groups are fixed once state exists; Flink likewise takes an
 *   auto-derived max parallelism from the savepoint); its plan (slots per TaskManager grown if
 *   the new parallelism needs them, as a rescale does); the checkpoint re-expressed for the new
 *   plan by the rescale path (rescale.ts `rescaleCheckpoint`): a subtask of a matched operator at
 *   its old parallelism keeps its own handle, one at another parallelism restores its key groups,
 *   timers and source partitions from all former subtasks, a new operator starts empty; and the
 *   saved run with the collect sinks' committed output under their new canvas ids.
 *
 * Keyed state is not copied: rows stay where they are, addressed by stable id (§5).
 */
import type { JobGraph, OperatorSpec } from '../job/types';
import { resolveMaxParallelism } from '../plan/executionGraph';
import { effectiveConfig, stableOperatorIds } from '../plan/operatorIds';
import { canonicalJson } from '../runtime/traceHash';
import { MAX_SLOTS_PER_TASK_MANAGER } from '../plan/slots';
import type { RunConfig } from '../runtime/runConfig';
import type { CheckpointMetadata } from './CheckpointDriver';
import { planRun, type RunPlan } from './planRun';
import { rescaleCheckpoint, topologyOf } from './rescale';
import { latestCheckpointId, type SavedRun } from './resume';
import {
  mapOperators, type EditedOperatorFacts, type RestoreMapping, type RestoreRefusal, type SavedOperatorFacts,
} from './restoreEditedMapping';

export type { RestoreMapping, RestoreMappingRow, RestoreOutcome, RestoreRefusal } from './restoreEditedMapping';

/** What the user agreed to, and pacing. */
export interface EditedRestoreOptions {
  /** Take the `by-name` rows of the mapping (operator-name-assisted restore). */
  acceptNameMapping?: boolean;
  /** Let saved state no operator takes go (Flink's allowNonRestoredState). */
  allowNonRestoredState?: boolean;
  paused?: boolean;
  speed?: RunConfig['speed'];
}

type AcceptedRunPlan = Extract<RunPlan, { ok: true }>;

export type EditedRestoreDecision =
  | { ok: true; plan: AcceptedRunPlan; mapping: RestoreMapping; checkpoints: CheckpointMetadata; run: SavedRun }
  | { ok: false; errors: RestoreRefusal[]; mapping?: RestoreMapping };

function maxParallelismOf(op: OperatorSpec, job: JobGraph): number {
  try {
    return resolveMaxParallelism(op, job.maxParallelismFormula);
  } catch {
    return op.maxParallelism ?? op.parallelism;
  }
}

/** The saved job's operators with their stable ids and resolved max parallelism. */
function savedFacts(job: JobGraph): SavedOperatorFacts[] {
  const ids = stableOperatorIds(job);
  return job.operators.map((op) => ({
    planId: op.id, stableId: ids.get(op.id)?.stableId ?? op.id, name: op.name, kind: op.kind,
    parallelism: op.parallelism, maxParallelism: maxParallelismOf(op, job),
  }));
}

function editedFacts(job: JobGraph): EditedOperatorFacts[] {
  const ids = stableOperatorIds(job);
  return job.operators.map((op) => ({
    planId: op.id, stableId: ids.get(op.id)?.stableId ?? op.id, name: op.name, kind: op.kind,
    parallelism: op.parallelism, maxParallelism: maxParallelismOf(op, job), maxParallelismSet: op.maxParallelism !== undefined,
  }));
}

/**
 * Whether `job` differs from the saved `saved` in anything a run depends on (operators with
 * their effective config and max parallelism, edges, the formula): then resuming means
 * restoring an edited job. Layout, description and config spelled out at its defaults do not count.
 */
export function isEditedJob(saved: JobGraph, job: JobGraph): boolean {
  const shape = (j: JobGraph): string => canonicalJson({
    operators: j.operators.map((op) => ({
      id: op.id, kind: op.kind, name: op.name, uid: op.uid, parallelism: op.parallelism,
      maxParallelism: maxParallelismOf(op, j), config: effectiveConfig(op),
    })),
    edges: j.edges.map((e) => ({ from: e.from, to: e.to, partitioner: e.partitioner, key: e.key })),
  });
  return shape(saved) !== shape(job);
}

/** The id ↔ name mapping from `saved`'s job to `job` (see the module comment). */
export function previewEditedRestore(saved: Pick<SavedRun, 'job'>, job: JobGraph): RestoreMapping {
  return mapOperators(savedFacts(saved.job), editedFacts(job));
}

/** Refusals that only the user's consent lifts. */
function consentRefusals(mapping: RestoreMapping, options: EditedRestoreOptions): RestoreRefusal[] {
  const refusals: RestoreRefusal[] = [];
  if (mapping.needsNameConsent && options.acceptNameMapping !== true) {
    const names = mapping.rows.filter((r) => r.outcome === 'by-name' && r.savedHasState === true).map((r) => `"${r.name}"`).join(', ');
    refusals.push({ code: 'restore.nameMappingNotAccepted', message: `Operators ${names} changed ids and would take the saved state by name. Check the mapping and accept it (acceptNameMapping), or set their uids.` });
  }
  if (mapping.needsDropConsent && options.allowNonRestoredState !== true) {
    const names = mapping.rows.filter((r) => r.outcome === 'dropped' && r.savedHasState === true).map((r) => `"${r.name}" (${r.savedStableId ?? ''})`).join(', ');
    refusals.push({ code: 'restore.nonRestoredState', message: `The checkpoint holds state of ${names} that no operator of the edited job takes. Allow dropping it (allowNonRestoredState), or put the operator back.` });
  }
  return refusals;
}

/**
 * The edited job as it runs: saved ids pinned as uids on by-name rows, saved max parallelism on
 * matched rows. The app commits it to the designer before restoring, so the user sees the pins
 * (and can undo them) and the restore then matches those operators by id.
 */
export function pinnedJobForRestore(job: JobGraph, saved: JobGraph, mapping: RestoreMapping): JobGraph {
  const savedMax = new Map(savedFacts(saved).map((f) => [f.planId, f.maxParallelism]));
  const rowOf = new Map(mapping.rows.filter((r) => r.operatorId !== undefined).map((r) => [r.operatorId as string, r]));
  const operators = job.operators.map((op): OperatorSpec => {
    const row = rowOf.get(op.id);
    if (row === undefined || (row.outcome !== 'matched' && row.outcome !== 'by-name')) return op;
    const next: OperatorSpec = { ...op, maxParallelism: op.maxParallelism ?? savedMax.get(row.savedOperatorId as string) ?? op.parallelism };
    if (row.outcome === 'by-name') next.uid = row.savedStableId as string;
    return next;
  });
  return { ...job, operators };
}

/** planRun, growing slots per TaskManager while the plan needs more (as a rescale does). */
function planWithSlots(job: JobGraph, config: RunConfig): RunPlan {
  let slots = config.slotsPerTaskManager;
  for (;;) {
    const plan = planRun(job, { ...config, slotsPerTaskManager: slots });
    if (plan.ok || slots >= MAX_SLOTS_PER_TASK_MANAGER || !plan.errors.some((e) => e.code === 'slots.notEnough')) return plan;
    slots++;
  }
}

/** See the module comment. `metadata` must belong to `saved` (resume.ts `resumeProblem`). */
export function decideEditedRestore(saved: SavedRun, metadata: CheckpointMetadata, job: JobGraph, options: EditedRestoreOptions = {}): EditedRestoreDecision {
  const mapping = previewEditedRestore(saved, job);
  const refusals = [...mapping.refusals, ...consentRefusals(mapping, options)];
  if (refusals.length > 0) return { ok: false, errors: refusals, mapping };
  const oldPlan = planRun(saved.job, saved.config);
  if (!oldPlan.ok) return { ok: false, errors: oldPlan.errors.map((e) => ({ code: e.code ?? 'restore.savedJobInvalid', message: `The saved job no longer plans: ${e.message}` })), mapping };
  const pacing: Partial<RunConfig> = {};
  if (options.paused !== undefined) pacing.paused = options.paused;
  if (options.speed !== undefined) pacing.speed = options.speed;
  const plan = planWithSlots(pinnedJobForRestore(job, saved.job, mapping), { ...saved.config, ...pacing });
  if (!plan.ok) return { ok: false, errors: plan.errors.map((e) => ({ code: e.code ?? 'restore.invalid', message: e.message })), mapping };
  const formerOf = new Map<string, string>();
  const rescaled = new Set<string>();
  for (const row of mapping.rows) {
    if (row.operatorId === undefined || row.savedOperatorId === undefined) continue;
    formerOf.set(row.operatorId, row.savedOperatorId);
    if (row.rescaled !== undefined) rescaled.add(row.operatorId);
  }
  const checkpoints = rescaleCheckpoint(metadata, topologyOf(oldPlan), topologyOf(plan), rescaled, (id) => formerOf.get(id));
  const sinks: SavedRun['sinks'] = {};
  for (const [newId, oldId] of formerOf) {
    const output = saved.sinks[oldId];
    if (output !== undefined) sinks[newId] = output;
  }
  const run: SavedRun = { ...saved, job: plan.job, config: plan.config, sinks, checkpointId: latestCheckpointId(checkpoints) };
  return { ok: true, plan, mapping, checkpoints, run };
}

/** One line for the events: what the restore did. */
export function editedRestoreSummary(mapping: RestoreMapping, checkpointId: number): string {
  const count = (outcome: string) => mapping.rows.filter((r) => r.outcome === outcome).length;
  const parts = [`${count('matched')} by id`];
  if (count('by-name') > 0) parts.push(`${count('by-name')} by name`);
  if (count('new') > 0) parts.push(`${count('new')} new, starting empty`);
  if (count('dropped') > 0) parts.push(`${count('dropped')} dropped`);
  return `Restored the edited job from checkpoint ${checkpointId}: operators ${parts.join(', ')}.`;
}

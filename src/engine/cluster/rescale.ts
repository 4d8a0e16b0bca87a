/**
 * Rescaling a running job (DESIGN.md §6; Flink's "stop with savepoint, then restart at another
 * parallelism", done inside one run): the decisions, as pure functions.
 *
 * - {@link planRescale}: the job at its new parallelism, or why not. One operator (or every
 *   operator but the collect sinks, for `operatorId` null) gets the new parallelism; every
 *   operator's max parallelism is pinned to what it is now, because key groups are fixed once
 *   state exists (Flink derives the default max parallelism once and keeps it in the
 *   savepoint). Refused, with a sentence saying what to do: an unknown operator, a parallelism
 *   outside [1, maxParallelism], a collect sink (its transactions belong to its subtask: its
 *   parallelism stays), a forward edge whose two ends would differ (forward needs equal
 *   parallelism; rescale the job, or change the edge), an operator with finished subtasks.
 *   When the new plan needs more slots than the TaskManagers have, each TaskManager gets
 *   more slots (slots are a number here, not a resource; Flink's active resource manager
 *   would start TaskManagers instead); beyond the limit it is refused.
 * - {@link rescaleCheckpoint}: the latest completed checkpoint re-expressed for the new plan.
 *   A subtask of a rescaled operator gets a handle listing the handles of every former
 *   subtask (`rescaledFrom`): its keyed backend restores the key groups it now owns from them,
 *   its timers keep those of its key groups, a source takes the offsets of the partitions it
 *   now reads. No state row moves: key groups are addressed in the storage by number, so a
 *   new subtask only reads another range of the same rows. Other subtasks keep their own
 *   handle. Every region of the new plan maps to the checkpoint's id.
 */
import type { JobGraph, OperatorSpec } from '../job/types';
import { MAX_SLOTS_PER_TASK_MANAGER } from '../plan/slots';
import type { RunConfig } from '../runtime/runConfig';
import { CompletedCheckpointStore } from '../checkpoint/CompletedCheckpointStore';
import type { ReceivedAck } from '../checkpoint/PendingCheckpoint';
import { checkpointTopology, type CheckpointTopology } from '../checkpoint/topology';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import type { CompletedCheckpoint } from '../checkpoint/types';
import { subtaskKey, type ExecutionGraph } from '../plan/executionGraph';
import type { SubtaskSnapshotHandle } from '../runtime/protocol';
import type { CheckpointMetadata } from './CheckpointDriver';
import { planRun, type RunPlan } from './planRun';

/** A rescale that can go ahead: the new plan, and which operators change parallelism. */
export interface RescalePlan {
  plan: Extract<RunPlan, { ok: true }>;
  /** Operators whose parallelism changes (their subtasks restore from all former ones). */
  rescaled: ReadonlySet<string>;
  /** One line for the events: what changes. */
  summary: string;
}

export type RescaleDecision = { ok: true; rescale: RescalePlan } | { ok: false; code: string; message: string };

/** What a rescale decision needs to know of the run. */
export interface RescaleFacts {
  job: JobGraph;
  config: RunConfig;
  graph: ExecutionGraph;
  /** Operators with a finished subtask. */
  finishedOperators: ReadonlySet<string>;
}

const refuse = (code: string, message: string): RescaleDecision => ({ ok: false, code, message });

/** See the module comment. */
export function planRescale(facts: RescaleFacts, operatorId: string | null, parallelism: number): RescaleDecision {
  const { job, graph } = facts;
  if (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1) {
    return refuse('rescale.parallelism', `Parallelism must be a whole number of at least 1, not ${String(parallelism)}.`);
  }
  const maxOf = new Map(graph.subtasks.map((s) => [s.operatorId, s.maxParallelism]));
  let targets: OperatorSpec[];
  if (operatorId === null) {
    targets = job.operators.filter((op) => op.kind !== 'collect');
  } else {
    const op = job.operators.find((o) => o.id === operatorId);
    if (op === undefined) {
      return refuse('rescale.unknownOperator', `Operator '${String(operatorId)}' is not in this job; operators: ${job.operators.map((o) => o.id).join(', ')}.`);
    }
    if (op.kind === 'collect') {
      return refuse('rescale.collectSink', `${op.name} is a collect sink: its committed transactions belong to its subtasks, so its parallelism stays ${op.parallelism}. Rescale the operators before it.`);
    }
    targets = [op];
  }
  for (const op of targets) {
    const max = maxOf.get(op.id) ?? op.parallelism;
    if (parallelism > max) {
      return refuse('rescale.aboveMaxParallelism', `${op.name} has max parallelism ${max} (its number of key groups, fixed once the job ran), so it cannot run at parallelism ${parallelism}. Choose 1–${max}.`);
    }
    if (facts.finishedOperators.has(op.id)) {
      return refuse('rescale.finished', `${op.name} has finished subtasks: a finished operator is not rescaled. Rescale while it still runs.`);
    }
  }
  const changing = new Set(targets.filter((op) => op.parallelism !== parallelism).map((op) => op.id));
  if (changing.size === 0) {
    return refuse('rescale.unchanged', `${targets.length === 1 ? (targets[0] as OperatorSpec).name : 'Every operator'} already runs at parallelism ${parallelism}.`);
  }
  const operators = job.operators.map((op): OperatorSpec => ({
    ...op,
    parallelism: changing.has(op.id) ? parallelism : op.parallelism,
    maxParallelism: maxOf.get(op.id) ?? op.maxParallelism ?? op.parallelism,
  }));
  const byId = new Map(operators.map((op) => [op.id, op]));
  for (const edge of job.edges) {
    if (edge.partitioner !== 'forward') continue;
    const from = byId.get(edge.from) as OperatorSpec;
    const to = byId.get(edge.to) as OperatorSpec;
    if (from.parallelism !== to.parallelism && (changing.has(from.id) || changing.has(to.id))) {
      return refuse('rescale.forwardEdge', `${from.name} → ${to.name} is a forward edge, which needs equal parallelism (${from.parallelism} ≠ ${to.parallelism} after this rescale). ` +
        'Rescale the whole job, or make the edge rebalance, rescale or hash.');
    }
  }
  const newJob: JobGraph = { ...job, operators };
  let slots = facts.config.slotsPerTaskManager;
  for (;;) {
    const plan = planRun(newJob, { ...facts.config, slotsPerTaskManager: slots });
    if (plan.ok) {
      const what = operatorId === null ? 'every operator' : (targets[0] as OperatorSpec).name;
      const grown = slots === facts.config.slotsPerTaskManager ? '' : ` (slots per TaskManager ${facts.config.slotsPerTaskManager} → ${slots})`;
      return { ok: true, rescale: { plan, rescaled: changing, summary: `${what} to parallelism ${parallelism}${grown}` } };
    }
    const slotProblem = plan.errors.find((e) => e.code === 'slots.notEnough');
    if (slotProblem !== undefined && slots < MAX_SLOTS_PER_TASK_MANAGER) {
      slots++;
      continue;
    }
    const first = plan.errors[0];
    return refuse(first?.code ?? 'rescale.invalid', `The job cannot run at the new parallelism: ${first?.message ?? 'the plan was refused'}`);
  }
}

/**
 * The latest completed checkpoint of `metadata` (taken under `oldTopology`) as checkpoint
 * metadata for `newTopology`; see the module comment. Without a completed checkpoint, only
 * the id counter carries over (the new plan starts from the beginning). `formerIdOf` names the
 * checkpoint's operator for a new one (an edited job, restoreEdited.ts; default: the same id);
 * undefined means a new operator, which starts empty.
 */
export function rescaleCheckpoint(
  metadata: CheckpointMetadata,
  oldTopology: CheckpointTopology,
  newTopology: CheckpointTopology,
  rescaled: ReadonlySet<string>,
  formerIdOf: (operatorId: string) => string | undefined = (operatorId) => operatorId,
): CheckpointMetadata {
  const old = new CompletedCheckpointStore<SubtaskSnapshotHandle>(oldTopology, Math.max(1, metadata.store.completed.length));
  old.importState(metadata.store);
  const latest = old.latest();
  if (latest === undefined) {
    return { nextCheckpointId: metadata.nextCheckpointId, store: { completed: [], snapshots: [], regionSnapshots: [] } };
  }
  const points = new Map(old.restoreAll(latest).map((p) => [subtaskKey(p.subtask), p]));
  const formerOf = new Map<string, typeof oldTopology.subtasks[number][]>();
  for (const ref of oldTopology.subtasks) {
    const list = formerOf.get(ref.operatorId) ?? [];
    list.push(ref);
    formerOf.set(ref.operatorId, list);
  }
  const acks: ReceivedAck<SubtaskSnapshotHandle>[] = [];
  for (const ref of newTopology.subtasks) {
    const base = { checkpointId: latest.id, subtask: ref, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0, ackMs: latest.completedMs };
    const formerId = formerIdOf(ref.operatorId);
    if (formerId === undefined) {
      // An operator the checkpoint does not know (an edited job's new one): it starts empty.
      acks.push({ ...base, handle: { rescaledFrom: [] }, referencedCheckpointIds: [] });
      continue;
    }
    if (!rescaled.has(ref.operatorId)) {
      const own = points.get(subtaskKey({ operatorId: formerId, index: ref.index }));
      // Finished at the checkpoint: no ack, so it restores as finished.
      if (own !== undefined && own.snapshotId > 0 && own.handle === undefined) continue;
      const handle: SubtaskSnapshotHandle = own?.handle ?? { rescaledFrom: [] };
      acks.push({ ...base, handle, referencedCheckpointIds: referenced([own]) });
      continue;
    }
    const former = (formerOf.get(formerId) ?? []).map((f) => points.get(subtaskKey(f)));
    const handles = former.flatMap((p) => (p?.handle === undefined ? [] : [p.handle]));
    acks.push({ ...base, handle: { rescaledFrom: handles }, referencedCheckpointIds: referenced(former) });
  }
  const completed: CompletedCheckpoint = {
    ...latest,
    regions: newTopology.regions.map((r) => ({ region: r.id, status: 'acknowledged' as const, snapshotId: latest.id })),
  };
  return {
    nextCheckpointId: metadata.nextCheckpointId,
    store: {
      completed: [completed],
      snapshots: [{ checkpointId: latest.id, acks }],
      // Incremental, so garbage collection follows the acks' references (former snapshots may be older).
      regionSnapshots: newTopology.regions.map((r) => ({ region: r.id, snapshots: [{ id: latest.id, type: 'incremental' as const }] })),
    },
  };
}

/** Checkpoint ids the given restore points' keyed state may still use. */
function referenced(points: readonly ({ snapshotId: number; handle: SubtaskSnapshotHandle | undefined } | undefined)[]): number[] {
  const ids = new Set<number>();
  for (const p of points) {
    if (p === undefined || p.snapshotId === 0) continue;
    // Without the backend's own list, every earlier version may be in use: keep them all (never too little).
    for (let id = 1; id <= p.snapshotId; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The checkpoint topology a JobManager of `plan` will have (as CheckpointDriver builds it). */
export function topologyOf(plan: { job: JobGraph; graph: ExecutionGraph }): CheckpointTopology {
  return checkpointTopology(plan.graph, divideRegions(plan.job, RUN_REGIONS));
}

/** Ticks a stop-with-checkpoint may take before the rescale goes on from the latest completed checkpoint. */
export function stopTickBudget(config: RunConfig): number {
  return Math.ceil((config.checkpointTimeoutMs * 2) / config.tickMs) + 10;
}

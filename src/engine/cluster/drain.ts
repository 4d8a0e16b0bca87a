/**
 * Maintenance drain (seed 2: "a black-list-aware restart workflow safely drains jobs from
 * machines slated for maintenance"; Flink's blocklist, FLIP-224): the decisions, as pure
 * functions. The doing is the rescale machinery's (LocalCluster): stop with a checkpoint,
 * redeploy with the new placement, restore every subtask from that checkpoint, so nothing is
 * lost and committed output stays exactly-once.
 *
 * - {@link planDrain}: the run's plan with TaskManager `tm` added to the config's
 *   `drainedTaskManagers` and every slot it occupies moved to a free slot of another live,
 *   undrained TaskManager. Only the drained TaskManager's subtasks move (a slot moves whole:
 *   slot sharing keeps subtask i of every operator together); each goes to the TaskManager
 *   with the most free slots, ties to the lowest index, into its lowest free slot. Parallelism
 *   never changes: when the other TaskManagers lack free slots it is refused, saying how many
 *   are needed and free. The drained TaskManager stays up, idle, until returned to service.
 * - {@link planUndrain}: `tm` leaves `drainedTaskManagers` and the job is spread evenly again
 *   (planRun's placement), so the TaskManager back in service gets work at once.
 */
import type { SubtaskPlacement } from '../runtime/protocol';
import type { RunConfig } from '../runtime/runConfig';
import type { JobGraph } from '../job/types';
import type { ExecutionGraph } from '../plan/executionGraph';
import type { RunEventKind } from '../runtime/telemetry';
import type { AcceptedPlan } from './JobManagerCore';
import { planRun } from './planRun';

/** What a drain decision needs to know of the run. */
export interface DrainFacts {
  job: JobGraph;
  config: RunConfig;
  graph: ExecutionGraph;
  placement: readonly SubtaskPlacement[];
  /** Live TaskManagers by index (a lost one takes no moved slot). */
  alive: readonly boolean[];
}

/** A subtask that changes TaskManager. */
export interface SubtaskMove {
  operatorId: string;
  index: number;
  fromTaskManager: number;
  toTaskManager: number;
}

/** A drain (or return to service) that can go ahead. */
export interface DrainPlan {
  plan: AcceptedPlan;
  taskManager: number;
  moves: SubtaskMove[];
  /** One line for the events: what changes. */
  summary: string;
}

export type DrainDecision = { ok: true; drain: DrainPlan } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): DrainDecision => ({ ok: false, code, message });

/** Drained TaskManagers of a config, ascending. */
export function drainedOf(config: Pick<RunConfig, 'drainedTaskManagers'>): number[] {
  return [...(config.drainedTaskManagers ?? [])].sort((a, b) => a - b);
}

function unknownTaskManager(config: RunConfig, tm: number): DrainDecision | null {
  if (typeof tm === 'number' && Number.isInteger(tm) && tm >= 0 && tm < config.taskManagers) return null;
  return refuse('drain.unknownTaskManager', `There is no TaskManager ${String(tm)}: this cluster has TaskManagers 0 to ${config.taskManagers - 1}.`);
}

/** Free slot numbers of each TaskManager under `placement`. */
function freeSlots(placement: readonly SubtaskPlacement[], config: RunConfig): number[][] {
  const used = Array.from({ length: config.taskManagers }, () => new Set<number>());
  for (const p of placement) used[p.taskManager]?.add(p.slot);
  return used.map((taken) => Array.from({ length: config.slotsPerTaskManager }, (_, s) => s).filter((s) => !taken.has(s)));
}

/**
 * The placement with every slot of TaskManager `tm` moved to a free slot elsewhere (see the
 * module comment), or the number of slots that must move when `targets` lack room.
 */
export function drainPlacement(
  placement: readonly SubtaskPlacement[],
  config: RunConfig,
  tm: number,
  targets: readonly number[],
): { ok: true; placement: SubtaskPlacement[] } | { ok: false; needed: number; free: number } {
  const free = freeSlots(placement, config);
  const moving = [...new Set(placement.filter((p) => p.taskManager === tm).map((p) => p.slot))].sort((a, b) => a - b);
  const room = targets.reduce((n, t) => n + (free[t]?.length ?? 0), 0);
  if (moving.length > room) return { ok: false, needed: moving.length, free: room };
  const destination = new Map<number, { taskManager: number; slot: number }>();
  for (const slot of moving) {
    let best = -1;
    for (const t of targets) if (best < 0 || (free[t]?.length ?? 0) > (free[best]?.length ?? 0)) best = t;
    const to = free[best]?.shift() as number;
    destination.set(slot, { taskManager: best, slot: to });
  }
  return {
    ok: true,
    placement: placement.map((p) => (p.taskManager === tm ? { ...p, ...(destination.get(p.slot) as { taskManager: number; slot: number }) } : { ...p })),
  };
}

/** Subtasks whose TaskManager differs between two placements of the same graph, in plan order. */
export function movesBetween(before: readonly SubtaskPlacement[], after: readonly SubtaskPlacement[]): SubtaskMove[] {
  const was = new Map(before.map((p) => [`${p.operatorId}#${p.index}`, p.taskManager]));
  return after.flatMap((p) => {
    const from = was.get(`${p.operatorId}#${p.index}`);
    return from === undefined || from === p.taskManager ? [] : [{ operatorId: p.operatorId, index: p.index, fromTaskManager: from, toTaskManager: p.taskManager }];
  });
}

/** See the module comment. */
export function planDrain(facts: DrainFacts, tm: number): DrainDecision {
  const { config } = facts;
  const unknown = unknownTaskManager(config, tm);
  if (unknown !== null) return unknown;
  const drained = drainedOf(config);
  if (drained.includes(tm)) return refuse('drain.alreadyDrained', `TaskManager ${tm} is already drained for maintenance. Return it to service first to drain it again.`);
  if (facts.alive[tm] === false) {
    return refuse('drain.lost', `TaskManager ${tm} is lost; its subtasks restart by failover. Drain it once it has been replaced.`);
  }
  const targets = Array.from({ length: config.taskManagers }, (_, t) => t).filter((t) => t !== tm && !drained.includes(t) && facts.alive[t] !== false);
  const placed = drainPlacement(facts.placement, config, tm, targets);
  if (!placed.ok) {
    const subtasks = facts.placement.filter((p) => p.taskManager === tm).length;
    return refuse('drain.notEnoughSlots',
      `Draining TaskManager ${tm} needs ${placed.needed} free ${placed.needed === 1 ? 'slot' : 'slots'} elsewhere (for its ${subtasks} subtasks), ` +
      `but the other ${targets.length === 1 ? 'TaskManager has' : `${targets.length} live, undrained TaskManagers have`} ${placed.free} free. ` +
      'Lower the parallelism first (rescale), return a drained TaskManager to service, or start the run with more slots per TaskManager.');
  }
  const next: RunConfig = { ...config, drainedTaskManagers: [...drained, tm].sort((a, b) => a - b) };
  const moves = movesBetween(facts.placement, placed.placement);
  return {
    ok: true,
    drain: {
      plan: { job: facts.job, config: next, graph: facts.graph, placement: placed.placement },
      taskManager: tm, moves, summary: `TaskManager ${tm} drained for maintenance: ${moves.length} subtasks move to ${describeTargets(moves)}`,
    },
  };
}

/** See the module comment. */
export function planUndrain(facts: DrainFacts, tm: number): DrainDecision {
  const unknown = unknownTaskManager(facts.config, tm);
  if (unknown !== null) return unknown;
  const drained = drainedOf(facts.config);
  if (!drained.includes(tm)) return refuse('drain.notDrained', `TaskManager ${tm} is in service (not drained), so there is nothing to return.`);
  if (facts.alive[tm] === false) {
    return refuse('drain.lost', `TaskManager ${tm} was killed while drained and hosts nothing to restart, so it stays lost: it cannot return to service in this run. Restart the run to have it back.`);
  }
  const rest = drained.filter((t) => t !== tm);
  const config: Partial<RunConfig> = { ...facts.config };
  if (rest.length === 0) delete config.drainedTaskManagers;
  else config.drainedTaskManagers = rest;
  const plan = planRun(facts.job, config);
  if (!plan.ok) return refuse(plan.errors[0]?.code ?? 'drain.invalid', `The job cannot be spread again: ${plan.errors[0]?.message ?? 'the plan was refused'}`);
  const moves = movesBetween(facts.placement, plan.placement);
  return {
    ok: true,
    drain: { plan: { job: plan.job, config: plan.config, graph: plan.graph, placement: plan.placement }, taskManager: tm, moves, summary: `TaskManager ${tm} back in service: ${moves.length} subtasks move` },
  };
}

function describeTargets(moves: readonly SubtaskMove[]): string {
  const targets = [...new Set(moves.map((m) => m.toTaskManager))].sort((a, b) => a - b);
  if (targets.length === 0) return 'nowhere (it hosted none)';
  return `TaskManager${targets.length === 1 ? '' : 's'} ${targets.join(', ')}`;
}

/** What LocalCluster's stop-with-checkpoint → redeploy → restore does (a rescale or a drain). */
export interface PlanChange {
  plan: AcceptedPlan;
  /** Operators whose parallelism changes (rescale.ts `rescaleCheckpoint`). */
  rescaled: ReadonlySet<string>;
  /** Prefix of the error codes of this change (`rescale.ended`, `drain.ended`); also picks the start event (`rescale-started`, `drain-started`). */
  code: 'rescale' | 'drain';
  /** The event of the restore (default `rescale-finished`). */
  eventKind?: RunEventKind;
  /** Event text when the stop begins. */
  started: string;
  /** Event text of the restore: checkpoint id (0: none), "from checkpoint n", and a note when the stop checkpoint failed. */
  restored: (checkpointId: number, restoredFrom: string, note: string) => string;
}

/** The banner line of a drain or return to service ("TaskManager 2 drained: 5 subtasks moved via checkpoint 4, nothing lost"). */
export function drainMessage(what: 'drain' | 'undrain', tm: number, moved: number, checkpointId: number, note = ''): string {
  const subtasks = `${moved} ${moved === 1 ? 'subtask' : 'subtasks'}`;
  const via = checkpointId === 0 ? 'restarted from the beginning (no checkpoint had completed)' : `via checkpoint ${checkpointId}${note}`;
  return what === 'drain'
    ? `TaskManager ${tm} drained: ${subtasks} moved ${via}, nothing lost. It stays up, idle, until returned to service.`
    : `TaskManager ${tm} back in service: ${subtasks} moved back ${via}, nothing lost.`;
}

/** What drainChange reads of the running JobManager. */
export interface DrainSubject {
  job: JobGraph;
  config: RunConfig;
  graph: ExecutionGraph;
  placement: readonly SubtaskPlacement[];
  liveTaskManagers: readonly number[];
}

/** The drain (or return to service) of `tm` as the change LocalCluster performs, or why not. */
export function drainChange(jm: DrainSubject, tm: number, what: 'drain' | 'undrain'): { ok: true; change: PlanChange } | { ok: false; code: string; message: string } {
  const live = new Set(jm.liveTaskManagers);
  const facts: DrainFacts = {
    job: jm.job, config: jm.config, graph: jm.graph, placement: jm.placement,
    alive: Array.from({ length: jm.config.taskManagers }, (_, t) => live.has(t)),
  };
  const decision = what === 'drain' ? planDrain(facts, tm) : planUndrain(facts, tm);
  if (!decision.ok) return decision;
  const { plan, summary, moves } = decision.drain;
  return {
    ok: true,
    change: {
      plan, rescaled: new Set(), code: 'drain', eventKind: what === 'drain' ? 'taskmanager-drained' : 'taskmanager-undrained',
      started: `${summary}: stopping with a checkpoint.`,
      restored: (id, _from, note) => drainMessage(what, tm, moves.length, id, note),
    },
  };
}

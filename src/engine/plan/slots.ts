/**
 * Placing subtasks into TaskManager slots (DESIGN.md §2).
 *
 * Flink's default slot sharing puts every operator of a job into one slot-sharing group, so a
 * slot holds at most one subtask of each operator and a job needs as many slots as its
 * highest parallelism. Like Flink's scheduler for a pipelined job, subtask i of every operator
 * shares slot i (Flink `SlotSharingExecutionSlotAllocator` groups by index when parallelisms
 * line up), which keeps forward chains inside one slot, and so inside one worker.
 *
 * Shared slots are spread evenly over the TaskManagers, round robin: shared slot k goes to
 * TaskManager k mod n, as its (k div n)-th slot. This is Flink with
 * `cluster.evenly-spread-out-slots: true`; Flink's default fills one TaskManager first, but in
 * a teaching tool a job that leaves a TaskManager idle makes "kill a TaskManager" show nothing.
 *
 * TaskManagers drained for maintenance (`drained`, Flink's blocklist: no new slots are
 * allocated on a blocked node) get no slot: the shared slots are spread round robin over the
 * others in index order, and the capacity is theirs alone. Pure and deterministic.
 */
import type { ExecutionGraph, SubtaskRef } from './executionGraph';

export interface ClusterShape {
  taskManagers: number;
  slotsPerTaskManager: number;
  /** TaskManagers drained for maintenance: they stay up but host nothing (cluster/drain.ts). */
  drained?: readonly number[];
}

export interface SlotAddress {
  taskManager: number;
  /** Slot index within its TaskManager. */
  slot: number;
}

export interface SlotAssignment {
  /** Slots the job needs: its highest parallelism. */
  slotsNeeded: number;
  /** Where each subtask runs, keyed by `operatorId#index`. */
  placement: Map<string, SlotAddress>;
  /** Subtasks per TaskManager, in plan order. */
  byTaskManager: SubtaskRef[][];
}

export type SlotDecision =
  | { ok: true; assignment: SlotAssignment }
  | { ok: false; code: 'slots.notEnough' | 'slots.badShape' | 'slots.badDrained'; message: string };

/** Upper bounds that keep a browser tab usable: every TaskManager is a Web Worker. */
export const MAX_TASK_MANAGERS = 16;
export const MAX_SLOTS_PER_TASK_MANAGER = 64;

function shapeProblem(shape: ClusterShape): string | null {
  const { taskManagers: tms, slotsPerTaskManager: slots } = shape;
  if (!Number.isInteger(tms) || tms < 1 || tms > MAX_TASK_MANAGERS) {
    return `The cluster needs 1 to ${MAX_TASK_MANAGERS} TaskManagers (each is a Web Worker), not ${String(tms)}.`;
  }
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_SLOTS_PER_TASK_MANAGER) {
    return `Each TaskManager needs 1 to ${MAX_SLOTS_PER_TASK_MANAGER} slots, not ${String(slots)}.`;
  }
  return null;
}

function drainedProblem(shape: ClusterShape): string | null {
  for (const tm of shape.drained ?? []) {
    if (!Number.isInteger(tm) || tm < 0 || tm >= shape.taskManagers) {
      return `drainedTaskManagers names TaskManager ${String(tm)}, but the cluster has TaskManagers 0 to ${shape.taskManagers - 1}. Drain only TaskManagers that exist.`;
    }
  }
  return null;
}

/** Decides where every subtask of `graph` runs on a cluster of `shape`, or why it cannot. */
export function assignSlots(graph: ExecutionGraph, shape: ClusterShape): SlotDecision {
  const problem = shapeProblem(shape);
  if (problem) return { ok: false, code: 'slots.badShape', message: problem };
  const drainedWrong = drainedProblem(shape);
  if (drainedWrong) return { ok: false, code: 'slots.badDrained', message: drainedWrong };
  const slotsNeeded = graph.subtasks.reduce((max, s) => Math.max(max, s.parallelism), 0);
  const drained = new Set(shape.drained ?? []);
  const usable = Array.from({ length: shape.taskManagers }, (_, tm) => tm).filter((tm) => !drained.has(tm));
  const slotsAvailable = usable.length * shape.slotsPerTaskManager;
  if (slotsNeeded > slotsAvailable) {
    const besides = drained.size === 0 ? '' : ` besides the ${drained.size} drained for maintenance`;
    return {
      ok: false,
      code: 'slots.notEnough',
      message: `The job needs ${slotsNeeded} slots (its highest parallelism) but the cluster has ${slotsAvailable} ` +
        `(${usable.length} TaskManagers${besides} × ${shape.slotsPerTaskManager} slots). ` +
        `Add TaskManagers or slots, ${drained.size === 0 ? '' : 'return a drained TaskManager to service, '}or lower the parallelism.`,
    };
  }
  const placement = new Map<string, SlotAddress>();
  const byTaskManager: SubtaskRef[][] = Array.from({ length: shape.taskManagers }, () => []);
  for (const subtask of graph.subtasks) {
    const taskManager = usable[subtask.index % usable.length] as number;
    const slot = Math.floor(subtask.index / usable.length);
    placement.set(`${subtask.operatorId}#${subtask.index}`, { taskManager, slot });
    byTaskManager[taskManager]?.push({ operatorId: subtask.operatorId, index: subtask.index });
  }
  return { ok: true, assignment: { slotsNeeded, placement, byTaskManager } };
}

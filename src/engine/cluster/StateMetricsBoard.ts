/**
 * The JobManager's picture of keyed state (`metrics().state`, DESIGN.md §5 last bullet): the
 * latest state report of every live TaskManager (sampled with the channel gauges), assembled
 * into {@link StateMetrics} — storage figures per TaskManager and summed, and per keyed
 * operator its subtasks with their key-group ranges and occupancy. A lost TaskManager's
 * figures drop out. None of this reaches the trace hash: figures such as IndexedDB
 * transactions depend on the storage and the machine, not on the job's semantics.
 */
import { CATALOGUE } from '../job/catalogue';
import type { JobGraph } from '../job/types';
import { keyGroupRangeForOperator } from '../keygroups/keyGroups';
import type { ExecutionGraph } from '../plan/executionGraph';
import type { SubtaskPlacement, SubtaskStateReport, TaskManagerStateReport } from '../runtime/protocol';
import type { OperatorStateMetrics, StateMetrics, SubtaskStateMetrics } from '../runtime/telemetry';
import { stableIdOf } from '../plan/operatorIds';
import { emptyStateStorageFigures, type FlushCause, type StateStorageFigures } from '../state/types';

/** Adds `b`'s counters and gauges into a copy of `a`. */
export function sumFigures(a: StateStorageFigures, b: StateStorageFigures): StateStorageFigures {
  const sum = { ...a, flushCauses: { ...a.flushCauses } };
  for (const key of Object.keys(b) as (keyof StateStorageFigures)[]) {
    const value = b[key];
    if (typeof value === 'number') (sum as unknown as Record<string, number>)[key] = ((a[key] as number | undefined) ?? 0) + value;
  }
  for (const cause of Object.keys(b.flushCauses) as FlushCause[]) {
    sum.flushCauses[cause] = (a.flushCauses[cause] ?? 0) + b.flushCauses[cause];
  }
  return sum;
}

export class StateMetricsBoard {
  private readonly reports = new Map<number, TaskManagerStateReport>();
  /** Keyed operators in plan (topological) order, with the id their state is addressed by. */
  private readonly keyed: { operatorId: string; stateId: string }[] = [];

  constructor(
    job: JobGraph,
    private readonly graph: ExecutionGraph,
    private readonly placement: readonly SubtaskPlacement[],
    private readonly configuredBackend: 'idb' | 'memory',
  ) {
    for (const id of graph.operatorOrder) {
      const op = job.operators.find((o) => o.id === id);
      if (op !== undefined && CATALOGUE[op.kind].category === 'keyed') this.keyed.push({ operatorId: op.id, stateId: stableIdOf(job, op.id) });
    }
  }

  /** A TaskManager's latest report replaces its previous one. */
  take(taskManager: number, report: TaskManagerStateReport): void {
    this.reports.set(taskManager, report);
  }

  /** A lost TaskManager's figures drop out. */
  drop(taskManager: number): void {
    this.reports.delete(taskManager);
  }

  /** The assembled figures, or undefined before the first report. */
  snapshot(): StateMetrics | undefined {
    if (this.reports.size === 0) return undefined;
    const tms = [...this.reports.keys()].sort((a, b) => a - b);
    const perTaskManager = tms.map((taskManager) => ({
      taskManager, figures: structuredCopy((this.reports.get(taskManager) as TaskManagerStateReport).figures),
    }));
    // The storage kind actually running (an 'idb' run without IndexedDB, as in Node tests, reports memory).
    const backend = perTaskManager[0]?.figures.kind ?? this.configuredBackend;
    let figures = emptyStateStorageFigures(backend);
    for (const entry of perTaskManager) figures = sumFigures(figures, entry.figures);
    figures.kind = backend;
    const bySubtask = new Map<string, SubtaskStateReport>();
    for (const report of this.reports.values()) {
      for (const subtask of report.subtasks) bySubtask.set(`${subtask.operatorId}#${subtask.index}`, subtask);
    }
    const operators = this.keyed.map(({ operatorId, stateId }) => this.operator(operatorId, stateId, bySubtask));
    return { backend, figures, perTaskManager, operators };
  }

  private operator(operatorId: string, stateId: string, bySubtask: ReadonlyMap<string, SubtaskStateReport>): OperatorStateMetrics {
    const subtasks = this.graph.subtasks.filter((s) => s.operatorId === operatorId);
    const first = subtasks[0];
    const maxParallelism = first?.maxParallelism ?? 0;
    const parallelism = first?.parallelism ?? 0;
    return {
      operatorId, stateId, maxParallelism, parallelism,
      subtasks: subtasks.map((subtask): SubtaskStateMetrics => {
        const range = keyGroupRangeForOperator(maxParallelism, parallelism, subtask.index);
        const taskManager = this.placement.find((p) => p.operatorId === operatorId && p.index === subtask.index)?.taskManager ?? -1;
        const reported = this.reports.has(taskManager) ? bySubtask.get(`${operatorId}#${subtask.index}`) : undefined;
        return {
          index: subtask.index, taskManager, keyGroupStart: range.start, keyGroupEnd: range.end,
          keyGroups: reported?.keyGroups.map((kg) => ({ ...kg })) ?? [], totalEntries: reported?.totalEntries ?? 0,
        };
      }),
    };
  }
}

function structuredCopy(figures: StateStorageFigures): StateStorageFigures {
  return { ...figures, flushCauses: { ...figures.flushCauses } };
}

/**
 * Driving one run of a scenario on a cluster: start paused at 0, advance in virtual time to
 * each stop (a timeline entry's `atMs`, a metrics sample time, the end), sample, apply the
 * entries due, and gather what the checks read. No wall time: every advance is exact virtual
 * time, so the same scenario gives the same run whatever the host's speed.
 *
 * At one virtual time, metrics are sampled before the entries due then are applied (a sample
 * shows the run up to that moment), and entries apply in file order.
 */
import type { JobGraph } from '../job/types';
import type { RunConfig } from '../runtime/runConfig';
import type { Fault, MetricsSnapshot, RunStatus, SinkOutput } from '../runtime/telemetry';
import type { ActionOutcome, RunScenarioOptions, ScenarioCluster } from './ports';
import type { Observed } from './observed';
import type { TimelineEntry } from './types';
import { ScenarioError } from './prepareScenario';

/** Default longest single advance, in virtual ms. */
export const DEFAULT_PROGRESS_STEP_MS = 1000;

/** What one run needs. */
export interface RunPlan {
  job: JobGraph;
  /** Run settings as given (the runner adds `paused: true`). */
  config: Partial<RunConfig>;
  durationMs: number;
  timeline: readonly TimelineEntry[];
  /** Virtual times at which to sample metrics. */
  sampleAtMs: readonly number[];
}

/** What one run produced. */
export interface RunRecord {
  observed: Observed;
  actions: ActionOutcome[];
  traceHash: string;
  aborted: boolean;
}

/** The entry as the Fault it injects, or undefined for the other actions. */
export function faultOf(entry: TimelineEntry): Fault | undefined {
  switch (entry.do) {
    case 'kill-task': return { kind: 'kill-task', operator: entry.operator, subtask: entry.subtask };
    case 'kill-taskmanager': return { kind: 'kill-taskmanager', taskManager: entry.taskManager };
    case 'slow-task': return { kind: 'slow-task', operator: entry.operator, subtask: entry.subtask, factor: entry.factor };
    case 'fail-checkpoint': return { kind: 'fail-checkpoint', region: entry.region };
    case 'kill-jobmanager': return { kind: 'kill-jobmanager' };
    case 'coordination-store-down': return { kind: 'coordination-store-down' };
    case 'coordination-store-up': return { kind: 'coordination-store-up' };
    case 'coordination-store-slow': return { kind: 'coordination-store-slow', latencyMs: entry.latencyMs };
    default: return undefined;
  }
}

/** Runs the plan on `cluster`; see the module comment. */
export async function executeRun(cluster: ScenarioCluster, plan: RunPlan, options: RunScenarioOptions): Promise<RunRecord> {
  const report = await cluster.start(plan.job, { ...plan.config, paused: true });
  if (!report.ok) {
    throw new ScenarioError(report.errors.map((e) => ({
      path: e.path.startsWith('$.') ? `$.run${e.path.slice(1)}` : '$.run', code: e.code ?? 'scenario.startRefused', message: `The cluster refused to start the run: ${e.message}`,
    })));
  }
  const requested = options.progressStepMs;
  const step = requested !== undefined && Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : DEFAULT_PROGRESS_STEP_MS;
  const samples = new Map<number, MetricsSnapshot>();
  const wanted = new Set(plan.sampleAtMs);
  const stops = [...new Set([...plan.timeline.map((e) => e.atMs), ...plan.sampleAtMs, plan.durationMs])].sort((a, b) => a - b);
  const actions: ActionOutcome[] = [];
  let status: RunStatus = await cluster.status();
  let clockMs = 0;
  let next = 0;
  let aborted = false;
  for (const stop of stops) {
    while (clockMs < stop && advancing(status) && !aborted) {
      const ms = Math.min(step, stop - clockMs);
      status = await cluster.advance(ms);
      clockMs += ms;
      await options.onProgress?.(advancing(status) ? clockMs : status.virtualTimeMs, plan.durationMs);
      aborted = options.signal?.aborted === true;
    }
    if (aborted) break;
    if (wanted.has(stop)) samples.set(stop, await cluster.metrics());
    for (; next < plan.timeline.length && (plan.timeline[next] as TimelineEntry).atMs === stop; next++) {
      const entry = plan.timeline[next] as TimelineEntry;
      const outcome = await apply(cluster, entry, next, status);
      actions.push(outcome);
      const text = entry.text;
      if (text !== undefined) await options.onNote?.(text, entry, next);
      await options.onAction?.(entry, outcome);
    }
  }
  return { observed: await observe(cluster, plan, samples), actions, traceHash: await cluster.traceHash(), aborted };
}

/**
 * The run goes on: paused between advances, or paused while a failover waits out its restart
 * delay (`restarting`), which virtual time must pass through for the job to come back.
 */
function advancing(status: RunStatus): boolean {
  return status.state === 'paused' || status.state === 'restarting';
}

async function apply(cluster: ScenarioCluster, entry: TimelineEntry, index: number, status: RunStatus): Promise<ActionOutcome> {
  const outcome = (applied: boolean, message?: string): ActionOutcome => ({
    index, atMs: entry.atMs, do: entry.do, applied, ...(message === undefined ? {} : { message }),
  });
  if (entry.do === 'note') return outcome(true);
  if (!advancing(status)) return outcome(false, `the run was ${status.state} (at ${status.virtualTimeMs} ms) before this entry`);
  try {
    const fault = faultOf(entry);
    if (fault !== undefined) {
      await cluster.inject(fault);
      return outcome(true);
    }
    switch (entry.do) {
      case 'set-channel-selection':
        await cluster.setChannelSelection(entry.selection, entry.edge);
        return outcome(true);
      case 'trigger-checkpoint': {
        if (cluster.triggerCheckpoint === undefined) return outcome(false, 'trigger-checkpoint needs checkpoints, which this build does not have');
        const id = await cluster.triggerCheckpoint();
        return outcome(true, `checkpoint ${id}`);
      }
      case 'rescale':
        if (cluster.rescale === undefined) return outcome(false, 'rescale needs fault tolerance (stop-with-checkpoint and restore), which this build does not have');
        await cluster.rescale(entry.operator, entry.parallelism);
        return outcome(true);
      case 'drain-taskmanager':
      case 'undrain-taskmanager': {
        const act = entry.do === 'drain-taskmanager' ? cluster.drainTaskManager : cluster.undrainTaskManager;
        if (act === undefined) return outcome(false, `${entry.do} needs a cluster that can drain TaskManagers, which this one cannot`);
        await act.call(cluster, entry.taskManager);
        return outcome(true);
      }
      default:
        return outcome(false, `the action ${entry.do} is not supported by this runner`);
    }
  } catch (error) {
    return outcome(false, error instanceof Error ? error.message : 'the cluster refused it');
  }
}

async function observe(cluster: ScenarioCluster, plan: RunPlan, samples: Map<number, MetricsSnapshot>): Promise<Observed> {
  const outputs = new Map<string, SinkOutput>();
  for (const op of plan.job.operators) if (op.kind === 'collect') outputs.set(op.id, await cluster.output(op.id));
  const observed: Observed = {
    job: plan.job, durationMs: plan.durationMs, status: await cluster.status(), events: await cluster.events(), outputs, samples,
  };
  if (cluster.checkpoints !== undefined) observed.checkpoints = (await cluster.checkpoints()).history;
  if (cluster.recoveries !== undefined) observed.recoveries = await cluster.recoveries();
  return observed;
}

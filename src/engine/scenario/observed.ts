/**
 * What a scenario run observed, gathered by the runner and read by the checks (pure functions
 * of it, so they are tested without a cluster), and small helpers the checks share.
 */
import type { JobGraph } from '../job/types';
import type { MetricsSnapshot, RunEvent, RunStatus, SinkOutput } from '../runtime/telemetry';
import type { CheckResult, ScenarioCheckpoint, ScenarioRecovery } from './ports';
import type { Bound } from './types';

/** The failure-free run of `exactlyOnce`, or why there is none. */
export type Baseline =
  | { ok: true; status: RunStatus; outputs: ReadonlyMap<string, SinkOutput> }
  | { ok: false; reason: string };

/** Facts of one run, as of its end. */
export interface Observed {
  job: JobGraph;
  durationMs: number;
  status: RunStatus;
  events: readonly RunEvent[];
  /** Output of every collect sink. */
  outputs: ReadonlyMap<string, SinkOutput>;
  /** Metrics sampled at the virtual times the checks asked for. */
  samples: ReadonlyMap<number, MetricsSnapshot>;
  /** Undefined when the cluster has no checkpoints. */
  checkpoints?: readonly ScenarioCheckpoint[];
  /** Undefined when the cluster reports no recoveries. */
  recoveries?: readonly ScenarioRecovery[];
  /** Present when `exactlyOnce` is expected. */
  baseline?: Baseline;
}

/** `≥ 2`, `≤ 3`, `= 5`, `2 to 3`. */
export function describeBound(bound: Bound): string {
  if (bound.equals !== undefined) return `= ${bound.equals}`;
  if (bound.atLeast !== undefined && bound.atMost !== undefined) return `${bound.atLeast} to ${bound.atMost}`;
  if (bound.atLeast !== undefined) return `≥ ${bound.atLeast}`;
  if (bound.atMost !== undefined) return `≤ ${bound.atMost}`;
  return 'any';
}

/** Is `n` within `bound`? */
export function withinBound(n: number, bound: Bound): boolean {
  if (bound.equals !== undefined && n !== bound.equals) return false;
  if (bound.atLeast !== undefined && n < bound.atLeast) return false;
  if (bound.atMost !== undefined && n > bound.atMost) return false;
  return true;
}

/** A failed check whose data this build cannot provide. */
export function unavailable(name: string, expected: string, reason: string): CheckResult {
  return { name, passed: false, expected, actual: 'not measurable', detail: reason };
}

/** `at 1200 ms (task.killed: Work #1 was killed …)` when the run failed; else undefined. */
export function runFailure(observed: Observed): string | undefined {
  const { status } = observed;
  if (status.state !== 'failed') return undefined;
  const failure = status.failure;
  const what = failure === undefined ? 'no cause reported' : `${failure.code}: ${failure.message}`;
  return `the job failed at ${status.virtualTimeMs} ms (${what})`;
}

/** Events that are failures of a task or a TaskManager. */
export function failureEvents(observed: Observed): RunEvent[] {
  return observed.events.filter((e) => e.kind === 'task-failed' || e.kind === 'taskmanager-lost' || e.kind === 'run-failed');
}

/** Rounds for display: at most 3 decimals, no trailing zeros. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * `runScenario(scenario, cluster, options)`: one runner for the three hosts (the UI's Scenario
 * panel, the automation API, Node tests). It validates the scenario, runs it on the cluster in
 * virtual time, evaluates every expectation, and for `exactlyOnce` runs the failure-free
 * baseline (same job, config and seed; the timeline without its faults) on a second cluster
 * from `options.baselineCluster`.
 *
 * Deterministic: the same scenario (and seed) gives the same result and trace hash. The
 * result's first failing check carries the seed and a replay line. Every scenario has a
 * `timeline` check first: it fails when an entry could not be applied (an action this build
 * does not support, a fault the cluster refused), so a scenario never passes by skipping part
 * of its story.
 *
 * The main cluster is left paused at the end for the host to show or stop; the baseline
 * cluster is stopped.
 */
import { checkCheckpoints, checkMaxRestarts, checkRecordsLost } from './recoveryChecks';
import { executeRun, faultOf, type RunPlan } from './executeRun';
import type { Baseline, Observed } from './observed';
import { checkExactlyOnce, checkSink, checkThroughputRatio } from './outputChecks';
import type { ActionOutcome, CheckResult, FailedCheck, RunScenarioOptions, ScenarioCluster, ScenarioResult } from './ports';
import { prepareScenario, type PreparedScenario } from './prepareScenario';
import type { ScenarioExpectations } from './types';

export { ScenarioError } from './prepareScenario';

/**
 * Runs a scenario (a document or an already validated `Scenario`) to its end on `cluster`.
 *
 * @throws ScenarioError listing every problem when the scenario is invalid, its job cannot be
 * loaded, or the cluster refuses to start it.
 */
export async function runScenario(scenario: unknown, cluster: ScenarioCluster, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const prepared = await prepareScenario(scenario, options);
  const { scenario: doc, job, config } = prepared;
  const plan: RunPlan = { job, config, durationMs: doc.run.durationMs, timeline: doc.timeline, sampleAtMs: sampleTimes(doc.expect) };
  const run = await executeRun(cluster, plan, options);
  if (run.aborted) return finish(prepared, run.traceHash, run.observed, run.actions, [{ name: 'aborted', passed: false, expected: `run to ${plan.durationMs} ms`, actual: `aborted at ${run.observed.status.virtualTimeMs} ms` }]);
  // A failed run fails exactlyOnce by itself; the baseline is only worth making otherwise.
  const wantsBaseline = doc.expect.exactlyOnce !== undefined && run.observed.status.state !== 'failed';
  const observed: Observed = wantsBaseline ? { ...run.observed, baseline: await baselineRun(plan, options) } : run.observed;
  const checks = [timelineCheck(run.actions), ...evaluate(doc.expect, observed)];
  return finish(prepared, run.traceHash, observed, run.actions, checks);
}

/** Virtual times at which the checks need metrics (throughput window edges), ascending. */
export function sampleTimes(expect: ScenarioExpectations): number[] {
  const times = new Set<number>();
  for (const e of expect.throughputRatio ?? []) for (const w of [e.before, e.after]) times.add(w.fromMs).add(w.toMs);
  return [...times].sort((a, b) => a - b);
}

/** Evaluates every expectation, in canonical kind order and file order within a kind. */
export function evaluate(expect: ScenarioExpectations, observed: Observed): CheckResult[] {
  const checks: CheckResult[] = [];
  if (expect.exactlyOnce !== undefined) checks.push(checkExactlyOnce(expect.exactlyOnce, observed));
  for (const e of expect.maxRestarts ?? []) checks.push(checkMaxRestarts(e, observed));
  for (const e of expect.checkpoints ?? []) checks.push(checkCheckpoints(e, observed));
  for (const e of expect.recordsLost ?? []) checks.push(checkRecordsLost(e, observed));
  for (const e of expect.throughputRatio ?? []) checks.push(checkThroughputRatio(e, observed));
  for (const e of expect.sink ?? []) checks.push(checkSink(e, observed));
  return checks;
}

/** Passes when every timeline entry was applied. */
export function timelineCheck(actions: readonly ActionOutcome[]): CheckResult {
  const refused = actions.filter((a) => !a.applied);
  const expected = `all ${actions.length} entries applied`;
  if (refused.length === 0) return { name: 'timeline', passed: true, expected, actual: `all ${actions.length} applied` };
  const first = refused[0] as ActionOutcome;
  return {
    name: 'timeline', passed: false, expected,
    actual: `entry ${first.index} (${first.do} at ${first.atMs} ms) not applied: ${first.message ?? 'refused'}`,
    ...(refused.length > 1 ? { detail: `${refused.length} entries not applied: ${refused.map((a) => a.index).join(', ')}` } : {}),
  };
}

async function baselineRun(plan: RunPlan, options: RunScenarioOptions): Promise<Baseline> {
  if (options.baselineCluster === undefined) {
    return { ok: false, reason: 'exactly-once compares with a failure-free run, and no second cluster was given for it (options.baselineCluster)' };
  }
  const cluster = await options.baselineCluster();
  try {
    // A maintenance drain moves subtasks, not records: the failure-free run needs none.
    const timeline = plan.timeline.filter((entry) => faultOf(entry) === undefined && entry.do !== 'drain-taskmanager' && entry.do !== 'undrain-taskmanager');
    const run = await executeRun(cluster, { ...plan, timeline, sampleAtMs: [] }, {});
    return { ok: true, status: run.observed.status, outputs: run.observed.outputs };
  } catch (error) {
    return { ok: false, reason: `the failure-free run could not be made: ${error instanceof Error ? error.message : 'unknown error'}` };
  } finally {
    await cluster.stop();
  }
}

function finish(
  prepared: PreparedScenario, traceHash: string, observed: Observed, actions: ActionOutcome[], checks: CheckResult[],
): ScenarioResult {
  const failing = checks.find((c) => !c.passed);
  const result: ScenarioResult = {
    scenario: prepared.scenario.name, passed: failing === undefined, checks, traceHash,
    virtualTimeMs: observed.status.virtualTimeMs, seed: prepared.seed, state: observed.status.state, actions,
  };
  if (failing !== undefined) result.failedCheck = failedCheck(prepared.scenario.name, prepared.seed, failing);
  return result;
}

/** The first failing check with its replay line. */
export function failedCheck(scenario: string, seed: number, check: CheckResult): FailedCheck {
  const replay = `Replay: open scenario ${JSON.stringify(scenario)} in the Scenario panel with seed ${seed} and watch check ` +
    `${JSON.stringify(check.name)} (expected ${check.expected}, actual ${check.actual}); or call the automation API's ` +
    `runScenario(scenario, { seed: ${seed} }).`;
  return { name: check.name, expected: check.expected, actual: check.actual, seed, scenario, replay };
}

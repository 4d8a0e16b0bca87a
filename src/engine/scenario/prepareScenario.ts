/**
 * Before a scenario runs: validate it, load its job when given by path, cross-check the
 * references against that job, and settle the seed. Any problem throws a `ScenarioError`
 * listing every problem with its JSON path: a malformed scenario is not a failed check.
 */
import { show } from '../job/errors';
import type { JobGraph } from '../job/types';
import { validateJob } from '../job/validate';
import { resolveRunConfig, type RunConfig } from '../runtime/runConfig';
import { crossCheck, singleExpectations } from './crossCheck';
import { ScenarioIssues } from './errors';
import type { RunScenarioOptions } from './ports';
import type { Scenario, ScenarioProblem } from './types';
import { prefixJobPath, validateScenario } from './validateScenario';

/** Problems listed in a ScenarioError's message; `errors` holds them all. */
const LISTED = 5;

/** A scenario that cannot run, with every problem found. */
export class ScenarioError extends Error {
  readonly errors: ScenarioProblem[];

  constructor(errors: ScenarioProblem[]) {
    const shown = errors.slice(0, LISTED).map((e) => `${e.path}: ${e.message}`).join(' ');
    const more = errors.length > LISTED ? ` (and ${errors.length - LISTED} more)` : '';
    super(`The scenario cannot run. ${shown}${more}`);
    this.name = 'ScenarioError';
    this.errors = errors;
  }
}

/** A scenario ready to run. */
export interface PreparedScenario {
  scenario: Scenario;
  job: JobGraph;
  /** The run's settings as given (no durationMs), with the seed settled and `paused: true`. */
  config: Partial<RunConfig>;
  seed: number;
}

/** Validates, loads and cross-checks; throws `ScenarioError` on any problem. */
export async function prepareScenario(input: unknown, options: RunScenarioOptions): Promise<PreparedScenario> {
  const report = validateScenario(input);
  if (!report.ok || report.scenario === undefined) throw new ScenarioError(report.errors);
  const scenario = report.scenario;
  const issues = new ScenarioIssues();
  const job = typeof scenario.job === 'string' ? await loadJob(scenario.job, options, issues) : scenario.job;
  const { durationMs: _duration, ...settings } = scenario.run;
  const seed = options.seed ?? settings.seed;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1)) {
    issues.add('scenario.seed', '$', { value: show(seed) });
  }
  const resolved = resolveRunConfig({ ...settings, ...(seed === undefined ? {} : { seed }) });
  if (job !== undefined && resolved.ok && typeof scenario.job === 'string') {
    crossCheck(issues, scenario, job, resolved.config, singleExpectations(input));
  }
  if (!issues.empty || job === undefined || !resolved.ok) throw new ScenarioError(issues.errors);
  return { scenario, job, config: { ...settings, seed: resolved.config.seed, paused: true }, seed: resolved.config.seed };
}

async function loadJob(path: string, options: RunScenarioOptions, issues: ScenarioIssues): Promise<JobGraph | undefined> {
  if (options.loadJob === undefined) return void issues.add('scenario.jobLoader', '$.job', { path: show(path) });
  let json: unknown;
  try {
    json = await options.loadJob(path);
  } catch (error) {
    return void issues.add('scenario.jobLoad', '$.job', { path: show(path), detail: error instanceof Error ? error.message : 'the loader failed' });
  }
  const report = validateJob(json);
  for (const error of report.errors) issues.push({ ...error, path: prefixJobPath(error.path), message: `${path}: ${error.message}` });
  return report.ok ? report.job : undefined;
}

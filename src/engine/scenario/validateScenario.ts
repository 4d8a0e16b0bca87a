/**
 * The scenario validator: `validateScenario(json)` checks a `"sluice": "scenario/1"` document
 * and reports every problem at once, each with its JSON path, a stable code and a message
 * that says what to do; `parseScenarioText` does the same for text (size, then JSON, then
 * validation).
 *
 * Order of work, for hostile input: counts and lengths before anything proportional to them,
 * one bounded scan for forbidden keys outside the job (the job validator scans the job), then
 * the parts. An inline job is checked by `validateJob`, its problems reported under `$.job`
 * with the job catalogue's codes. Guarantees: never throws, never executes anything, never
 * writes to the input; the returned scenario is built from known fields only.
 */
import { describeJsonType, show } from '../job/errors';
import { childPath } from '../job/issues';
import { readJsonDocument } from '../job/readJsonDocument';
import type { JobGraph } from '../job/types';
import { validateJob } from '../job/validate';
import { DEFAULT_RUN_CONFIG, resolveRunConfig, type RunConfig } from '../runtime/runConfig';
import { crossCheck, singleExpectations } from './crossCheck';
import { didYouMean, MAX_DURATION_MS, MAX_SCENARIO_BYTES, MAX_TEXT, ScenarioIssues } from './errors';
import { checkFields, isObject, missing, own, readText, scanScenario, wrongType, type JsonObject, type Spot } from './readers';
import { SCENARIO_FORMAT, type Scenario, type ScenarioReport, type ScenarioRun } from './types';
import { validateExpect } from './validateExpect';
import { validateTimeline } from './validateTimeline';

/** The fields a scenario may have, in canonical order. */
export const SCENARIO_FIELDS = ['sluice', 'name', 'description', 'job', 'run', 'timeline', 'expect'] as const;

/** RunConfig settings a scenario's `run` may set, then its own `durationMs`. */
export const RUN_FIELDS: readonly string[] = [...Object.keys(DEFAULT_RUN_CONFIG), 'durationMs'];

/** A job given by path: a file under `public/jobs/`. */
export const JOB_PATH_PATTERN = /^jobs\/[A-Za-z0-9_-]{1,64}\.json$/;

/** Validates a scenario document (parsed JSON or built in memory). `ok` exactly when `errors` is empty. */
export function validateScenario(json: unknown): ScenarioReport {
  const issues = new ScenarioIssues();
  try {
    const scenario = checkDocument(issues, json);
    if (issues.empty && scenario !== undefined) return { ok: true, errors: [], scenario };
  } catch (error) {
    // Only exotic non-JSON input gets here (a getter or proxy that throws).
    issues.add('scenario.unreadable', '$', { detail: error instanceof Error ? show(error.message) : 'reading it threw' });
  }
  return { ok: false, errors: issues.errors };
}

/** Parses and validates scenario text. Never throws. */
export function parseScenarioText(text: string): ScenarioReport {
  const read = readJsonDocument(text, MAX_SCENARIO_BYTES);
  if (read.ok) return validateScenario(read.json);
  const issues = new ScenarioIssues();
  switch (read.problem) {
    case 'notText': issues.add('scenario.notText', '$', read.params); break;
    case 'tooLarge': issues.add('scenario.tooLarge', '$', read.params); break;
    case 'syntax': issues.add('scenario.syntax', '$', read.params); break;
  }
  return { ok: false, errors: issues.errors };
}

function checkDocument(issues: ScenarioIssues, json: unknown): Scenario | undefined {
  if (!isObject(json)) {
    issues.add('scenario.notObject', '$', { actual: describeJsonType(json) });
    return undefined;
  }
  const root: Spot = { issues, path: '$', where: 'the scenario' };
  checkFields(root, json, SCENARIO_FIELDS);
  if (!scanScenario(json, issues, new Set(['job']))) return undefined;
  const version = own(json, 'sluice');
  if (version === undefined) missing(root, 'sluice', `"sluice": "${SCENARIO_FORMAT}", which marks a Sluice scenario file`);
  else if (version !== SCENARIO_FORMAT) issues.add('scenario.version', '$.sluice', { version: show(version) });
  const name = readText(root, json, 'name', MAX_TEXT, 'a name for the scenario');
  const description = readText(root, json, 'description', 10_000);
  const job = readJob(root, json);
  const { run, durationMs } = readRun(root, json);
  const timeline = validateTimeline(root, json, durationMs);
  const expect = validateExpect(root, json, durationMs);
  if (timeline !== undefined && expect !== undefined && typeof job === 'object' && run !== undefined) {
    crossCheck(issues, { timeline, expect }, job, run.config, singleExpectations(json));
  }
  if (!issues.empty || name === undefined || job === undefined || run === undefined || timeline === undefined || expect === undefined) return undefined;
  const scenario = { sluice: SCENARIO_FORMAT, name } as Scenario;
  if (description !== undefined) scenario.description = description;
  scenario.job = job;
  scenario.run = run.run;
  scenario.timeline = timeline;
  scenario.expect = expect;
  return scenario;
}

/** The inline job (validated) or its path; undefined after a problem. */
function readJob(root: Spot, json: JsonObject): JobGraph | string | undefined {
  const value = own(json, 'job');
  if (value === undefined) return void missing(root, 'job', 'an inline job ({ "sluice": "job/1", … }) or a path such as "jobs/word-count.json"');
  if (typeof value === 'string') {
    if (value.length <= 100 && JOB_PATH_PATTERN.test(value)) return value;
    return void root.issues.add('scenario.jobPath', '$.job', { value: show(value) });
  }
  if (!isObject(value)) return void wrongType(root, 'job', 'an inline job object or a path "jobs/<file>.json"', value);
  const report = validateJob(value);
  for (const error of report.errors) root.issues.push({ ...error, path: prefixJobPath(error.path) });
  return report.ok ? report.job : undefined;
}

/** `$` → `$.job`, `$.operators[0]` → `$.job.operators[0]`. */
export function prefixJobPath(path: string): string {
  return path === '$' ? '$.job' : `$.job${path.slice(1)}`;
}

interface RunFacts {
  /** RunConfig settings as given plus `durationMs`, with the resolved config; when all are valid. */
  run?: { run: ScenarioRun; config: RunConfig };
  /** The duration when it is valid, even if other settings are not (times are checked against it). */
  durationMs?: number;
}

/** `run`: RunConfig settings as given, plus `durationMs`. */
function readRun(root: Spot, json: JsonObject): RunFacts {
  const value = own(json, 'run');
  if (value === undefined) {
    missing(root, 'run', 'an object with at least "durationMs", e.g. { "seed": 7, "durationMs": 10000 }');
    return {};
  }
  if (!isObject(value)) {
    wrongType(root, 'run', 'an object', value);
    return {};
  }
  const settings: Record<string, unknown> = {};
  let ok = true;
  for (const key of Object.keys(value)) {
    if (key === 'durationMs') continue;
    if (!RUN_FIELDS.includes(key)) {
      // Forbidden keys are reported by the document scan.
      if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') {
        root.issues.add('scenario.unknownField', childPath('$.run', key), {
          field: show(key), where: '"run"', suggestion: didYouMean(key, RUN_FIELDS), allowed: RUN_FIELDS.join(', '),
        });
      }
      ok = false;
      continue;
    }
    settings[key] = value[key];
  }
  const resolved = resolveRunConfig(settings);
  if (!resolved.ok) {
    for (const error of resolved.errors) root.issues.add('scenario.runConfig', `$.run${error.path.slice(1)}`, { message: error.message });
  }
  const durationMs = own(value, 'durationMs');
  let duration: number | undefined;
  if (durationMs === undefined) {
    missing({ ...root, path: '$.run', where: '"run"' }, 'durationMs', 'how many virtual ms the scenario runs, e.g. 10000');
  } else if (typeof durationMs === 'number' && Number.isInteger(durationMs) && durationMs >= 1 && durationMs <= MAX_DURATION_MS) {
    duration = durationMs;
  } else {
    root.issues.add('scenario.duration', '$.run.durationMs', { limit: MAX_DURATION_MS, value: show(durationMs) });
  }
  if (!ok || !resolved.ok || duration === undefined) return duration === undefined ? {} : { durationMs: duration };
  return { run: { run: { ...(settings as Partial<RunConfig>), durationMs: duration }, config: resolved.config }, durationMs: duration };
}

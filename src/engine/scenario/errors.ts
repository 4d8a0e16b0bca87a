/**
 * The scenario error catalogue and limits: every message about a scenario file by a stable
 * code (`scenario.*`), collected with its JSON path into a capped list.
 *
 * Codes are a public contract, like the job catalogue's: add freely, never rename or remove.
 * Problems of an inline job keep the job catalogue's codes, with their paths under `$.job`.
 */
import { MAX_REPORTED_ERRORS } from '../job/limits';
import type { ScenarioProblem } from './types';

/** Largest scenario text `parseScenarioText` accepts, in UTF-8 bytes (2 MiB: an inline job may be 1 MiB). */
export const MAX_SCENARIO_BYTES = 2 * 1024 * 1024;
/** Most timeline entries. */
export const MAX_TIMELINE_ENTRIES = 1000;
/** Most entries per expectation kind. */
export const MAX_EXPECTATIONS = 100;
/** Longest scenario run, in virtual ms (one virtual hour). */
export const MAX_DURATION_MS = 3_600_000;
/** Longest narration text. */
export const MAX_TEXT = 2000;
/** Most fields in a sink `where` filter. */
export const MAX_FILTER_FIELDS = 20;
/** Most values scanned outside the inline job (which has its own budget). */
export const MAX_SCENARIO_VALUES = 50_000;

export const SCENARIO_ERRORS = {
  'scenario.tooLarge': 'The scenario file is {size} bytes; the limit is {limit} bytes. Move the job to a file under public/jobs and refer to it by path.',
  'scenario.notText': 'Expected the scenario as JSON text, not {actual}.',
  'scenario.syntax': 'The scenario file is not valid JSON: {detail} at line {line}, column {column}.',
  'scenario.notObject': 'A scenario file must be a JSON object with "sluice": "scenario/1", name, job, run, timeline and expect, not {actual}.',
  'scenario.unreadable': 'The scenario could not be read ({detail}). Pass plain JSON data.',
  'scenario.version': 'Unknown scenario format version {version}. This Sluice reads "scenario/1".',
  'scenario.forbiddenKey': 'The key {key} is not allowed anywhere in a scenario file, because it could tamper with JavaScript objects. Remove it.',
  'scenario.tooComplex': 'The scenario file holds more than {limit} values outside its job. Remove what does not belong in it.',
  'scenario.unknownField': 'Unknown field {field} in {where}.{suggestion} The allowed fields are: {allowed}.',
  'scenario.missingField': 'Missing {field} in {where}. Add it: {hint}.',
  'scenario.wrongType': '{field} in {where} must be {expected}, not {actual}.',
  'scenario.tooLong': '{field} in {where} is {length} characters long; the limit is {limit}. Shorten it.',
  'scenario.empty': '{field} in {where} is empty. Give it some text.',
  'scenario.tooMany': '{field} has {count} entries; the limit is {limit}.',
  'scenario.jobPath': 'The job path {value} is not valid. Use "jobs/<file>.json" (letters, digits, "_" and "-"), a file under public/jobs, or put the job inline.',
  'scenario.runConfig': '{message}',
  'scenario.duration': '"durationMs" must be a whole number of virtual ms from 1 to {limit}, not {value}.',
  'scenario.actionUnknown': 'Unknown timeline action {value}.{suggestion} Use one of: {actions}.',
  'scenario.atMs': '"atMs" must be a whole number of virtual ms from 0 to the run\'s durationMs ({duration}), not {value}.',
  'scenario.order': 'This entry is at {atMs} ms, before the previous entry ({previous} ms). Keep the timeline in time order; entries at the same time apply in file order.',
  'scenario.intRange': '{field} in {where} must be a whole number from {min} to {max}, not {value}.',
  'scenario.numberRange': '{field} in {where} must be a number from {min} to {max}, not {value}.',
  'scenario.enum': '{field} in {where} must be one of {options}, not {value}.{suggestion}',
  'scenario.boundEmpty': '{where} needs a bound: "atLeast", "atMost" or "equals".',
  'scenario.boundEquals': '{where} has "equals" together with "atLeast" or "atMost". Use "equals" alone, or a range.',
  'scenario.boundOrder': '{where} has atLeast {atLeast} above atMost {atMost}, which nothing can satisfy. Swap them.',
  'scenario.window': '{where} must satisfy fromMs < toMs ≤ durationMs ({duration}); it is {fromMs} to {toMs}.',
  'scenario.checkpointsEmpty': '{where} needs "completed" or "failed" (or both), each an object of bounds with "atLeast", "atMost" or "equals".',
  'scenario.restartsTarget': '{where} has "subtask" without "operator", or both "operator" and "region". Name a task (operator and subtask), an operator, a region, or nothing (each task).',
  'scenario.unknownOperator': '{where} refers to operator {value}, which is not in the job. Operators: {known}.',
  'scenario.subtaskRange': '{where}: operator {operator} has subtasks 0 to {last}, not {value}.',
  'scenario.unknownSink': '{where} refers to {value}, which is not a collect sink of the job. Collect sinks: {known}.',
  'scenario.unknownEdge': '{where} refers to edge {value}, which is not in the job. Edges: {known}.',
  'scenario.edgeNotBalancing': '{where}: edge {value} is {partitioner}; channel selection applies to rebalance and rescale edges.',
  'scenario.taskManagerRange': '{where}: the run has TaskManagers 0 to {last}, not {value}.',
  'scenario.regionRange': '{where}: the job has regions 1 to {last}, not {value}.',
  'scenario.jobLoader': 'The scenario names its job by path {path}, and this host gave no way to load it. Pass options.loadJob, or put the job inline.',
  'scenario.jobLoad': 'Loading the job {path} failed: {detail}. Check that the file exists under public/jobs.',
  'scenario.startRefused': 'The cluster refused to start the run: {message}',
  'scenario.seed': 'The seed option must be a whole number from 0 to 4294967295, not {value}.',
  'scenario.tooManyErrors': 'Stopped after {count} problems. Fix these first, then validate again.',
} as const;

/** A stable scenario error code. */
export type ScenarioCode = keyof typeof SCENARIO_ERRORS;

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The parameters a code's template needs. */
export type ScenarioParams<C extends ScenarioCode> = Record<Placeholders<(typeof SCENARIO_ERRORS)[C]>, string | number>;

/** Renders a catalogue message. */
export function formatScenarioError<C extends ScenarioCode>(code: C, params: ScenarioParams<C>): string {
  const values = params as Record<string, string | number>;
  return (SCENARIO_ERRORS[code] as string).replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole
  ));
}

/** An ordered, capped list of scenario problems. */
export class ScenarioIssues {
  readonly errors: ScenarioProblem[] = [];
  private truncated = false;

  add<C extends ScenarioCode>(code: C, path: string, params: ScenarioParams<C>): void {
    this.push({ path, code, message: formatScenarioError(code, params) });
  }

  /** Adds a problem found by another validator (the inline job's), as it is. */
  push(problem: ScenarioProblem): void {
    if (this.truncated) return;
    if (this.errors.length >= MAX_REPORTED_ERRORS) {
      this.truncated = true;
      this.errors.push({ path: '$', code: 'scenario.tooManyErrors', message: formatScenarioError('scenario.tooManyErrors', { count: MAX_REPORTED_ERRORS }) });
      return;
    }
    this.errors.push(problem);
  }

  get empty(): boolean {
    return this.errors.length === 0;
  }
}

/** Edit distance of two short strings (optimal string alignment), for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[(i - 1) * cols + j] as number) + 1, (d[i * cols + j - 1] as number) + 1, (d[(i - 1) * cols + j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[(i - 2) * cols + j - 2] as number) + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] as number;
}

/** ` Did you mean "x"?` when one allowed word is close (case-insensitive, ≤ 2 edits), else ''. */
export function didYouMean(value: string, allowed: readonly string[]): string {
  if (value.length > 64) return '';
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const word of allowed) {
    const distance = editDistance(lower, word.toLowerCase());
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}

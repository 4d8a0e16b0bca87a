/**
 * The job validator: `validateJob(json)` checks a `"sluice": "job/1"` document and reports
 * every problem at once, each with its JSON path, the operator or edge it belongs to, a
 * stable code and a message that says what to do.
 *
 * Hand-written rather than zod: messages must come from the error catalogue with our codes
 * and paths (zod's issues would need a translation layer as large as the checks), the
 * per-kind config checks are driven directly by the catalogue data, hostile keys must be
 * reported and never copied, and the order of work matters for hostile input (counts and
 * lengths before anything proportional to them). The checks are plain functions per part of
 * the document: `validateOperator`, `validateConfig`, `validateEdge`, `validateLayout`, then
 * the graph rules.
 *
 * Guarantees: never throws, never executes an expression, never writes to the input, and
 * the returned job is a fresh object built from known fields only.
 */
import { show } from './errors';
import { checkGraph } from './graphRules';
import { Issues } from './issues';
import { MAX_EDGES, MAX_OPERATORS, MAX_STRING } from './limits';
import { checkFields, isObject, missing, own, readText, scanForbiddenKeys, wrongType, type JsonObject, type Site } from './shape';
import type { JobGraph, MaxParallelismFormula, ValidationReport } from './types';
import { validateEdge, type EdgeFacts } from './validateEdge';
import { validateLayout } from './validateLayout';
import { validateOperator, type OperatorFacts } from './validateOperator';

/** The fields a job may have, in canonical order. */
export const JOB_FIELDS = ['sluice', 'name', 'description', 'maxParallelismFormula', 'operators', 'edges', 'layout'] as const;

/** The format version this validator reads. */
export const JOB_FORMAT = 'job/1';

const FORMULAS: readonly MaxParallelismFormula[] = ['sluice', 'flink'];

/**
 * Validates a job document (already parsed from JSON, or built in memory).
 * `ok` is true exactly when `errors` is empty; `job` is then the normalised job.
 */
export function validateJob(json: unknown): ValidationReport {
  const issues = new Issues();
  try {
    const job = checkDocument(issues, json);
    if (issues.empty && job !== undefined) return { ok: true, errors: [], job };
  } catch (error) {
    // Only exotic non-JSON input gets here (a getter or proxy that throws); report, never rethrow.
    issues.add('json.unreadable', '$', { detail: describeThrown(error) });
  }
  return { ok: false, errors: issues.errors };
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? show(error.message) : 'reading it threw';
  } catch {
    return 'reading it threw';
  }
}

function checkDocument(issues: Issues, json: unknown): JobGraph | undefined {
  if (!isObject(json)) {
    issues.add('json.notObject', '$', { actual: show(json) });
    return undefined;
  }
  const site: Site = { issues, path: '$', where: 'the job' };
  checkFields(site, json, JOB_FIELDS);
  // Counts before any per-element work: 100,000 operators are rejected here, in constant time.
  const operators = boundedArray(site, json, 'operators', MAX_OPERATORS);
  const edges = boundedArray(site, json, 'edges', MAX_EDGES);
  const scanned = scanForbiddenKeys(json, issues);

  checkVersion(site, json);
  const name = readText(site, json, 'name', { requiredHint: 'a name for the job', nonEmpty: true, maxLength: MAX_STRING });
  const description = readText(site, json, 'description', { maxLength: MAX_STRING });
  const formula = checkFormula(site, json);
  // A document too large to scan is rejected already; reading it element by element would
  // only make a hostile input cost more.
  if (!scanned) return undefined;

  const operatorFacts = (operators ?? []).map((raw, i) => validateOperator(issues, raw, i, formula ?? 'sluice'));
  const edgeFacts = (edges ?? []).map((raw, i) => validateEdge(issues, raw, i));
  // Without a usable operator list every position would look orphaned, so skip the layout then.
  const layout = operators === undefined ? undefined : checkLayout(site, json, operatorFacts);
  if (operators !== undefined && edges !== undefined) checkGraph(issues, operatorFacts, edgeFacts);

  if (!issues.empty) return undefined;
  return assemble(name as string, description, formula, operatorFacts, edgeFacts, layout);
}

/** Builds the normalised job in canonical field order, omitting absent optional fields. */
function assemble(
  name: string, description: string | undefined, formula: MaxParallelismFormula | undefined,
  operators: readonly OperatorFacts[], edges: readonly EdgeFacts[], layout: JobGraph['layout'],
): JobGraph {
  // Fields are inserted in canonical order, so even a plain JSON.stringify of the result reads well.
  const job = { sluice: JOB_FORMAT, name } as JobGraph;
  if (description !== undefined) job.description = description;
  if (formula !== undefined) job.maxParallelismFormula = formula;
  job.operators = operators.map((op) => op.spec);
  job.edges = edges.map((edge) => edge.spec);
  if (layout !== undefined) job.layout = layout;
  return job;
}

/** A required array field, rejected as a whole when longer than `limit`. */
function boundedArray(site: Site, json: JsonObject, key: 'operators' | 'edges', limit: number): readonly unknown[] | undefined {
  const value = own(json, key);
  if (value === undefined) {
    missing(site, key, key === 'operators' ? 'a list of operators' : 'a list of edges (empty when nothing is connected)');
    return undefined;
  }
  if (!Array.isArray(value)) {
    wrongType(site, key, 'a list', value);
    return undefined;
  }
  if (value.length > limit) {
    const code = key === 'operators' ? 'job.tooManyOperators' : 'job.tooManyEdges';
    site.issues.add(code, `$.${key}`, { count: value.length, limit });
    return undefined;
  }
  return value as readonly unknown[];
}

function checkVersion(site: Site, json: JsonObject): void {
  const version = own(json, 'sluice');
  if (version === undefined) missing(site, 'sluice', `"sluice": "${JOB_FORMAT}", which marks a Sluice job file`);
  else if (version !== JOB_FORMAT) site.issues.add('job.version', '$.sluice', { version: show(version) });
}

function checkFormula(site: Site, json: JsonObject): MaxParallelismFormula | undefined {
  const formula = own(json, 'maxParallelismFormula');
  if (formula === undefined) return undefined;
  if (typeof formula === 'string' && (FORMULAS as readonly string[]).includes(formula)) return formula as MaxParallelismFormula;
  site.issues.add('job.formula', '$.maxParallelismFormula', { value: show(formula) });
  return undefined;
}

function checkLayout(site: Site, json: JsonObject, operators: readonly OperatorFacts[]): JobGraph['layout'] {
  const layout = own(json, 'layout');
  if (layout === undefined) return undefined;
  if (!isObject(layout)) {
    wrongType(site, 'layout', 'an object of positions by operator id', layout);
    return undefined;
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const op of operators) {
    if (op.validId && op.id !== undefined && !seen.has(op.id)) {
      seen.add(op.id);
      ids.push(op.id);
    }
  }
  return validateLayout(site.issues, layout, ids);
}

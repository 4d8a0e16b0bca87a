/**
 * Checks one entry of `operators`: its fields, types, id, kind, parallelism and config.
 *
 * Returns what the graph rules need (id, kind, parallelism, uid) alongside the normalised
 * operator, built field by field from known fields only.
 */
import { MAX_MAX_PARALLELISM, maxParallelismFor } from '../keygroups/keyGroups';
import { isOperatorKind, OPERATOR_KINDS } from './catalogue';
import { show } from './errors';
import { childPath, type Issues } from './issues';
import { FORBIDDEN_KEYS, isValidId, MAX_STRING } from './limits';
import { checkFields, isObject, missing, own, readText, wrongType, type JsonObject, type Site } from './shape';
import { validateConfig } from './validateConfig';
import { inRescaleMode, sourcePartitions } from '../plan/sourceRescaleMode';
import type { MaxParallelismFormula, OperatorKind, OperatorSpec } from './types';

/** The fields an operator may have, in canonical order. */
export const OPERATOR_FIELDS = ['id', 'kind', 'name', 'uid', 'parallelism', 'maxParallelism', 'config'] as const;

/** What validation learned about one operator; fields are set only when they are valid. */
export interface OperatorFacts {
  index: number;
  path: string;
  /** The id whenever it is text, even if malformed, so edges naming it are not called dangling. */
  id?: string;
  /** True when `id` matches the id rules; only then may it key the layout. */
  validId: boolean;
  kind?: OperatorKind;
  parallelism?: number;
  uid?: string;
  /** The normalised operator (complete only when the whole job is valid). */
  spec: OperatorSpec;
}

/** Checks `raw`, the operator at `index`. */
export function validateOperator(issues: Issues, raw: unknown, index: number, formula: MaxParallelismFormula): OperatorFacts {
  const path = childPath('$.operators', index);
  const facts: OperatorFacts = { index, path, validId: false, spec: {} as OperatorSpec };
  if (!isObject(raw)) {
    issues.add('json.wrongType', path, { field: `operators[${index}]`, where: 'the job', expected: 'an object', actual: show(raw) });
    return facts;
  }
  const rawId = own(raw, 'id');
  facts.id = typeof rawId === 'string' ? rawId : undefined;
  facts.validId = facts.id !== undefined && isValidId(facts.id);
  const label = facts.validId ? show(facts.id) : `at ${path}`;
  const site: Site = { issues, path, where: `operator ${label}`, id: facts.validId ? facts.id : undefined };
  checkFields(site, raw, OPERATOR_FIELDS);

  checkId(site, rawId);
  facts.kind = checkKind(site, raw);
  const name = readText(site, raw, 'name', { requiredHint: 'a name to show on the canvas', nonEmpty: true, maxLength: MAX_STRING });
  facts.uid = checkUid(site, raw, label);
  const { parallelism, maxParallelism } = checkParallelism(site, raw, label, formula);
  facts.parallelism = parallelism;

  const spec: Partial<OperatorSpec> = { id: facts.id, kind: facts.kind, name };
  if (facts.uid !== undefined) spec.uid = facts.uid;
  spec.parallelism = parallelism;
  if (maxParallelism !== undefined) spec.maxParallelism = maxParallelism;
  const config = own(raw, 'config');
  if (config !== undefined) {
    if (!isObject(config)) wrongType(site, 'config', 'an object of settings', config);
    else if (facts.kind !== undefined) {
      spec.config = validateConfig({ ...site, path: childPath(path, 'config') }, facts.kind, config, label);
      if (spec.config?.regionSharable === true && parallelism !== undefined && parallelism !== 1) {
        issues.add('operator.sharableParallelism', childPath(path, 'parallelism'), { id: label, parallelism }, site.id);
      }
      if (spec.config !== undefined && facts.kind !== undefined && inRescaleMode({ kind: facts.kind, config: spec.config }) && parallelism !== undefined) {
        const partitions = sourcePartitions({ kind: facts.kind, config: spec.config });
        if (parallelism !== partitions) issues.add('operator.rescaleModeParallelism', childPath(path, 'parallelism'), { id: label, parallelism, partitions }, site.id);
      }
    }
  }
  facts.spec = spec as OperatorSpec;
  return facts;
}

function checkId(site: Site, rawId: unknown): void {
  const path = childPath(site.path, 'id');
  if (rawId === undefined) missing(site, 'id', 'a unique id of 1 to 64 letters, digits, "_" or "-"');
  else if (typeof rawId !== 'string') wrongType(site, 'id', 'text', rawId);
  else if (FORBIDDEN_KEYS.has(rawId)) site.issues.add('operator.idReserved', path, { value: show(rawId) });
  else if (!isValidId(rawId)) site.issues.add('operator.idInvalid', path, { value: show(rawId) });
}

function checkKind(site: Site, raw: JsonObject): OperatorKind | undefined {
  const kind = own(raw, 'kind');
  if (isOperatorKind(kind)) return kind;
  const kinds = OPERATOR_KINDS.join(', ');
  if (kind === undefined) missing(site, 'kind', `one of ${kinds}`);
  else site.issues.add('operator.kindUnknown', childPath(site.path, 'kind'), { kind: show(kind), kinds }, site.id);
  return undefined;
}

function checkUid(site: Site, raw: JsonObject, label: string): string | undefined {
  const uid = own(raw, 'uid');
  if (uid === undefined) return undefined;
  if (typeof uid === 'string' && isValidId(uid)) return uid;
  site.issues.add('operator.uidInvalid', childPath(site.path, 'uid'), { value: show(uid), id: label }, site.id);
  return undefined;
}

/**
 * Parallelism must be a whole number >= 1 and at most the operator's max parallelism: its own
 * `maxParallelism` when set (1..32768), else the job formula's default for that parallelism.
 */
function checkParallelism(
  site: Site, raw: JsonObject, label: string, formula: MaxParallelismFormula,
): { parallelism?: number; maxParallelism?: number } {
  const rawP = own(raw, 'parallelism');
  const rawMax = own(raw, 'maxParallelism');
  let parallelism: number | undefined;
  let maxParallelism: number | undefined;
  if (rawP === undefined) missing(site, 'parallelism', 'a whole number of at least 1, how many subtasks run this operator');
  else if (typeof rawP === 'number' && Number.isInteger(rawP) && rawP >= 1) parallelism = rawP;
  else site.issues.add('operator.parallelism', childPath(site.path, 'parallelism'), { id: label, value: show(rawP) }, site.id);

  const explicit = rawMax !== undefined;
  if (explicit) {
    if (typeof rawMax === 'number' && Number.isInteger(rawMax) && rawMax >= 1 && rawMax <= MAX_MAX_PARALLELISM) {
      maxParallelism = rawMax;
    } else {
      site.issues.add('operator.maxParallelism', childPath(site.path, 'maxParallelism'), {
        id: label, value: show(rawMax), limit: MAX_MAX_PARALLELISM,
      }, site.id);
      return { parallelism, maxParallelism };
    }
  }
  if (parallelism === undefined) return { parallelism, maxParallelism };
  // maxParallelismFor only accepts parallelism within Flink's bounds; above them, the cap applies.
  const resolved = maxParallelism
    ?? (parallelism <= MAX_MAX_PARALLELISM ? maxParallelismFor(parallelism, formula) : MAX_MAX_PARALLELISM);
  if (parallelism > resolved) {
    site.issues.add('operator.parallelismAboveMax', childPath(site.path, 'parallelism'), {
      id: label, parallelism, max: resolved, limit: MAX_MAX_PARALLELISM,
      source: explicit ? 'set by its maxParallelism' : `the default of the "${formula}" formula`,
    }, site.id);
    return { parallelism: undefined, maxParallelism };
  }
  return { parallelism, maxParallelism };
}

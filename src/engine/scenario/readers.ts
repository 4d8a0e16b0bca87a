/**
 * Reading untrusted scenario fields: each reader reports a problem with its JSON path and
 * returns undefined, so validation goes on and reports everything at once. Only own
 * properties are read, and nothing is copied from the input wholesale (job/shape.ts rules).
 */
import { describeJsonType, show } from '../job/errors';
import { childPath } from '../job/issues';
import { FORBIDDEN_KEYS } from '../job/limits';
import { isObject, own, type JsonObject } from '../job/shape';
import { didYouMean, MAX_SCENARIO_VALUES, type ScenarioIssues } from './errors';
import type { Bound } from './types';

export { isObject, own, type JsonObject };

/** Where a check is happening: the list to report to, the JSON path, and a phrase for messages. */
export interface Spot {
  issues: ScenarioIssues;
  path: string;
  /** The object in words, e.g. `timeline entry 3 (kill-task)`. */
  where: string;
}

/** A spot for a child object. */
export function child(spot: Spot, key: string | number, where: string): Spot {
  return { issues: spot.issues, path: childPath(spot.path, key), where };
}

/** Reports every own key not in `allowed`, with a did-you-mean when one is close. */
export function checkFields(spot: Spot, obj: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || FORBIDDEN_KEYS.has(key)) continue;
    spot.issues.add('scenario.unknownField', childPath(spot.path, key), {
      field: show(key), where: spot.where, suggestion: didYouMean(key, allowed), allowed: allowed.join(', '),
    });
  }
}

export function wrongType(spot: Spot, key: string, expected: string, value: unknown): void {
  spot.issues.add('scenario.wrongType', childPath(spot.path, key), { field: show(key), where: spot.where, expected, actual: describeJsonType(value) });
}

export function missing(spot: Spot, key: string, hint: string): void {
  spot.issues.add('scenario.missingField', childPath(spot.path, key), { field: show(key), where: spot.where, hint });
}

/** A text field; `hint` makes it required. */
export function readText(spot: Spot, obj: JsonObject, key: string, maxLength: number, hint?: string): string | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (hint !== undefined) missing(spot, key, hint);
    return undefined;
  }
  if (typeof value !== 'string') return void wrongType(spot, key, 'text', value);
  if (value.length > maxLength) {
    return void spot.issues.add('scenario.tooLong', childPath(spot.path, key), { field: show(key), where: spot.where, length: value.length, limit: maxLength });
  }
  if (value.trim() === '') return void spot.issues.add('scenario.empty', childPath(spot.path, key), { field: show(key), where: spot.where });
  return value;
}

/** A whole number in [min, max]; `hint` makes it required. */
export function readInt(spot: Spot, obj: JsonObject, key: string, min: number, max: number, hint?: string): number | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (hint !== undefined) missing(spot, key, hint);
    return undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  spot.issues.add('scenario.intRange', childPath(spot.path, key), { field: show(key), where: spot.where, min, max, value: show(value) });
  return undefined;
}

/** A finite number in [min, max]; `hint` makes it required. */
export function readNumber(spot: Spot, obj: JsonObject, key: string, min: number, max: number, hint?: string): number | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (hint !== undefined) missing(spot, key, hint);
    return undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
  spot.issues.add('scenario.numberRange', childPath(spot.path, key), { field: show(key), where: spot.where, min, max, value: show(value) });
  return undefined;
}

/** One of `options`; `hint` makes it required. */
export function readEnum<T extends string>(spot: Spot, obj: JsonObject, key: string, options: readonly T[], hint?: string): T | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (hint !== undefined) missing(spot, key, hint);
    return undefined;
  }
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
  spot.issues.add('scenario.enum', childPath(spot.path, key), {
    field: show(key), where: spot.where, options: options.map((o) => `"${o}"`).join(', '), value: show(value),
    suggestion: typeof value === 'string' ? didYouMean(value, options) : '',
  });
  return undefined;
}

/** An object field; `hint` makes it required. */
export function readObject(spot: Spot, obj: JsonObject, key: string, hint?: string): JsonObject | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (hint !== undefined) missing(spot, key, hint);
    return undefined;
  }
  if (isObject(value)) return value;
  return void wrongType(spot, key, 'an object', value);
}

const BOUND_KEYS = ['atLeast', 'atMost', 'equals'] as const;

/**
 * Reads `atLeast`/`atMost`/`equals` (whole numbers ≥ 0, or any finite numbers when `fractional`)
 * from `obj`. `required`: at least one must be there. Returns undefined after a problem.
 */
export function readBound(spot: Spot, obj: JsonObject, required: boolean, fractional = false): Bound | undefined {
  const bound: Bound = {};
  let ok = true;
  for (const key of BOUND_KEYS) {
    if (own(obj, key) === undefined) continue;
    const value = fractional ? readNumber(spot, obj, key, 0, 1e12) : readInt(spot, obj, key, 0, Number.MAX_SAFE_INTEGER);
    if (value === undefined) ok = false;
    else bound[key] = value;
  }
  if (!ok) return undefined;
  if (bound.equals !== undefined && (bound.atLeast !== undefined || bound.atMost !== undefined)) {
    return void spot.issues.add('scenario.boundEquals', spot.path, { where: spot.where });
  }
  if (bound.atLeast !== undefined && bound.atMost !== undefined && bound.atLeast > bound.atMost) {
    return void spot.issues.add('scenario.boundOrder', spot.path, { where: spot.where, atLeast: bound.atLeast, atMost: bound.atMost });
  }
  if (required && Object.keys(bound).length === 0) return void spot.issues.add('scenario.boundEmpty', spot.path, { where: spot.where });
  return bound;
}

/**
 * Reports forbidden keys anywhere under `root` except the keys in `skip` of the root object,
 * iteratively and within a budget of `MAX_SCENARIO_VALUES` values. False when over budget.
 */
export function scanScenario(root: JsonObject, issues: ScenarioIssues, skip: ReadonlySet<string>): boolean {
  const stack: { value: unknown; path: string }[] = [];
  for (const key of Object.keys(root)) {
    if (FORBIDDEN_KEYS.has(key)) issues.add('scenario.forbiddenKey', childPath('$', key), { key: show(key) });
    else if (!skip.has(key)) stack.push({ value: root[key], path: childPath('$', key) });
  }
  const seen = new Set<object>();
  let budget = MAX_SCENARIO_VALUES;
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value, path } = entry;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const keys = Array.isArray(value) ? [] : Object.keys(value);
    budget -= Array.isArray(value) ? value.length : keys.length;
    if (budget < 0) {
      issues.add('scenario.tooComplex', '$', { limit: MAX_SCENARIO_VALUES });
      return false;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: childPath(path, i) });
      continue;
    }
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) issues.add('scenario.forbiddenKey', childPath(path, key), { key: show(key) });
      else stack.push({ value: (value as JsonObject)[key], path: childPath(path, key) });
    }
  }
  return true;
}

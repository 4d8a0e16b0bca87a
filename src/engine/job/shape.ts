/**
 * Reading untrusted JSON-shaped values safely.
 *
 * Rules every reader here keeps: only own properties are read (a missing `name` must not find
 * `Object.prototype.name`), nothing is copied from the input wholesale (no spreads, no
 * `Object.assign`), and the forbidden keys are reported, never followed.
 */
import { describeJsonType, show } from './errors';
import { childPath, Issues } from './issues';
import { FORBIDDEN_KEYS, MAX_DOCUMENT_VALUES } from './limits';

/** A JSON object as read from input: any non-null, non-array object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Where a check is happening: the list to report to, the JSON path, and a phrase for messages. */
export interface Site {
  issues: Issues;
  /** JSON path of the object being read. */
  path: string;
  /** The object in words, e.g. `operator "count"` or `the job`. */
  where: string;
  /** Operator or edge id to attach to problems, when known. */
  id?: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property, or undefined when the object does not have it itself. */
export function own(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Does the object have `key` as an own property (even if its value is undefined)? */
export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Reports `json.wrongType` for `key` of the object at `site`. */
export function wrongType(site: Site, key: string, expected: string, value: unknown): void {
  site.issues.add('json.wrongType', childPath(site.path, key), {
    field: show(key), where: site.where, expected, actual: describeJsonType(value),
  }, site.id);
}

/** Reports `json.missingField` for `key` of the object at `site`. */
export function missing(site: Site, key: string, hint: string): void {
  site.issues.add('json.missingField', childPath(site.path, key), { field: show(key), where: site.where, hint }, site.id);
}

/** Reports every own key that is not in `allowed` (forbidden keys are left to `scanForbiddenKeys`). */
export function checkFields(site: Site, obj: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || FORBIDDEN_KEYS.has(key)) continue;
    site.issues.add('json.unknownField', childPath(site.path, key), {
      field: show(key), where: site.where, allowed: allowed.join(', '),
    }, site.id);
  }
}

/** Rules for a text field. */
export interface TextRules {
  /** When set, the field is required and this says what to put there. */
  requiredHint?: string;
  /** Reject empty and blank text. */
  nonEmpty?: boolean;
  maxLength: number;
}

/** Reads a text field; reports and returns undefined when it is missing, mistyped, blank or too long. */
export function readText(site: Site, obj: JsonObject, key: string, rules: TextRules): string | undefined {
  const value = own(obj, key);
  if (value === undefined) {
    if (rules.requiredHint !== undefined) missing(site, key, rules.requiredHint);
    return undefined;
  }
  if (typeof value !== 'string') {
    wrongType(site, key, 'text', value);
    return undefined;
  }
  // Length first: it is O(1), while trim on a 10 MB string is not.
  if (value.length > rules.maxLength) {
    site.issues.add('string.tooLong', childPath(site.path, key), {
      field: show(key), where: site.where, length: value.length, limit: rules.maxLength,
    }, site.id);
    return undefined;
  }
  if (rules.nonEmpty === true && value.trim() === '') {
    site.issues.add('string.empty', childPath(site.path, key), { field: show(key), where: site.where }, site.id);
    return undefined;
  }
  return value;
}

interface Pending { value: unknown; parentPath: string; key: string | number }

/**
 * Reports every forbidden key (`__proto__`, `constructor`, `prototype`) anywhere in the
 * document, without following them. Iterative with an explicit stack, so depth cannot overflow
 * the call stack; stops with `json.tooComplex` past `MAX_DOCUMENT_VALUES` values, so its cost is
 * bounded whatever the input. Shared references and cycles (possible in non-JSON input) are
 * visited once. Returns false when the document was too large to scan.
 */
export function scanForbiddenKeys(root: unknown, issues: Issues): boolean {
  const stack: Pending[] = [{ value: root, parentPath: '', key: '' }];
  const seen = new Set<object>();
  let budget = MAX_DOCUMENT_VALUES;
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value } = entry;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const path = entry.parentPath === '' ? '$' : childPath(entry.parentPath, entry.key);
    const keys: (string | number)[] = Array.isArray(value) ? [] : Object.keys(value);
    const size = Array.isArray(value) ? value.length : keys.length;
    budget -= size;
    if (budget < 0) {
      issues.add('json.tooComplex', '$', { limit: MAX_DOCUMENT_VALUES });
      return false;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parentPath: path, key: i });
      continue;
    }
    const record = value as JsonObject;
    for (const key of keys as string[]) {
      if (FORBIDDEN_KEYS.has(key)) {
        issues.add('json.forbiddenKey', childPath(path, key), { key: show(key) });
      } else {
        stack.push({ value: record[key], parentPath: path, key });
      }
    }
  }
  return true;
}

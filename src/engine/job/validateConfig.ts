/**
 * Checks an operator's `config` against the catalogue entry of its kind.
 *
 * The catalogue is the single source of truth for settings: their names, types, ranges and
 * options drive both the designer's inspector and this check, so the two cannot disagree.
 * Expressions are parsed (never compiled or run). The result is a fresh object holding only
 * catalogue fields, in catalogue order; defaults are not filled in.
 */
import { parseExpression } from '../expr/parse';
import { RESERVED_NAMES } from '../expr/ast';
import { CATALOGUE, type ConfigField } from './catalogue';
import { show } from './errors';
import { childPath } from './issues';
import { FIELD_NAME_PATTERN, FORBIDDEN_KEYS, MAX_STRING } from './limits';
import { own, type JsonObject, type Site } from './shape';
import type { OperatorKind } from './types';

/** Words of the expression language that cannot be read as fields, so cannot be written as one. */
const KEYWORDS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'and', 'or', 'not']);

type ConfigValue = string | number | boolean;

/**
 * Validates `config` for `kind`, reporting at `site` (whose path is the config's path).
 * `label` names the operator in messages. Returns the normalised config.
 */
export function validateConfig(site: Site, kind: OperatorKind, config: JsonObject, label: string): Record<string, ConfigValue> {
  const fields = CATALOGUE[kind].fields;
  const names = fields.map((field) => field.name);
  reportUnknownSettings(site, kind, config, names, label);
  const result: Record<string, ConfigValue> = {};
  for (const field of fields) {
    const value = own(config, field.name);
    if (value === undefined) continue;
    const checked = checkValue(site, field, value, label);
    if (checked !== undefined) result[field.name] = checked;
  }
  if (kind === 'sequence') checkSequenceRange(site, result, label);
  return result;
}

/** Unknown settings get a message listing the kind's own settings, not the generic one. */
function reportUnknownSettings(site: Site, kind: OperatorKind, config: JsonObject, names: readonly string[], label: string): void {
  for (const key of Object.keys(config)) {
    if (names.includes(key) || FORBIDDEN_KEYS.has(key)) continue;
    site.issues.add('config.unknownField', childPath(site.path, key), {
      id: label, kind, field: show(key), allowed: names.length > 0 ? names.join(', ') : 'none',
    }, site.id);
  }
}

/** Checks one setting by its catalogue type; returns the value when valid. */
function checkValue(site: Site, field: ConfigField, value: unknown, label: string): ConfigValue | undefined {
  const path = childPath(site.path, field.name);
  const base = { field: show(field.name), id: label, value: show(value) };
  switch (field.type) {
    case 'int':
    case 'number': {
      const min = field.min ?? Number.MIN_SAFE_INTEGER;
      const max = field.max ?? Number.MAX_SAFE_INTEGER;
      const typeOk = field.type === 'int' ? Number.isInteger(value) : typeof value === 'number' && Number.isFinite(value);
      if (typeOk && (value as number) >= min && (value as number) <= max) return value as number;
      site.issues.add(field.type === 'int' ? 'config.int' : 'config.number', path, { ...base, min, max }, site.id);
      return undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      site.issues.add('config.boolean', path, base, site.id);
      return undefined;
    case 'enum':
      if (typeof value === 'string' && (field.options ?? []).includes(value)) return value;
      site.issues.add('config.enum', path, { ...base, options: (field.options ?? []).map((o) => JSON.stringify(o)).join(', ') }, site.id);
      return undefined;
    case 'string':
      if (typeof value === 'string' && value.length <= MAX_STRING) return value;
      site.issues.add('config.string', path, { ...base, limit: MAX_STRING }, site.id);
      return undefined;
    case 'expression':
      return checkExpression(site, path, field, value, label);
    case 'field':
      if (typeof value === 'string' && FIELD_NAME_PATTERN.test(value) && !RESERVED_NAMES.has(value) && !KEYWORDS.has(value)) return value;
      site.issues.add('config.fieldName', path, base, site.id);
      return undefined;
  }
}

function checkExpression(site: Site, path: string, field: ConfigField, value: unknown, label: string): string | undefined {
  if (typeof value !== 'string') {
    site.issues.add('config.expression', path, {
      field: show(field.name), id: label, detail: `it must be text, not ${show(value)}`,
    }, site.id);
    return undefined;
  }
  const parsed = parseExpression(value);
  if (parsed.ok) return value;
  site.issues.add('config.expression', path, { field: show(field.name), id: label, detail: parsed.message }, site.id);
  return undefined;
}

/** A sequence counts up from `from` to `to`; check the pair after defaults apply. */
function checkSequenceRange(site: Site, config: Record<string, ConfigValue>, label: string): void {
  const fields = CATALOGUE.sequence.fields;
  const from = config.from ?? fields.find((f) => f.name === 'from')?.default;
  const to = config.to ?? fields.find((f) => f.name === 'to')?.default;
  if (typeof from === 'number' && typeof to === 'number' && from > to) {
    const at = config.from !== undefined ? 'from' : 'to';
    site.issues.add('config.range', childPath(site.path, at), { id: label, from, to }, site.id);
  }
}

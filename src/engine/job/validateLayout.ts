/**
 * Checks the optional `layout`: canvas positions keyed by operator id.
 *
 * Layout is presentational, but it is still untrusted input keyed by user strings, so the
 * normalised layout is built only for keys that are valid ids of this job's operators (never
 * a forbidden key), in operator order, with fresh `{x, y}` objects.
 */
import { show } from './errors';
import { childPath, type Issues } from './issues';
import { FORBIDDEN_KEYS, MAX_OPERATORS } from './limits';
import { checkFields, isObject, own, type JsonObject, type Site } from './shape';
import type { JobPosition } from './types';

/** Validates `layout` against the operator ids of the job; returns the normalised layout. */
export function validateLayout(issues: Issues, layout: JsonObject, operatorIds: readonly string[]): Record<string, JobPosition> {
  const keys = Object.keys(layout);
  if (keys.length > MAX_OPERATORS) {
    issues.add('layout.tooLarge', '$.layout', { count: keys.length, limit: MAX_OPERATORS });
    return {};
  }
  const known = new Set(operatorIds);
  const positions = new Map<string, JobPosition>();
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) continue; // reported by the document scan
    const path = childPath('$.layout', key);
    if (!known.has(key)) {
      issues.add('layout.unknownOperator', path, { key: show(key) });
      continue;
    }
    const position = checkPosition(issues, path, key, layout[key]);
    if (position !== undefined) positions.set(key, position);
  }
  const result: Record<string, JobPosition> = {};
  for (const id of operatorIds) {
    const position = positions.get(id);
    if (position !== undefined) result[id] = position;
  }
  return result;
}

function checkPosition(issues: Issues, path: string, key: string, value: unknown): JobPosition | undefined {
  if (!isObject(value)) {
    issues.add('layout.position', path, { key: show(key), value: show(value) }, key);
    return undefined;
  }
  const site: Site = { issues, path, where: `the position of ${show(key)}`, id: key };
  checkFields(site, value, ['x', 'y']);
  const x = own(value, 'x');
  const y = own(value, 'y');
  if (typeof x === 'number' && Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y)) return { x, y };
  const [bad, badValue] = typeof x === 'number' && Number.isFinite(x) ? ['y', y] : ['x', x];
  issues.add('layout.position', childPath(path, bad), { key: show(key), value: `${bad} = ${show(badValue)}` }, key);
  return undefined;
}

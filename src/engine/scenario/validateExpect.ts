/**
 * Validating `expect`: `exactlyOnce` is `true`, `false` or an object; every other kind is one
 * object or a list of at most `MAX_EXPECTATIONS` objects (normalised to a list). Whether the
 * operators, sinks and regions named exist is a cross-check against the job (crossCheck.ts).
 */
import { describeJsonType, show } from '../job/errors';
import { childPath } from '../job/issues';
import { FIELD_NAME_PATTERN, FORBIDDEN_KEYS, MAX_ID_LENGTH } from '../job/limits';
import { MAX_DURATION_MS, MAX_EXPECTATIONS, MAX_FILTER_FIELDS, MAX_TEXT } from './errors';
import {
  checkFields, child, isObject, missing, own, readBound, readEnum, readInt, readObject, readText, wrongType, type JsonObject, type Spot,
} from './readers';
import {
  EXPECTATION_KINDS, type CheckpointsExpectation, type ExactlyOnceExpectation, type FieldFilterValue, type MaxRestartsExpectation,
  type RecordsLostExpectation, type ScenarioExpectations, type SinkExpectation, type ThroughputRatioExpectation, type TimeWindow,
} from './types';

type ListKind = Exclude<(typeof EXPECTATION_KINDS)[number], 'exactlyOnce'>;

/** Validates `$.expect`; returns the normalised expectations when all are valid. */
export function validateExpect(root: Spot, doc: JsonObject, durationMs: number | undefined): ScenarioExpectations | undefined {
  const expect = readObject(root, doc, 'expect', 'an object of checks, e.g. { "sink": { "sink": "out", "of": "written", "atLeast": 1 } } (it may be empty)');
  if (expect === undefined) return undefined;
  const spot = child(root, 'expect', '"expect"');
  const before = spot.issues.errors.length;
  checkFields(spot, expect, EXPECTATION_KINDS);
  const result: ScenarioExpectations = {};
  const once = readExactlyOnce(spot, expect);
  if (once !== undefined) result.exactlyOnce = once;
  const set = <K extends ListKind>(kind: K, list: ScenarioExpectations[K] | undefined): void => {
    if (list !== undefined) result[kind] = list;
  };
  set('maxRestarts', readList(spot, expect, 'maxRestarts', readMaxRestarts));
  set('checkpoints', readList(spot, expect, 'checkpoints', readCheckpoints));
  set('recordsLost', readList(spot, expect, 'recordsLost', readRecordsLost));
  set('throughputRatio', readList(spot, expect, 'throughputRatio', (s, o) => readThroughput(s, o, durationMs)));
  set('sink', readList(spot, expect, 'sink', readSink));
  return spot.issues.errors.length > before ? undefined : result;
}

function readList<T>(spot: Spot, expect: JsonObject, kind: ListKind, read: (s: Spot, o: JsonObject) => T | undefined): T[] | undefined {
  const value = own(expect, kind);
  if (value === undefined) return undefined;
  if (isObject(value)) {
    const item = read(child(spot, kind, `expectation "${kind}"`), value);
    return item === undefined ? undefined : [item];
  }
  if (!Array.isArray(value)) return void wrongType(spot, kind, 'an object or a list of objects', value);
  if (value.length > MAX_EXPECTATIONS) {
    return void spot.issues.add('scenario.tooMany', childPath(spot.path, kind), { field: show(kind), count: value.length, limit: MAX_EXPECTATIONS });
  }
  const items: T[] = [];
  const listSpot = child(spot, kind, `expectation "${kind}"`);
  (value as readonly unknown[]).forEach((raw, i) => {
    const itemSpot = child(listSpot, i, `expectation "${kind}" ${i}`);
    if (!isObject(raw)) {
      spot.issues.add('scenario.wrongType', itemSpot.path, { field: 'each entry', where: `"${kind}"`, expected: 'an object', actual: describeJsonType(raw) });
      return;
    }
    const item = read(itemSpot, raw);
    if (item !== undefined) items.push(item);
  });
  return items;
}

function readName(spot: Spot, obj: JsonObject): { name?: string } {
  const name = readText(spot, obj, 'name', MAX_TEXT);
  return name === undefined ? {} : { name };
}

function readOperator(spot: Spot, obj: JsonObject, hint?: string): string | undefined {
  return readText(spot, obj, 'operator', MAX_ID_LENGTH, hint);
}

function readExactlyOnce(spot: Spot, expect: JsonObject): ExactlyOnceExpectation | undefined {
  const value = own(expect, 'exactlyOnce');
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (!isObject(value)) return void wrongType(spot, 'exactlyOnce', 'true, false or an object { "sinks": [...], "match": "equal" }', value);
  const s = child(spot, 'exactlyOnce', 'expectation "exactlyOnce"');
  checkFields(s, value, ['name', 'sinks', 'match']);
  const result: ExactlyOnceExpectation = { ...readName(s, value) };
  const match = readEnum(s, value, 'match', ['equal', 'subset'] as const);
  if (match !== undefined) result.match = match;
  const sinks = own(value, 'sinks');
  if (sinks !== undefined) {
    if (!Array.isArray(sinks) || sinks.length > MAX_EXPECTATIONS || !sinks.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID_LENGTH)) {
      wrongType(s, 'sinks', `a list of at most ${MAX_EXPECTATIONS} sink ids`, sinks);
    } else {
      result.sinks = [...(sinks as string[])];
    }
  }
  return result;
}

function readMaxRestarts(spot: Spot, obj: JsonObject): MaxRestartsExpectation | undefined {
  checkFields(spot, obj, ['name', 'max', 'operator', 'subtask', 'region']);
  const max = readInt(spot, obj, 'max', 0, 1_000_000, 'the most restarts allowed, e.g. 1');
  const operator = readOperator(spot, obj);
  const subtask = readInt(spot, obj, 'subtask', 0, 32_767);
  const region = readInt(spot, obj, 'region', 1, 1_000_000);
  if ((subtask !== undefined && operator === undefined && own(obj, 'operator') === undefined) || (operator !== undefined && region !== undefined)) {
    spot.issues.add('scenario.restartsTarget', spot.path, { where: spot.where });
    return undefined;
  }
  if (max === undefined) return undefined;
  const result: MaxRestartsExpectation = { ...readName(spot, obj), max };
  if (operator !== undefined) result.operator = operator;
  if (subtask !== undefined) result.subtask = subtask;
  if (region !== undefined) result.region = region;
  return result;
}

function readCheckpoints(spot: Spot, obj: JsonObject): CheckpointsExpectation | undefined {
  checkFields(spot, obj, ['name', 'region', 'completed', 'failed']);
  const result: CheckpointsExpectation = { ...readName(spot, obj) };
  const region = readInt(spot, obj, 'region', 1, 1_000_000);
  if (region !== undefined) result.region = region;
  for (const key of ['completed', 'failed'] as const) {
    const raw = readObject(spot, obj, key);
    if (raw === undefined) continue;
    const s = child(spot, key, `"${key}" of ${spot.where}`);
    checkFields(s, raw, ['atLeast', 'atMost', 'equals']);
    const bound = readBound(s, raw, true);
    if (bound !== undefined) result[key] = bound;
  }
  if (own(obj, 'completed') === undefined && own(obj, 'failed') === undefined) {
    spot.issues.add('scenario.checkpointsEmpty', spot.path, { where: spot.where });
  }
  return result;
}

function readRecordsLost(spot: Spot, obj: JsonObject): RecordsLostExpectation | undefined {
  checkFields(spot, obj, ['name', 'operator', 'atLeast', 'atMost', 'equals']);
  const operator = readOperator(spot, obj);
  const bound = readBound(spot, obj, true);
  if (bound === undefined) return undefined;
  return { ...readName(spot, obj), ...(operator === undefined ? {} : { operator }), ...bound };
}

function readWindow(spot: Spot, obj: JsonObject, key: 'before' | 'after', durationMs: number | undefined): TimeWindow | undefined {
  const raw = readObject(spot, obj, key, `a window { "fromMs": …, "toMs": … } of virtual time ${key === 'before' ? 'to compare against' : 'to measure'}`);
  if (raw === undefined) return undefined;
  const s = child(spot, key, `"${key}" of ${spot.where}`);
  checkFields(s, raw, ['fromMs', 'toMs']);
  const fromMs = readInt(s, raw, 'fromMs', 0, MAX_DURATION_MS, 'where the window starts, in virtual ms');
  const toMs = readInt(s, raw, 'toMs', 0, MAX_DURATION_MS, 'where the window ends, in virtual ms');
  if (fromMs === undefined || toMs === undefined) return undefined;
  if (fromMs >= toMs || (durationMs !== undefined && toMs > durationMs)) {
    return void s.issues.add('scenario.window', s.path, { where: s.where, duration: durationMs ?? 'unknown', fromMs, toMs });
  }
  return { fromMs, toMs };
}

function readThroughput(spot: Spot, obj: JsonObject, durationMs: number | undefined): ThroughputRatioExpectation | undefined {
  checkFields(spot, obj, ['name', 'operator', 'measure', 'before', 'after', 'atLeast', 'atMost']);
  const operator = readOperator(spot, obj, 'the operator whose records per second are compared');
  const measure = readEnum(spot, obj, 'measure', ['in', 'out'] as const);
  const before = readWindow(spot, obj, 'before', durationMs);
  const after = readWindow(spot, obj, 'after', durationMs);
  const bound = readBound(spot, obj, true, true);
  if (operator === undefined || before === undefined || after === undefined || bound === undefined) return undefined;
  const result: ThroughputRatioExpectation = { ...readName(spot, obj), operator, before, after };
  if (measure !== undefined) result.measure = measure;
  if (bound.atLeast !== undefined) result.atLeast = bound.atLeast;
  if (bound.atMost !== undefined) result.atMost = bound.atMost;
  return result;
}

function readSink(spot: Spot, obj: JsonObject): SinkExpectation | undefined {
  checkFields(spot, obj, ['name', 'sink', 'of', 'where', 'atLeast', 'atMost', 'equals']);
  const sink = readText(spot, obj, 'sink', MAX_ID_LENGTH, 'the id of a collect sink');
  const of = readEnum(spot, obj, 'of', ['committed', 'written'] as const);
  const where = readFilter(spot, obj);
  const bound = readBound(spot, obj, true);
  if (sink === undefined || bound === undefined || where === null) return undefined;
  const result: SinkExpectation = { ...readName(spot, obj), sink };
  if (of !== undefined) result.of = of;
  if (where !== undefined) result.where = where;
  return { ...result, ...bound };
}

/** `where`: field name → scalar; null after a problem (undefined when absent). */
function readFilter(spot: Spot, obj: JsonObject): Record<string, FieldFilterValue> | undefined | null {
  const raw = readObject(spot, obj, 'where');
  if (raw === undefined) return own(obj, 'where') === undefined ? undefined : null;
  const s = child(spot, 'where', `"where" of ${spot.where}`);
  const keys = Object.keys(raw);
  if (keys.length > MAX_FILTER_FIELDS) {
    s.issues.add('scenario.tooMany', s.path, { field: '"where"', count: keys.length, limit: MAX_FILTER_FIELDS });
    return null;
  }
  const filter: Record<string, FieldFilterValue> = {};
  let ok = true;
  for (const key of keys) {
    const value = raw[key];
    // Forbidden keys are reported by the document scan; they are never copied.
    if (FORBIDDEN_KEYS.has(key)) {
      ok = false;
    } else if (!FIELD_NAME_PATTERN.test(key)) {
      s.issues.add('scenario.wrongType', childPath(s.path, key), { field: show(key), where: s.where, expected: 'a record field name (letters, digits, "_")', actual: 'another name' });
      ok = false;
    } else if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      if (typeof value === 'string' && value.length > MAX_TEXT) {
        s.issues.add('scenario.tooLong', childPath(s.path, key), { field: show(key), where: s.where, length: value.length, limit: MAX_TEXT });
        ok = false;
      } else {
        filter[key] = value;
      }
    } else {
      wrongType(s, key, 'text, a number, true, false or null', value);
      ok = false;
    }
  }
  if (keys.length === 0) missing(s, '<field>', 'at least one field to match, e.g. { "key": "key-1" }');
  return ok && keys.length > 0 ? filter : null;
}

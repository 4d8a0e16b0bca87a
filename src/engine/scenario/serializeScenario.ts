/**
 * Canonical JSON for scenarios: a fixed key order at every level and two-space indentation,
 * so exported and recorded scenarios diff well and export → import → export is byte-identical.
 * The inline job is written in the job's own canonical form.
 */
import { canonicalJob } from '../job/serialize';
import { DEFAULT_RUN_CONFIG } from '../runtime/runConfig';
import { ACTION_FIELDS } from './validateTimeline';
import { EXPECTATION_KINDS, type Scenario, type ScenarioExpectations, type TimelineEntry } from './types';

const RUN_ORDER = ['durationMs', ...Object.keys(DEFAULT_RUN_CONFIG)];
const EXPECTATION_ORDER = [
  'name', 'sink', 'operator', 'subtask', 'region', 'measure', 'of', 'where', 'before', 'after', 'max',
  'completed', 'failed', 'sinks', 'match', 'atLeast', 'atMost', 'equals',
];

/** A copy of `obj` with keys in `order` first, then any others alphabetically; undefined values dropped. */
function ordered(obj: object, order: readonly string[]): Record<string, unknown> {
  const source = obj as Record<string, unknown>;
  const keys = Object.keys(source).filter((k) => source[k] !== undefined);
  const known = order.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !order.includes(k)).sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) out[key] = source[key];
  return out;
}

function entryOrder(entry: TimelineEntry): Record<string, unknown> {
  return ordered(entry, ['atMs', 'do', ...ACTION_FIELDS[entry.do], 'text']);
}

function expectationEntry(value: object): Record<string, unknown> {
  const out = ordered(value, EXPECTATION_ORDER);
  for (const key of ['before', 'after', 'completed', 'failed']) {
    const inner = out[key];
    if (typeof inner === 'object' && inner !== null) out[key] = ordered(inner, ['fromMs', 'toMs', 'atLeast', 'atMost', 'equals']);
  }
  if (typeof out.where === 'object' && out.where !== null) out.where = ordered(out.where, []);
  return out;
}

function expectations(expect: ScenarioExpectations): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of EXPECTATION_KINDS) {
    const value = expect[kind];
    if (value === undefined) continue;
    if (kind === 'exactlyOnce') {
      out[kind] = Object.keys(value).length === 0 ? true : expectationEntry(value);
    } else {
      out[kind] = (value as object[]).map(expectationEntry);
    }
  }
  return out;
}

/** The scenario as plain data in canonical key order. */
export function canonicalScenario(scenario: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = { sluice: scenario.sluice, name: scenario.name };
  if (scenario.description !== undefined) out.description = scenario.description;
  out.job = typeof scenario.job === 'string' ? scenario.job : canonicalJob(scenario.job);
  out.run = ordered(scenario.run, RUN_ORDER);
  out.timeline = scenario.timeline.map(entryOrder);
  out.expect = expectations(scenario.expect);
  return out;
}

/** The scenario as canonical JSON text (two-space indentation, ending with a newline). */
export function serializeScenario(scenario: Scenario): string {
  return `${JSON.stringify(canonicalScenario(scenario), null, 2)}\n`;
}

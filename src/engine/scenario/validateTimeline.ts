/**
 * Validating the timeline: a list of at most `MAX_TIMELINE_ENTRIES` entries `{ atMs, do,
 * ...fields, text? }`, each with exactly the fields of its action.
 *
 * Order: entries must be in non-decreasing `atMs` (reported, not sorted). A file is read by
 * people as a story, so its order must be the order things happen; sorting silently would let
 * a typo in one time move a fault past the narration that explains it. Entries at the same
 * time apply in file order.
 */
import { describeJsonType, show } from '../job/errors';
import { childPath } from '../job/issues';
import { MAX_ID_LENGTH } from '../job/limits';
import type { ChannelSelection } from '../runtime/runConfig';
import { didYouMean, MAX_DURATION_MS, MAX_TEXT, MAX_TIMELINE_ENTRIES } from './errors';
import { checkFields, child, isObject, missing, own, readEnum, readInt, readNumber, readText, wrongType, type JsonObject, type Spot } from './readers';
import { TIMELINE_ACTIONS, type TimelineAction, type TimelineEntry } from './types';
import { MAX_STORE_LATENCY_MS } from '../ha/SlowCoordination';

/** Fields of each action besides `atMs`, `do` and `text`. */
export const ACTION_FIELDS: Readonly<Record<TimelineAction, readonly string[]>> = {
  'kill-task': ['operator', 'subtask'],
  'kill-taskmanager': ['taskManager'],
  'kill-jobmanager': [],
  'slow-task': ['operator', 'subtask', 'factor'],
  'fail-checkpoint': ['region'],
  'coordination-store-down': [],
  'coordination-store-up': [],
  'coordination-store-slow': ['latencyMs'],
  rescale: ['operator', 'parallelism'],
  'trigger-checkpoint': [],
  'set-channel-selection': ['selection', 'edge'],
  note: [],
  'drain-taskmanager': ['taskManager'],
  'undrain-taskmanager': ['taskManager'],
};

const SELECTIONS: readonly ChannelSelection[] = ['round-robin', 'backlog'];
/** Largest parallelism a rescale may ask for (the job limit on max parallelism). */
const MAX_RESCALE = 32_768;
/** Largest slow-task factor (the cluster refuses more). */
const MAX_FACTOR = 10_000;

/**
 * Validates `$.timeline`. `durationMs` is the run's length when it is valid (else times are
 * only checked against the largest allowed duration). Returns the entries when all are valid.
 */
export function validateTimeline(root: Spot, doc: JsonObject, durationMs: number | undefined): TimelineEntry[] | undefined {
  const value = own(doc, 'timeline');
  if (value === undefined) return void missing(root, 'timeline', 'a list of entries { "atMs": 0, "do": "note", "text": "…" } (it may be empty)');
  if (!Array.isArray(value)) return void wrongType(root, 'timeline', 'a list', value);
  const path = childPath(root.path, 'timeline');
  if (value.length > MAX_TIMELINE_ENTRIES) {
    return void root.issues.add('scenario.tooMany', path, { field: '"timeline"', count: value.length, limit: MAX_TIMELINE_ENTRIES });
  }
  const entries: TimelineEntry[] = [];
  let ok = true;
  let previous = 0;
  (value as readonly unknown[]).forEach((raw, i) => {
    const spot: Spot = { issues: root.issues, path: childPath(path, i), where: `timeline entry ${i}` };
    const entry = readEntry(spot, raw, durationMs);
    if (entry === undefined) {
      ok = false;
      return;
    }
    if (entry.atMs < previous) {
      root.issues.add('scenario.order', childPath(spot.path, 'atMs'), { atMs: entry.atMs, previous });
      ok = false;
    }
    previous = Math.max(previous, entry.atMs);
    entries.push(entry);
  });
  return ok ? entries : undefined;
}

function readEntry(spot: Spot, raw: unknown, durationMs: number | undefined): TimelineEntry | undefined {
  if (!isObject(raw)) return void spot.issues.add('scenario.wrongType', spot.path, { field: 'each entry', where: 'the timeline', expected: 'an object', actual: describeJsonType(raw) });
  const action = readAction(spot, raw);
  const where: Spot = action === undefined ? spot : { ...spot, where: `${spot.where} (${action})` };
  const before = where.issues.errors.length;
  const atMs = readAtMs(where, raw, durationMs);
  const text = readText(where, raw, 'text', MAX_TEXT, action === 'note' ? 'the narration to show' : undefined);
  if (action === undefined) return undefined;
  checkFields(where, raw, ['atMs', 'do', 'text', ...ACTION_FIELDS[action]]);
  const fields = readActionFields(where, raw, action);
  if (atMs === undefined || fields === undefined || where.issues.errors.length > before) return undefined;
  const entry = { atMs, do: action, ...fields } as TimelineEntry;
  if (text !== undefined) entry.text = text;
  return entry;
}

function readAction(spot: Spot, raw: JsonObject): TimelineAction | undefined {
  const value = own(raw, 'do');
  if (value === undefined) return void missing(spot, 'do', `the action, one of ${TIMELINE_ACTIONS.join(', ')}`);
  if (typeof value === 'string' && (TIMELINE_ACTIONS as readonly string[]).includes(value)) return value as TimelineAction;
  spot.issues.add('scenario.actionUnknown', childPath(spot.path, 'do'), {
    value: show(value), suggestion: typeof value === 'string' ? didYouMean(value, TIMELINE_ACTIONS) : '', actions: TIMELINE_ACTIONS.join(', '),
  });
  return undefined;
}

function readAtMs(spot: Spot, raw: JsonObject, durationMs: number | undefined): number | undefined {
  const value = own(raw, 'atMs');
  if (value === undefined) return void missing(spot, 'atMs', 'the virtual time in ms at which the entry applies');
  const limit = durationMs ?? MAX_DURATION_MS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= limit) return value;
  spot.issues.add('scenario.atMs', childPath(spot.path, 'atMs'), { duration: durationMs ?? 'unknown', value: show(value) });
  return undefined;
}

/** An operator id: text of at most the id length (whether it exists is a cross-check). */
function readOperatorId(spot: Spot, raw: JsonObject, required: boolean): string | undefined {
  return readText(spot, raw, 'operator', MAX_ID_LENGTH, required ? 'an operator id of the job' : undefined);
}

type ActionFields = Record<string, unknown>;

function readActionFields(spot: Spot, raw: JsonObject, action: TimelineAction): ActionFields | undefined {
  switch (action) {
    case 'kill-task':
      return all({ operator: readOperatorId(spot, raw, true), subtask: readInt(spot, raw, 'subtask', 0, MAX_RESCALE - 1, 'the subtask index, from 0') });
    case 'slow-task':
      return all({
        operator: readOperatorId(spot, raw, true),
        subtask: readInt(spot, raw, 'subtask', 0, MAX_RESCALE - 1, 'the subtask index, from 0'),
        factor: readNumber(spot, raw, 'factor', 0.001, MAX_FACTOR, 'the cost multiplier, e.g. 4 (1 restores normal speed)'),
      });
    case 'kill-taskmanager':
    case 'drain-taskmanager':
    case 'undrain-taskmanager':
      return all({ taskManager: readInt(spot, raw, 'taskManager', 0, 1000, 'the TaskManager index, from 0') });
    case 'fail-checkpoint':
      return all({ region: readInt(spot, raw, 'region', 1, 1_000_000, 'the region id (regions are numbered from 1)') });
    case 'coordination-store-slow':
      return all({ latencyMs: readInt(spot, raw, 'latencyMs', 0, MAX_STORE_LATENCY_MS, 'wall ms each coordination-store call waits (0 restores it)') });
    case 'rescale':
      return readRescale(spot, raw);
    case 'set-channel-selection': {
      const selection = readEnum(spot, raw, 'selection', SELECTIONS, '"round-robin" or "backlog"');
      const edge = readText(spot, raw, 'edge', 2 * MAX_ID_LENGTH + 2);
      if (selection === undefined) return undefined;
      return edge === undefined ? { selection } : { selection, edge };
    }
    default:
      return {};
  }
}

function readRescale(spot: Spot, raw: JsonObject): ActionFields | undefined {
  const operator = own(raw, 'operator');
  let target: string | null | undefined = null;
  if (operator === undefined) {
    missing(spot, 'operator', 'an operator id, or null to rescale the whole job');
    target = undefined;
  } else if (operator !== null) {
    target = readOperatorId(spot, raw, true);
  }
  const parallelism = readInt(spot, raw, 'parallelism', 1, MAX_RESCALE, 'the new parallelism');
  return target === undefined || parallelism === undefined ? undefined : { operator: target, parallelism };
}

/** The fields when every one was read, else undefined. */
function all(fields: Record<string, unknown>): ActionFields | undefined {
  return Object.values(fields).every((v) => v !== undefined) ? fields : undefined;
}

/** A spot for entry `i` of the timeline (used by cross-checks). */
export function entrySpot(root: Spot, i: number, action: string): Spot {
  return child(child(root, 'timeline', 'the timeline'), i, `timeline entry ${i} (${action})`);
}

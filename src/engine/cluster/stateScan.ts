/**
 * The state processor (seed 2: "extended the State Processor API to read all operator IDs …
 * deserialize only keys … This enables key-group recomputation"): every key of a keyed
 * operator's state, a page at a time, with each key's key group now and under another max
 * parallelism — what a rescale beyond the current max parallelism would need, since Flink
 * (and Sluice) can only rescale within the key groups an operator was started with.
 *
 * The JobManager side, decided purely except for `ask`: it walks the operator's subtasks in
 * index order (their key-group ranges ascend, keygroups/keyGroups.ts), asks each subtask's
 * TaskManager for rows between ticks (`scan-state`, stateScanTask.ts) until the page is full,
 * decodes keys (state/keyEncoding.ts) and recomputes key groups with Flink's formulas. The
 * cursor is opaque to callers: where the next page starts. The cluster reads a page between two
 * ticks, so a page shows one instant; a running job changes state between pages.
 */
import { CATALOGUE } from '../job/catalogue';
import type { JavaKey } from '../keygroups/javaHash';
import {
  keyGroupForKey, keyGroupRangeForOperator, MAX_MAX_PARALLELISM, operatorIndexForKeyGroup,
} from '../keygroups/keyGroups';
import type { ScanStateMessage, StateScanReply } from '../runtime/protocol';
import { stableIdOf } from '../plan/operatorIds';
import { decodeKey, splitUserKey } from '../state/keyEncoding';
import { coded, type LookupFacts } from './stateLookup';

/** Rows per page unless asked otherwise, and the most a page may hold (values; keys only). */
export const SCAN_DEFAULT_LIMIT = 100;
export const SCAN_MAX_LIMIT = 1_000;
export const SCAN_MAX_KEYS_ONLY_LIMIT = 10_000;

export interface StateScanOptions {
  /** Recompute key groups for this max parallelism (default: the operator's own). */
  maxParallelism?: number;
  /** Which subtask would own each key at this parallelism (default: the operator's, capped by `maxParallelism`). */
  parallelism?: number;
  /** Rows per page (default 100; at most 1,000 with values, 10,000 keys only). */
  limit?: number;
  /** From a previous page's `cursor`; absent or null: the first page. */
  cursor?: string | null;
  /** False: keys only, values null (cheaper pages). Default true. */
  values?: boolean;
}

/** A Java key as the state processor shows it. */
export type ScannedKey = string | number | boolean;

export interface ScannedRow {
  /** The record key (a Long shows as its decimal text, with `javaType` 'Long'). */
  key: ScannedKey;
  javaType: 'String' | 'Integer' | 'Long' | 'Boolean';
  state: string;
  /** '' outside windows; a window's namespace otherwise. */
  namespace: string;
  /** The stored value (plain data), or null when the page was read keys only. */
  value: unknown;
  keyGroup: number;
  subtask: number;
  taskManager: number;
  /** The key's key group under the target max parallelism, and its subtask at the target parallelism. */
  target: { keyGroup: number; subtask: number };
}

export interface StateScanPage {
  operatorId: string;
  stateId: string;
  name: string;
  maxParallelism: number;
  parallelism: number;
  target: { maxParallelism: number; parallelism: number };
  rows: ScannedRow[];
  /** Pass back for the next page; null after the last. */
  cursor: string | null;
  /** Key groups the page read (a measure of its cost). */
  keyGroupsRead: number;
}

/** Asks TaskManager `taskManager` for a page (between ticks); the host adds the request id. */
export type ScanAsk = (taskManager: number, message: Omit<ScanStateMessage, 'requestId'>) => Promise<StateScanReply>;

interface Position {
  subtask: number;
  keyGroup: number;
  after?: [string, string];
}

const CURSOR_TAG = 'scan/1';

function encodeCursor(operatorId: string, targetMax: number, at: Position): string {
  return JSON.stringify([CURSOR_TAG, operatorId, targetMax, at.subtask, at.keyGroup, at.after ?? null]);
}

function decodeCursor(cursor: string, operatorId: string): Position {
  let parts: unknown;
  try {
    parts = JSON.parse(cursor);
  } catch {
    parts = null;
  }
  const ok = Array.isArray(parts) && parts.length === 6 && parts[0] === CURSOR_TAG && parts[1] === operatorId
    && Number.isInteger(parts[3]) && Number.isInteger(parts[4]);
  if (!ok) throw coded('state.scan.badCursor', `That cursor does not continue a scan of '${operatorId}'; start again without a cursor.`);
  const [, , , subtask, keyGroup, after] = parts as [string, string, number, number, number, [string, string] | null];
  return after === null ? { subtask, keyGroup } : { subtask, keyGroup, after };
}

function javaTypeOf(key: JavaKey): ScannedRow['javaType'] {
  switch (typeof key) {
    case 'string': return 'String';
    case 'number': return 'Integer';
    case 'bigint': return 'Long';
    default: return 'Boolean';
  }
}

function boundedInt(value: number | undefined, fallback: number, min: number, max: number, code: string, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw coded(code, `${what} must be a whole number from ${min} to ${max}, not ${String(value)}.`);
  return value;
}

/** One page of an operator's keyed state; see the module comment. @throws Error with a `code`. */
export async function scanOperatorState(facts: LookupFacts, operatorId: string, options: StateScanOptions, ask: ScanAsk): Promise<StateScanPage> {
  const op = facts.job.operators.find((o) => o.id === operatorId);
  if (op === undefined) throw coded('state.scan.unknownOperator', `Operator '${operatorId}' does not exist in this job.`);
  if (CATALOGUE[op.kind].category !== 'keyed') {
    throw coded('state.scan.notKeyed', `Operator '${op.name}' (${op.id}) is a ${op.kind} operator and keeps no keyed state; scan a keyed operator (aggregate, window, dedup).`);
  }
  const subtasks = facts.graph.subtasks.filter((s) => s.operatorId === op.id);
  const first = subtasks[0];
  if (first === undefined) throw new Error(`Operator ${op.id} has no subtasks in the plan.`);
  const { maxParallelism, parallelism } = first;
  const targetMax = boundedInt(options.maxParallelism, maxParallelism, 1, MAX_MAX_PARALLELISM, 'state.scan.badMaxParallelism', 'The max parallelism to recompute key groups for');
  const targetP = boundedInt(options.parallelism, Math.min(parallelism, targetMax), 1, targetMax, 'state.scan.badParallelism', `The parallelism to assign key groups to (at most the max parallelism ${targetMax})`);
  const values = options.values !== false;
  const limit = boundedInt(options.limit, SCAN_DEFAULT_LIMIT, 1, values ? SCAN_MAX_LIMIT : SCAN_MAX_KEYS_ONLY_LIMIT, 'state.scan.badLimit', 'The page size');
  let at: Position | null = options.cursor === undefined || options.cursor === null
    ? { subtask: 0, keyGroup: keyGroupRangeForOperator(maxParallelism, parallelism, 0).start }
    : decodeCursor(options.cursor, op.id);
  const rows: ScannedRow[] = [];
  let keyGroupsRead = 0;
  while (at !== null && rows.length < limit && at.subtask < parallelism) {
    const subtask: number = at.subtask;
    const placed = facts.placement.find((p) => p.operatorId === op.id && p.index === subtask);
    if (placed === undefined) throw new Error(`Subtask ${op.id}#${subtask} has no placement.`);
    if (facts.alive[placed.taskManager] !== true) {
      throw coded('state.scan.taskManagerLost', `Subtask ${subtask} of '${op.name}' runs on TaskManager ${placed.taskManager}, which is lost; scan again once the job has restored it.`);
    }
    const reply = await ask(placed.taskManager, {
      type: 'scan-state', operatorId: op.id, subtask, fromKeyGroup: at.keyGroup, limit: limit - rows.length, values,
      ...(at.after === undefined ? {} : { after: at.after }),
    });
    if (!reply.ok) throw coded(reply.failure.code, reply.failure.message);
    keyGroupsRead += reply.keyGroupsRead;
    for (const [keyGroup, state, userKey, value] of reply.rows) {
      const { encodedKey, namespace } = splitUserKey(userKey);
      const key = decodeKey(encodedKey);
      const targetKeyGroup = keyGroupForKey(key, targetMax);
      rows.push({
        key: typeof key === 'bigint' ? key.toString() : key, javaType: javaTypeOf(key), state, namespace, value,
        keyGroup, subtask, taskManager: placed.taskManager,
        target: { keyGroup: targetKeyGroup, subtask: operatorIndexForKeyGroup(targetMax, targetP, targetKeyGroup) },
      });
    }
    if (reply.next !== null) at = { subtask, ...reply.next };
    else at = subtask + 1 < parallelism ? { subtask: subtask + 1, keyGroup: keyGroupRangeForOperator(maxParallelism, parallelism, subtask + 1).start } : null;
  }
  return {
    operatorId: op.id, stateId: stableIdOf(facts.job, op.id), name: op.name, maxParallelism, parallelism,
    target: { maxParallelism: targetMax, parallelism: targetP },
    rows, cursor: at === null ? null : encodeCursor(op.id, targetMax, at), keyGroupsRead,
  };
}

/**
 * "What is this key's state?" (the State panel's lookup, `lookupState`), decided purely
 * (STYLE.md habit 2): `routeLookup` maps an operator and a key to the key group, subtask and
 * TaskManager holding its state — with Flink's key-group assignment, the same the network
 * routes by — or to the one reason it cannot be looked up; `lookupAnswer` turns the
 * TaskManager's rows into the public {@link StateLookup}.
 *
 * The key is matched as the job's keyBy produces it (operators/keySelector.ts): a string is a
 * Java String, a number an Integer (int32 only), so `'7'` and `7` are different keys.
 */
import { CATALOGUE } from '../job/catalogue';
import type { JobGraph } from '../job/types';
import { isInt32 } from '../keygroups/javaHash';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import type { ExecutionGraph } from '../plan/executionGraph';
import type { SubtaskPlacement } from '../runtime/protocol';
import type { StateLookup } from '../runtime/telemetry';
import { encodeKey, splitUserKey } from '../state/keyEncoding';

/** Where one key's state lives. */
export interface LookupTarget {
  operatorId: string;
  key: string | number;
  encodedKey: string;
  keyGroup: number;
  subtask: number;
  taskManager: number;
}

export type LookupRoute =
  | { ok: true; target: LookupTarget }
  /** `code`: `state.lookup.noRun`, `.unknownOperator`, `.notKeyed`, `.badKey` or `.taskManagerLost`. */
  | { ok: false; code: string; message: string };

export interface LookupFacts {
  job: JobGraph;
  graph: ExecutionGraph;
  placement: readonly SubtaskPlacement[];
  /** Is TaskManager i alive? */
  alive: readonly boolean[];
}

/** Decides where `key` of `operatorId` lives (see the module comment). */
export function routeLookup(facts: LookupFacts, operatorId: string, key: unknown): LookupRoute {
  const op = facts.job.operators.find((o) => o.id === operatorId);
  if (op === undefined) {
    const keyed = facts.job.operators.filter((o) => CATALOGUE[o.kind].category === 'keyed').map((o) => o.id);
    return {
      ok: false, code: 'state.lookup.unknownOperator',
      message: `Operator '${String(operatorId)}' does not exist in this job${keyed.length > 0 ? `; keyed operators: ${keyed.join(', ')}` : ''}.`,
    };
  }
  if (CATALOGUE[op.kind].category !== 'keyed') {
    return {
      ok: false, code: 'state.lookup.notKeyed',
      message: `Operator '${op.name}' (${op.id}) is a ${op.kind} operator and keeps no keyed state; look up a key of a keyed operator (aggregate, window, dedup).`,
    };
  }
  if (typeof key !== 'string' && !(typeof key === 'number' && isInt32(key))) {
    return {
      ok: false, code: 'state.lookup.badKey',
      message: `A key to look up is text or an integer within the int32 range, as the job's keyBy produces it, not ${JSON.stringify(key) ?? String(key)}.`,
    };
  }
  const subtask0 = facts.graph.subtasks.find((s) => s.operatorId === op.id);
  if (subtask0 === undefined) throw new Error(`Operator ${op.id} has no subtasks in the plan.`);
  const keyGroup = keyGroupForKey(key, subtask0.maxParallelism);
  const subtask = operatorIndexForKeyGroup(subtask0.maxParallelism, subtask0.parallelism, keyGroup);
  const placed = facts.placement.find((p) => p.operatorId === op.id && p.index === subtask);
  if (placed === undefined) throw new Error(`Subtask ${op.id}#${subtask} has no placement.`);
  if (facts.alive[placed.taskManager] !== true) {
    return {
      ok: false, code: 'state.lookup.taskManagerLost',
      message: `Key ${JSON.stringify(key)} of '${op.name}' lives in key group ${keyGroup} of subtask ${subtask}, on TaskManager ${placed.taskManager}, which is lost; its state comes back when the job restores from a checkpoint.`,
    };
  }
  return { ok: true, target: { operatorId: op.id, key, encodedKey: encodeKey(key), keyGroup, subtask, taskManager: placed.taskManager } };
}

/** The public answer from the TaskManager's rows (`[stateName, userKey, value]`). */
export function lookupAnswer(target: LookupTarget, rows: readonly (readonly [string, string, unknown])[]): StateLookup {
  return {
    operatorId: target.operatorId, key: target.key, keyGroup: target.keyGroup, subtask: target.subtask, taskManager: target.taskManager,
    entries: rows.map(([state, userKey, value]) => ({ state, namespace: splitUserKey(userKey).namespace, value })),
  };
}

/** An Error carrying a stable code (comlink passes the message on; in-process callers see both). */
export function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

export function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

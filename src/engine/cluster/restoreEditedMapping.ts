/**
 * Which operator of an edited job takes which saved operator's state, when a saved run is
 * restored into a job that changed since (restoreEdited.ts): a pure decision (STYLE.md habit 2).
 *
 * Per operator, one outcome:
 * - `matched`: same stable id (plan/operatorIds.ts) on both sides — the normal case after a
 *   parallelism change, a new downstream operator, a partitioner or name change;
 * - `by-name`: no id match on either side, but the name is unique among the saved operators
 *   and among the new ones and the kinds agree — the seed's operator-name-assisted recovery
 *   (Bilibili maps checkpoint ids to DAG operators by name where names are unique). Only with
 *   the user's consent (`acceptNameMapping`) where the saved operator holds state (a stateless
 *   one has nothing to take); the restored job then pins the operator's `uid`
 *   to the saved id (Flink's `setUidHash`), so the next restore matches it by id;
 * - `new`: nothing saved for it: it starts empty (a source from its first record);
 * - `dropped`: a saved operator no new operator takes. When it held state (a source, a keyed
 *   operator, a collect sink) the restore needs `allowNonRestoredState`, as Flink's savepoint
 *   restore does;
 * - `ambiguous`: an unmatched operator whose name several operators share on one side: which
 *   one is meant cannot be told, so the restore is refused.
 *
 * Refusals besides ambiguity, each saying what to do: a saved id now on an operator of another
 * kind; a keyed operator whose max parallelism was set explicitly to another value than the
 * checkpoint's (its key groups would differ, so its rows could not be assigned to subtasks; left
 * unset it takes the checkpoint's, as Flink does); a parallelism above the checkpoint's max
 * parallelism; a collect sink at another parallelism (its transactions belong to its subtasks).
 */
import { CATALOGUE } from '../job/catalogue';
import type { OperatorKind } from '../job/types';

/** A saved operator, as the checkpoint knows it. */
export interface SavedOperatorFacts {
  /** Canvas id in the saved job. */
  planId: string;
  stableId: string;
  name: string;
  kind: OperatorKind;
  parallelism: number;
  maxParallelism: number;
}

/** An operator of the edited job. */
export interface EditedOperatorFacts {
  planId: string;
  stableId: string;
  name: string;
  kind: OperatorKind;
  parallelism: number;
  /** Its effective max parallelism, and whether the job sets it (or the formula derives it). */
  maxParallelism: number;
  maxParallelismSet: boolean;
}

export type RestoreOutcome = 'matched' | 'by-name' | 'new' | 'dropped' | 'ambiguous';

/** One row of the id ↔ name mapping shown before a restore. */
export interface RestoreMappingRow {
  outcome: RestoreOutcome;
  name: string;
  kind: OperatorKind;
  /** Canvas id in the edited job (not for `dropped`). */
  operatorId?: string;
  /** Stable id in the edited job (before pinning, for `by-name`). */
  stableId?: string;
  /** Canvas id and stable id in the saved run (`matched`, `by-name`, `dropped`). */
  savedOperatorId?: string;
  savedStableId?: string;
  /** Whether the saved operator holds state (source offsets, keyed state, sink transactions). */
  savedHasState?: boolean;
  /** Parallelism saved → now, when it changed (restored through the rescale path). */
  rescaled?: { from: number; to: number };
  /** Why, for `ambiguous`, `new` and `dropped` rows where there is more to say. */
  note?: string;
}

export interface RestoreRefusal {
  code: string;
  message: string;
  operatorId?: string;
}

/** The mapping and whatever stands in its way. */
export interface RestoreMapping {
  rows: RestoreMappingRow[];
  refusals: RestoreRefusal[];
  /** Some `by-name` rows take saved state: the restore needs `acceptNameMapping`. */
  needsNameConsent: boolean;
  /** Some `dropped` rows held state: the restore needs `allowNonRestoredState`. */
  needsDropConsent: boolean;
}

/** Does an operator of this kind keep state in a checkpoint? */
export function kindHoldsState(kind: OperatorKind): boolean {
  const category = CATALOGUE[kind]?.category;
  return category === 'source' || category === 'keyed' || kind === 'collect';
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** See the module comment. Rows follow the edited job's order, dropped operators last. */
export function mapOperators(saved: readonly SavedOperatorFacts[], edited: readonly EditedOperatorFacts[]): RestoreMapping {
  const savedById = new Map(saved.map((s) => [s.stableId, s]));
  const editedIds = new Set(edited.map((e) => e.stableId));
  const savedNames = countBy(saved, (s) => s.name);
  const editedNames = countBy(edited, (e) => e.name);
  const claimed = new Set<string>();
  const rows: RestoreMappingRow[] = [];
  const refusals: RestoreRefusal[] = [];
  for (const op of edited) {
    const base = { name: op.name, kind: op.kind, operatorId: op.planId, stableId: op.stableId };
    const byId = savedById.get(op.stableId);
    const unmatchedSaved = saved.filter((s) => !editedIds.has(s.stableId) && s.name === op.name);
    const match = byId ?? (unmatchedSaved.length === 1 && savedNames.get(op.name) === 1 && editedNames.get(op.name) === 1 ? unmatchedSaved[0] : undefined);
    if (match === undefined) {
      if (unmatchedSaved.length > 0) {
        const where = (savedNames.get(op.name) ?? 0) > 1 ? 'in the saved run' : 'in the edited job';
        const note = `The name "${op.name}" is used by more than one operator ${where}, so it cannot tell which saved operator this is.`;
        rows.push({ ...base, outcome: 'ambiguous', note });
        refusals.push({
          code: 'restore.ambiguousName', operatorId: op.planId,
          message: `${note} Give the operators distinct names, or set the uid of ${op.planId} to the saved id it should take (${unmatchedSaved.map((s) => `${s.planId}: ${s.stableId}`).join(', ')}).`,
        });
      } else {
        rows.push({ ...base, outcome: 'new' });
      }
      continue;
    }
    if (byId === undefined && match.kind !== op.kind) {
      rows.push({ ...base, outcome: 'new', note: `A saved operator is named "${op.name}" too, but it is a ${match.kind}, not a ${op.kind}.` });
      continue;
    }
    claimed.add(match.stableId);
    const row: RestoreMappingRow = {
      ...base, outcome: byId === undefined ? 'by-name' : 'matched', savedOperatorId: match.planId, savedStableId: match.stableId,
      savedHasState: kindHoldsState(match.kind),
    };
    if (match.parallelism !== op.parallelism) row.rescaled = { from: match.parallelism, to: op.parallelism };
    rows.push(row);
    refusals.push(...matchRefusals(match, op));
  }
  for (const s of saved) {
    if (claimed.has(s.stableId)) continue;
    rows.push({ outcome: 'dropped', name: s.name, kind: s.kind, savedOperatorId: s.planId, savedStableId: s.stableId, savedHasState: kindHoldsState(s.kind) });
  }
  return {
    rows, refusals,
    needsNameConsent: rows.some((r) => r.outcome === 'by-name' && r.savedHasState === true),
    needsDropConsent: rows.some((r) => r.outcome === 'dropped' && r.savedHasState === true),
  };
}

/** Why a matched pair cannot restore, if it cannot. */
function matchRefusals(saved: SavedOperatorFacts, op: EditedOperatorFacts): RestoreRefusal[] {
  const at = { operatorId: op.planId };
  if (saved.kind !== op.kind) {
    return [{ ...at, code: 'restore.kindChanged', message: `${op.name} (${op.planId}) has the saved id ${saved.stableId}, which was a ${saved.kind} and is now a ${op.kind}: one kind cannot read another's state. Change its uid, or its kind back.` }];
  }
  const keyed = CATALOGUE[op.kind]?.category === 'keyed';
  if (keyed && op.maxParallelismSet && op.maxParallelism !== saved.maxParallelism) {
    return [{ ...at, code: 'restore.maxParallelismChanged', message: `${op.name} has max parallelism ${op.maxParallelism}, but its state was checkpointed with ${saved.maxParallelism}: its keys fall into other key groups, so the saved key groups cannot be assigned to its subtasks. Set its max parallelism to ${saved.maxParallelism}, or clear the field (it then takes ${saved.maxParallelism} from the checkpoint).` }];
  }
  if (op.parallelism > saved.maxParallelism) {
    return [{ ...at, code: 'restore.aboveMaxParallelism', message: `${op.name} would run at parallelism ${op.parallelism}, above its max parallelism ${saved.maxParallelism} (its number of key groups, fixed by the checkpoint). Choose 1–${saved.maxParallelism}.` }];
  }
  if (op.kind === 'collect' && op.parallelism !== saved.parallelism) {
    return [{ ...at, code: 'restore.collectSinkParallelism', message: `${op.name} is a collect sink: its transactions belong to its ${saved.parallelism} subtask(s), so its parallelism must stay ${saved.parallelism} to restore.` }];
  }
  return [];
}

/**
 * The state processor's tallies in the State tab: keys and rows per recomputed key group and
 * per target subtask, accumulated page by page from `scanState` rows (which come in key-group
 * order, a key's rows next to each other), so a full count never holds every key at once.
 * Pure bookkeeping over what the cluster returned; the key groups themselves come from it.
 */
import type { ScannedRow } from '../../../engine/cluster/stateScan';

export interface ScanTally {
  rows: number;
  keys: number;
  /** Target key group → keys whose rows map there (each key counted once). */
  keysByKeyGroup: Map<number, number>;
  /** Target subtask → keys. */
  keysBySubtask: Map<number, number>;
  /** The last key counted (`javaType:key@keyGroup`), so a key split over two pages counts once. */
  lastKey: string | null;
}

export function emptyTally(): ScanTally {
  return { rows: 0, keys: 0, keysByKeyGroup: new Map(), keysBySubtask: new Map(), lastKey: null };
}

/** Adds one page's rows (in scan order) to `tally`, in place; returns it. */
export function addPage(tally: ScanTally, rows: readonly ScannedRow[]): ScanTally {
  for (const row of rows) {
    tally.rows++;
    const id = `${row.javaType}:${String(row.key)}@${row.keyGroup}`;
    if (id === tally.lastKey) continue;
    tally.lastKey = id;
    tally.keys++;
    tally.keysByKeyGroup.set(row.target.keyGroup, (tally.keysByKeyGroup.get(row.target.keyGroup) ?? 0) + 1);
    tally.keysBySubtask.set(row.target.subtask, (tally.keysBySubtask.get(row.target.subtask) ?? 0) + 1);
  }
  return tally;
}

/** Figures of a tally: non-empty target key groups, and the fullest one. */
export function tallyFigures(tally: ScanTally): { keyGroups: number; maxKeys: number; maxKeyGroup: number | null } {
  let maxKeys = 0;
  let maxKeyGroup: number | null = null;
  for (const [kg, n] of tally.keysByKeyGroup) {
    if (n > maxKeys || (n === maxKeys && maxKeyGroup !== null && kg < maxKeyGroup)) {
      maxKeys = n;
      maxKeyGroup = kg;
    }
  }
  return { keyGroups: tally.keysByKeyGroup.size, maxKeys, maxKeyGroup };
}

/** The value as the panel shows it: JSON, indented; bigints and non-JSON values as text. */
export function valueJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v.toString()}n` : v), 2);
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

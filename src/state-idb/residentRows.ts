/**
 * Rows of a backend view that are in memory: pinned and cached entries and pending writes.
 * `scan` (TTL cleanup only) and the state panel's key lookup read these; neither touches
 * IndexedDB. A `wholeKeyGroups` prepare makes a key group's entries complete first; rows only
 * on disk are otherwise not visited, and are still never returned expired (views check TTL on
 * read, and compaction drops them: shardOps.RowFilter).
 */
import type { CacheEntry } from './StateCache';
import { DELETED, findRow, recordKeyOf, type WriteBatch } from './WriteBatch';

/** What the view holds in memory. */
export interface ResidentView {
  /** The entry of a record key (pinned for the batch, else cached), if resident. */
  entryOf(keyGroup: number, encodedKey: string): CacheEntry | undefined;
  /** Entries of a key group: pinned ones first, then cached ones (may repeat). */
  entriesOf(keyGroup: number): Iterable<CacheEntry>;
  /** The newest pending write at an address (a value, DELETED, or undefined). */
  pending(keyGroup: number, stateName: string, userKey: string): unknown;
  /** Pending batches, oldest first. */
  batches(): readonly WriteBatch[];
}

/** Live rows of one state in one key group; tolerates puts and deletes while iterating. */
export function scanResident(view: ResidentView, keyGroup: number, stateName: string): IterableIterator<[string, unknown]> {
  const userKeys = new Set<string>();
  const seen = new Set<string>();
  for (const entry of view.entriesOf(keyGroup)) {
    if (entry.keyGroup !== keyGroup || seen.has(entry.encodedKey)) continue;
    seen.add(entry.encodedKey);
    for (let i = 0; i < entry.rows.length; i += 3) if (entry.rows[i] === stateName) userKeys.add(entry.rows[i + 1] as string);
  }
  for (const batch of view.batches()) {
    for (const [name, userKey, value] of batch.entriesOf(keyGroup)) {
      if (name === stateName && value !== DELETED && !seen.has(recordKeyOf(userKey))) userKeys.add(userKey);
    }
  }
  return liveRows(view, keyGroup, stateName, [...userKeys]);
}

/** Looks each row up again when reached, so rows deleted meanwhile are skipped. */
function* liveRows(view: ResidentView, keyGroup: number, stateName: string, userKeys: string[]): IterableIterator<[string, unknown]> {
  for (const userKey of userKeys) {
    const entry = view.entryOf(keyGroup, recordKeyOf(userKey));
    let value: unknown;
    if (entry !== undefined) {
      const at = findRow(entry.rows, stateName, userKey);
      value = at < 0 ? undefined : entry.rows[at + 2];
    } else {
      const pending = view.pending(keyGroup, stateName, userKey);
      value = pending === DELETED ? undefined : pending;
    }
    if (value !== undefined) yield [userKey, value];
  }
}

/** Every resident row of one record key as `[stateName, userKey, value]` (pending deletes left out). */
export function rowsOfKey(view: ResidentView, keyGroup: number, encodedKey: string): [string, string, unknown][] {
  const out: [string, string, unknown][] = [];
  const entry = view.entryOf(keyGroup, encodedKey);
  if (entry !== undefined) {
    const rows = entry.rows;
    for (let i = 0; i < rows.length; i += 3) out.push([rows[i] as string, rows[i + 1] as string, rows[i + 2]]);
    return out;
  }
  // Not resident: newest pending write per address wins.
  const newest = new Map<string, [string, string, unknown]>();
  for (const batch of view.batches()) {
    const list = batch.rowsOf(keyGroup, encodedKey) ?? [];
    for (let i = 0; i < list.length; i += 3) {
      newest.set(`${String(list[i])}\u0000${String(list[i + 1])}`, [list[i] as string, list[i + 1] as string, list[i + 2]]);
    }
  }
  for (const row of newest.values()) if (row[2] !== DELETED) out.push(row);
  return out;
}

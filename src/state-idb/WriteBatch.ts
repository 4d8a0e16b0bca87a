/**
 * The write batch of the IndexedDB backend (DESIGN.md §5, write path): puts and deletes since
 * the last flush, coalesced per address (the last write to a key wins, so a hot key costs one
 * entry however often it changes), grouped by key group (a flush writes one chunk row per
 * dirty key group) and by record key (a cache miss overlays the pending rows of one key).
 * Rows of a record key are a flat `[stateName, userKey, value | DELETED]` list: keys have few
 * rows (one per state and namespace), where a scan beats a Map in time and memory.
 */
import { KEY_SEPARATOR } from '../engine/state/keyEncoding';
import type { ChunkDeletion, ChunkEntry, ChunkRow } from './schema';

/** Marks a pending delete. */
export const DELETED: unique symbol = Symbol('deleted');

/** The record key a userKey belongs to: the part before the namespace separator. */
export function recordKeyOf(userKey: string): string {
  const cut = userKey.indexOf(KEY_SEPARATOR);
  return cut < 0 ? userKey : userKey.slice(0, cut);
}

/** Index of a row in a flat triple list, or -1. */
export function findRow(rows: readonly unknown[], stateName: string, userKey: string): number {
  for (let i = 0; i < rows.length; i += 3) if (rows[i + 1] === userKey && rows[i] === stateName) return i;
  return -1;
}

/** Sets a row in a flat triple list; returns true when the row is new. */
export function setRow(rows: unknown[], stateName: string, userKey: string, value: unknown): boolean {
  const at = findRow(rows, stateName, userKey);
  if (at >= 0) {
    rows[at + 2] = value;
    return false;
  }
  rows.push(stateName, userKey, value);
  return true;
}

/** Removes a row from a flat triple list (swap with the last); returns true when it existed. */
export function removeRow(rows: unknown[], stateName: string, userKey: string): boolean {
  const at = findRow(rows, stateName, userKey);
  if (at < 0) return false;
  const last = rows.length - 3;
  if (at !== last) {
    rows[at] = rows[last];
    rows[at + 1] = rows[last + 1];
    rows[at + 2] = rows[last + 2];
  }
  rows.length = last;
  return true;
}

export class WriteBatch {
  private groups = new Map<number, Map<string, unknown[]>>();
  private count = 0;
  /** Virtual time of the oldest write in the batch (latency threshold); undefined when empty. */
  firstWriteMs: number | undefined;

  /** Distinct addresses pending (after coalescing). */
  get size(): number {
    return this.count;
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown, nowMs = 0): void {
    this.set(keyGroup, stateName, userKey, value, nowMs);
  }

  delete(keyGroup: number, stateName: string, userKey: string, nowMs = 0): void {
    this.set(keyGroup, stateName, userKey, DELETED, nowMs);
  }

  /** The pending write at an address: a value, {@link DELETED}, or `undefined` when none. */
  lookup(keyGroup: number, stateName: string, userKey: string): unknown {
    const rows = this.groups.get(keyGroup)?.get(recordKeyOf(userKey));
    if (rows === undefined) return undefined;
    const at = findRow(rows, stateName, userKey);
    return at < 0 ? undefined : rows[at + 2];
  }

  /** Pending rows of one record key (flat triples, values may be {@link DELETED}); do not mutate. */
  rowsOf(keyGroup: number, encodedKey: string): readonly unknown[] | undefined {
    return this.groups.get(keyGroup)?.get(encodedKey);
  }

  keyGroups(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b);
  }

  /** Pending writes of one key group, as `[stateName, userKey, value | DELETED]`. */
  *entriesOf(keyGroup: number): IterableIterator<[string, string, unknown]> {
    const keys = this.groups.get(keyGroup);
    if (keys === undefined) return;
    for (const rows of keys.values()) {
      for (let i = 0; i < rows.length; i += 3) yield [rows[i] as string, rows[i + 1] as string, rows[i + 2]];
    }
  }

  /** One key group's pending writes as a chunk row. */
  chunkOf(keyGroup: number): ChunkRow {
    const puts: ChunkEntry[] = [];
    const deletes: ChunkDeletion[] = [];
    for (const [stateName, userKey, value] of this.entriesOf(keyGroup)) {
      if (value === DELETED) deletes.push([stateName, userKey]);
      else puts.push([stateName, userKey, value]);
    }
    return { puts, deletes };
  }

  /** Forgets the pending writes of the key groups selected (restore discards them). */
  discardWhere(select: (keyGroup: number) => boolean): void {
    for (const [keyGroup, keys] of this.groups) {
      if (!select(keyGroup)) continue;
      for (const rows of keys.values()) this.count -= rows.length / 3;
      this.groups.delete(keyGroup);
    }
    if (this.count === 0) this.firstWriteMs = undefined;
  }

  /** Hands over every pending write and starts empty (the flush takes this). */
  take(): WriteBatch {
    const taken = new WriteBatch();
    taken.groups = this.groups;
    taken.count = this.count;
    taken.firstWriteMs = this.firstWriteMs;
    this.groups = new Map();
    this.count = 0;
    this.firstWriteMs = undefined;
    return taken;
  }

  /**
   * Puts an older batch's writes back beneath this one's (a failed flush): writes in this batch
   * or in `newer` (batches taken after `older`, possibly committed first) win.
   */
  restoreUnder(older: WriteBatch, newer: readonly WriteBatch[] = []): void {
    for (const keyGroup of older.keyGroups()) {
      for (const [stateName, userKey, value] of older.entriesOf(keyGroup)) {
        if (this.lookup(keyGroup, stateName, userKey) !== undefined) continue;
        if (newer.some((batch) => batch.lookup(keyGroup, stateName, userKey) !== undefined)) continue;
        this.set(keyGroup, stateName, userKey, value, older.firstWriteMs ?? 0);
      }
    }
    if (older.firstWriteMs !== undefined) this.firstWriteMs = Math.min(this.firstWriteMs ?? Infinity, older.firstWriteMs);
  }

  private set(keyGroup: number, stateName: string, userKey: string, value: unknown, nowMs: number): void {
    let keys = this.groups.get(keyGroup);
    if (keys === undefined) {
      keys = new Map();
      this.groups.set(keyGroup, keys);
    }
    const encodedKey = recordKeyOf(userKey);
    let rows = keys.get(encodedKey);
    if (rows === undefined) {
      rows = [];
      keys.set(encodedKey, rows);
    }
    if (setRow(rows, stateName, userKey, value)) this.count++;
    this.firstWriteMs ??= nowMs;
  }
}

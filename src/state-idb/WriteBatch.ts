/**
 * The write batch of the IndexedDB backend (DESIGN.md §5, write path): puts and deletes since
 * the last flush, coalesced per address (the last write to a key wins, so a hot key costs one
 * entry however often it changes), grouped by key group (a flush writes one chunk row per
 * dirty key group) and by record key (a cache miss overlays the pending rows of one key).
 * Rows of a record key are a flat `[stateName, userKey, value | DELETED]` list: keys have few
 * rows (one per state and namespace), where a scan beats a Map in time and memory.
 *
 * A write allocates nothing but amortised array and Map growth: each key group's pending rows
 * are one flat array of `[stateName, userKey, value, next]` quads, indexed by userKey (the row
 * of that userKey written last); rows of the same userKey in other states chain through
 * `next`. Most userKeys have a single state, so the chain is one row long.
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

/** Slots per pending row: `[stateName, userKey, value | DELETED, next row of the same userKey or -1]`. */
const STRIDE = 4;

/** One key group's pending rows. */
interface GroupRows {
  /** Flat quads (see {@link STRIDE}). */
  readonly rows: unknown[];
  /** userKey → offset of its newest row in `rows`. */
  readonly index: Map<string, number>;
}

export class WriteBatch {
  private groups = new Map<number, GroupRows>();
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
    const group = this.groups.get(keyGroup);
    if (group === undefined) return undefined;
    const at = rowAt(group, stateName, userKey);
    return at < 0 ? undefined : group.rows[at + 2];
  }

  /** Pending rows of one record key as flat `[stateName, userKey, value | DELETED]` triples (a copy). */
  rowsOf(keyGroup: number, encodedKey: string): unknown[] | undefined {
    const rows = this.groups.get(keyGroup)?.rows;
    if (rows === undefined) return undefined;
    const out: unknown[] = [];
    for (let i = 0; i < rows.length; i += STRIDE) {
      if (recordKeyOf(rows[i + 1] as string) === encodedKey) out.push(rows[i], rows[i + 1], rows[i + 2]);
    }
    return out.length === 0 ? undefined : out;
  }

  keyGroups(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b);
  }

  /** Calls `visit` for each pending write of one key group (value may be {@link DELETED}). */
  forEachOf(keyGroup: number, visit: (stateName: string, userKey: string, value: unknown) => void): void {
    const rows = this.groups.get(keyGroup)?.rows;
    if (rows === undefined) return;
    for (let i = 0; i < rows.length; i += STRIDE) visit(rows[i] as string, rows[i + 1] as string, rows[i + 2]);
  }

  /** Pending writes of one key group, as `[stateName, userKey, value | DELETED]`. */
  *entriesOf(keyGroup: number): IterableIterator<[string, string, unknown]> {
    const rows = this.groups.get(keyGroup)?.rows;
    if (rows === undefined) return;
    // A batch only grows while iterated (rows are overwritten in place, never removed).
    for (let i = 0; i < rows.length; i += STRIDE) yield [rows[i] as string, rows[i + 1] as string, rows[i + 2]];
  }

  /** One key group's pending writes as a chunk row. */
  chunkOf(keyGroup: number): ChunkRow {
    const puts: ChunkEntry[] = [];
    const deletes: ChunkDeletion[] = [];
    const rows = this.groups.get(keyGroup)?.rows ?? [];
    for (let i = 0; i < rows.length; i += STRIDE) {
      const value = rows[i + 2];
      if (value === DELETED) deletes.push([rows[i] as string, rows[i + 1] as string]);
      else puts.push([rows[i] as string, rows[i + 1] as string, value]);
    }
    return { puts, deletes };
  }

  /** Forgets the pending writes of the key groups selected (restore discards them). */
  discardWhere(select: (keyGroup: number) => boolean): void {
    for (const [keyGroup, group] of this.groups) {
      if (!select(keyGroup)) continue;
      this.count -= group.rows.length / STRIDE;
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
      older.forEachOf(keyGroup, (stateName, userKey, value) => {
        if (this.lookup(keyGroup, stateName, userKey) !== undefined) return;
        if (newer.some((batch) => batch.lookup(keyGroup, stateName, userKey) !== undefined)) return;
        this.set(keyGroup, stateName, userKey, value, older.firstWriteMs ?? 0);
      });
    }
    if (older.firstWriteMs !== undefined) this.firstWriteMs = Math.min(this.firstWriteMs ?? Infinity, older.firstWriteMs);
  }

  private set(keyGroup: number, stateName: string, userKey: string, value: unknown, nowMs: number): void {
    let group = this.groups.get(keyGroup);
    if (group === undefined) {
      group = { rows: [], index: new Map() };
      this.groups.set(keyGroup, group);
    }
    const head = group.index.get(userKey);
    const rows = group.rows;
    for (let at = head ?? -1; at >= 0; at = rows[at + 3] as number) {
      if (rows[at] === stateName) {
        rows[at + 2] = value;
        return;
      }
    }
    group.index.set(userKey, rows.length);
    rows.push(stateName, userKey, value, head ?? -1);
    this.count++;
    this.firstWriteMs ??= nowMs;
  }
}

/** Offset of the row at (stateName, userKey) in a group's quads, or -1. */
function rowAt(group: GroupRows, stateName: string, userKey: string): number {
  const rows = group.rows;
  for (let at = group.index.get(userKey) ?? -1; at >= 0; at = rows[at + 3] as number) if (rows[at] === stateName) return at;
  return -1;
}

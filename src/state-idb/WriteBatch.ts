/**
 * The write batch of the IndexedDB backend (DESIGN.md §5, write path): puts and deletes since
 * the last flush, coalesced per address (the last write to a key wins, so a hot key costs one
 * entry however often it changes), grouped by key group so a flush writes one chunk row per
 * dirty key group. Reads consult it first (`lookup`), so they see unflushed writes.
 */
import type { ChunkDeletion, ChunkEntry, ChunkRow } from './schema';

/** Marks a pending delete. */
export const DELETED: unique symbol = Symbol('deleted');
export type Pending = unknown;

/** keyGroup → stateName → userKey → value or DELETED. */
type Groups = Map<number, Map<string, Map<string, Pending>>>;

export class WriteBatch {
  private groups: Groups = new Map();
  private count = 0;

  /** Distinct addresses pending (after coalescing). */
  get size(): number {
    return this.count;
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown): void {
    this.set(keyGroup, stateName, userKey, value);
  }

  delete(keyGroup: number, stateName: string, userKey: string): void {
    this.set(keyGroup, stateName, userKey, DELETED);
  }

  /** The pending write at an address: a value, {@link DELETED}, or `undefined` when none. */
  lookup(keyGroup: number, stateName: string, userKey: string): Pending {
    return this.groups.get(keyGroup)?.get(stateName)?.get(userKey);
  }

  keyGroups(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b);
  }

  /** Pending writes of one key group, as `[stateName, userKey, value | DELETED]`. */
  *entriesOf(keyGroup: number): IterableIterator<[string, string, Pending]> {
    const states = this.groups.get(keyGroup);
    if (states === undefined) return;
    for (const [stateName, rows] of states) for (const [userKey, value] of rows) yield [stateName, userKey, value];
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

  /** Forgets one key group's pending writes (restore discards them). */
  discard(keyGroup: number): void {
    const states = this.groups.get(keyGroup);
    if (states === undefined) return;
    for (const rows of states.values()) this.count -= rows.size;
    this.groups.delete(keyGroup);
  }

  /** Hands over every pending write and starts empty (the flush takes this). */
  take(): WriteBatch {
    const taken = new WriteBatch();
    taken.groups = this.groups;
    taken.count = this.count;
    this.groups = new Map();
    this.count = 0;
    return taken;
  }

  private set(keyGroup: number, stateName: string, userKey: string, value: Pending): void {
    let states = this.groups.get(keyGroup);
    if (states === undefined) {
      states = new Map();
      this.groups.set(keyGroup, states);
    }
    let rows = states.get(stateName);
    if (rows === undefined) {
      rows = new Map();
      states.set(stateName, rows);
    }
    if (!rows.has(userKey)) this.count++;
    rows.set(userKey, value);
  }
}

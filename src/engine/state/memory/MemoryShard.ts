/**
 * One key group of one operator in memory: the live tables plus a chain of sealed versions,
 * the memory twin of the IndexedDB design's per-shard MVCC (DESIGN.md §5).
 *
 * - `tables` is the live state: stateName → (userKey → value). Reads and writes touch only
 *   this, at Map speed.
 * - `dirty` remembers which rows changed since the last seal (one Set add per write). Until
 *   the first seal nothing is tracked (a job without checkpoints pays nothing): every live row
 *   counts as changed, and the first seal copies them all, which is exactly the change since
 *   "no state".
 * - `seal(n)` turns the dirty rows into version n: a delta holding the *current* values of
 *   those rows (or a tombstone). Cost: proportional to the rows changed.
 * - `revert(n)` brings the live tables back to version n: only rows that changed after n
 *   (dirty rows and rows of newer versions) are looked up in the chain. Cost: proportional to
 *   the change being undone, times the chain length in the worst case.
 * - `fold(n)` merges versions older than n into one base version, so the chain stays short
 *   once old checkpoints are no longer retained.
 *
 * Values are never copied: the port makes them immutable once put.
 */

/** Marks a row deleted in a version delta. */
const TOMBSTONE: unique symbol = Symbol('tombstone');

type Delta = Map<string, Map<string, unknown>>;

interface ShardVersion {
  checkpointId: number;
  /** stateName → (userKey → value or TOMBSTONE). */
  delta: Delta;
}

export class MemoryShard {
  readonly tables = new Map<string, Map<string, unknown>>();
  private dirty = new Map<string, Set<string>>();
  private versions: ShardVersion[] = [];
  /** False until the first seal: no per-write tracking before a snapshot needs it. */
  private tracking = false;

  constructor(readonly keyGroup: number) {}

  get(stateName: string, userKey: string): unknown {
    return this.tables.get(stateName)?.get(userKey);
  }

  put(stateName: string, userKey: string, value: unknown): void {
    let table = this.tables.get(stateName);
    if (table === undefined) {
      table = new Map();
      this.tables.set(stateName, table);
    }
    table.set(userKey, value);
    this.markDirty(stateName, userKey);
  }

  delete(stateName: string, userKey: string): void {
    const table = this.tables.get(stateName);
    if (table === undefined || !table.delete(userKey)) return;
    this.markDirty(stateName, userKey);
  }

  /** Rows held (all states). */
  entries(): number {
    let n = 0;
    for (const table of this.tables.values()) n += table.size;
    return n;
  }

  /** Rows changed since the last seal. */
  changed(): number {
    if (!this.tracking) return this.entries();
    let n = 0;
    for (const set of this.dirty.values()) n += set.size;
    return n;
  }

  versionCount(): number {
    return this.versions.length;
  }

  /** The newest sealed version's checkpoint id, or -Infinity. */
  lastVersionId(): number {
    return this.versions.length === 0 ? -Infinity : (this.versions[this.versions.length - 1] as ShardVersion).checkpointId;
  }

  /**
   * Seals the rows changed since the last seal as version `checkpointId`; returns how many.
   *
   * @throws Error unless `checkpointId` is above the newest version (ids only grow).
   */
  seal(checkpointId: number): number {
    if (!(checkpointId > this.lastVersionId())) {
      throw new Error(
        `Key group ${this.keyGroup}: snapshot ${checkpointId} is not newer than version ${this.lastVersionId()}; checkpoint ids must grow.`,
      );
    }
    if (!this.tracking) return this.sealEverything(checkpointId);
    const changed = this.changed();
    if (changed === 0) return 0;
    const delta: Delta = new Map();
    for (const [stateName, keys] of this.dirty) {
      const live = this.tables.get(stateName);
      const rows = new Map<string, unknown>();
      for (const userKey of keys) {
        const value = live?.get(userKey);
        rows.set(userKey, value === undefined ? TOMBSTONE : value);
      }
      delta.set(stateName, rows);
    }
    this.versions.push({ checkpointId, delta });
    this.dirty = new Map();
    return changed;
  }

  /** Reverts the live tables to version `checkpointId` (empty when no version is that old). */
  revert(checkpointId: number): void {
    if (!this.tracking) {
      // Never sealed: there is no version to go back to, so the shard becomes empty. Inner
      // tables are emptied too, so a scan iterator still walking one stops instead of
      // handing out rows that no longer exist.
      for (const table of this.tables.values()) table.clear();
      this.tables.clear();
      return;
    }
    const affected = this.dirty;
    this.dirty = new Map();
    while (this.versions.length > 0 && (this.versions[this.versions.length - 1] as ShardVersion).checkpointId > checkpointId) {
      const dropped = this.versions.pop() as ShardVersion;
      for (const [stateName, rows] of dropped.delta) {
        for (const userKey of rows.keys()) addTo(affected, stateName, userKey);
      }
    }
    for (const [stateName, keys] of affected) {
      for (const userKey of keys) this.restoreRow(stateName, userKey);
    }
  }

  /** Rows held by the sealed versions (tombstones included): what the history costs. */
  versionRows(): number {
    let n = 0;
    for (const version of this.versions) for (const rows of version.delta.values()) n += rows.size;
    return n;
  }

  /**
   * Merges every version older than `checkpointId` into one (keeping the newest id among them).
   * Returns how many versions and rows the merge dropped.
   */
  fold(checkpointId: number): { versions: number; rows: number } {
    let count = 0;
    while (count < this.versions.length && (this.versions[count] as ShardVersion).checkpointId < checkpointId) count++;
    if (count < 2) return { versions: 0, rows: 0 };
    let before = 0;
    for (let i = 0; i < count; i++) for (const rows of (this.versions[i] as ShardVersion).delta.values()) before += rows.size;
    const merged: Delta = new Map();
    for (let i = 0; i < count; i++) {
      for (const [stateName, rows] of (this.versions[i] as ShardVersion).delta) {
        let target = merged.get(stateName);
        if (target === undefined) {
          target = new Map();
          merged.set(stateName, target);
        }
        for (const [userKey, value] of rows) {
          // The oldest version has nothing beneath it, so its tombstones carry no information.
          if (value === TOMBSTONE) target.delete(userKey);
          else target.set(userKey, value);
        }
      }
    }
    const base = { checkpointId: (this.versions[count - 1] as ShardVersion).checkpointId, delta: merged };
    this.versions.splice(0, count, base);
    let after = 0;
    for (const rows of merged.values()) after += rows.size;
    return { versions: count - 1, rows: before - after };
  }

  /** The first seal: every live row is the change. */
  private sealEverything(checkpointId: number): number {
    this.tracking = true;
    const delta: Delta = new Map();
    let changed = 0;
    for (const [stateName, table] of this.tables) {
      if (table.size === 0) continue;
      delta.set(stateName, new Map(table));
      changed += table.size;
    }
    if (changed > 0) this.versions.push({ checkpointId, delta });
    return changed;
  }

  private restoreRow(stateName: string, userKey: string): void {
    for (let i = this.versions.length - 1; i >= 0; i--) {
      const rows = (this.versions[i] as ShardVersion).delta.get(stateName);
      if (rows === undefined || !rows.has(userKey)) continue;
      const value = rows.get(userKey);
      if (value === TOMBSTONE) this.tables.get(stateName)?.delete(userKey);
      else this.setLive(stateName, userKey, value);
      return;
    }
    this.tables.get(stateName)?.delete(userKey);
  }

  private setLive(stateName: string, userKey: string, value: unknown): void {
    let table = this.tables.get(stateName);
    if (table === undefined) {
      table = new Map();
      this.tables.set(stateName, table);
    }
    table.set(userKey, value);
  }

  private markDirty(stateName: string, userKey: string): void {
    if (this.tracking) addTo(this.dirty, stateName, userKey);
  }
}

function addTo(sets: Map<string, Set<string>>, stateName: string, userKey: string): void {
  let set = sets.get(stateName);
  if (set === undefined) {
    set = new Set();
    sets.set(stateName, set);
  }
  set.add(userKey);
}

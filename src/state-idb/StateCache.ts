/**
 * The read cache of an IndexedDB state storage (DESIGN.md §5, read path): one per storage,
 * i.e. per TaskManager, shared by all its keyed subtasks. Its unit is a **record key** of one
 * operator's key group: all rows of that key over every state (the rows a `prepare` loads),
 * so "not in the entry" means "absent", and an entry with no rows is a cached negative.
 *
 * - **Fixed table, no rehash.** Slots (key, entry, hash, reference bit) are arrays of
 *   `capacity` allocated once; the index is an open-addressing table of slot numbers with
 *   linear probing (Knuth, TAOCP vol. 3 §6.4, Algorithm L) sized to a power of two ≥ 2 ×
 *   capacity, so the load factor never exceeds 1/2. Deletion shifts later probes back
 *   (Algorithm R) instead of leaving tombstones, so the table never needs rebuilding. A JS
 *   Map capped at the capacity would also stop growing, but V8 rehashes it on deletions; this
 *   table's memory is fixed at construction.
 * - **Eviction: CLOCK** (second chance; Corbató 1968, as in most OS page caches): a hand
 *   sweeps the slots, clearing reference bits and evicting the first unreferenced entry. It
 *   prefers expired entries: an entry whose every row is a TTL value past its expiry is
 *   evicted when the hand reaches it even if it was referenced.
 * - Entries are never dirty: writes go to the write batch too, so eviction costs nothing and
 *   never loses data.
 * - **Keys without string building.** An entry is addressed by a *group* (a small integer the
 *   cache hands out once per operator key group, {@link StateCache.groupOf}) and the record's
 *   encoded key as it came in, so a lookup hashes the encoded key once and allocates nothing.
 */
import { mix32 } from '../engine/random';
import type { ScalableBloomFilter } from './BloomFilter';

/** One cached record key: its rows as a flat list of `[stateName, userKey, value]` triples. */
export interface CacheEntry {
  readonly operatorId: string;
  readonly keyGroup: number;
  /** The cache's number for `operatorId`'s `keyGroup` ({@link StateCache.groupOf}). */
  readonly group: number;
  readonly encodedKey: string;
  rows: unknown[];
  /**
   * The Bloom filter the key was last added to (the owning backend's; the cache ignores it), so
   * a write adds the key to its shard's filter once, not on every update.
   */
  inFilter: ScalableBloomFilter | undefined;
  /** Is every row expired at `now`? (TTL-aware eviction; answered by the owning backend.) */
  readonly expired: (entry: CacheEntry, now: number) => boolean;
}

/** What happened in the cache, for the storage's figures. */
export interface CacheCounters {
  evictions: number;
  expiredEvictions: number;
}

/** The slot hash of a record key in a group: FNV-1a over the key, the group mixed in, finalised by fmix32. */
function slotHash(group: number, encodedKey: string): number {
  let h = 0x811c9dc5 ^ Math.imul(group, 0x9e3779b1);
  for (let i = 0; i < encodedKey.length; i++) h = Math.imul(h ^ encodedKey.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class StateCache {
  readonly capacity: number;
  private readonly keys: (string | undefined)[];
  private readonly keyGroups: Int32Array;
  private readonly entries: (CacheEntry | undefined)[];
  private readonly hashes: Uint32Array;
  private readonly referenced: Uint8Array;
  /** Open-addressing index: slot number + 1, 0 = empty. */
  private readonly index: Int32Array;
  private readonly mask: number;
  /** Free slots (a stack); the cache fills slots 0..capacity-1 first, then evicts. */
  private readonly free: Int32Array;
  private freeCount: number;
  private hand = 0;
  private count = 0;
  /**
   * Slots per group, so `entriesOf` (scans, TTL cleanup) costs the key group's cached
   * entries, not a sweep of the whole table.
   */
  private readonly groups = new Map<number, Set<number>>();
  /** Group numbers by `operatorId \0 keyGroup` (handed out once per operator key group). */
  private readonly groupNumbers = new Map<string, number>();
  readonly counters: CacheCounters = { evictions: 0, expiredEvictions: 0 };

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Cache capacity must be a positive integer, got ${capacity}.`);
    this.capacity = capacity;
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.keyGroups = new Int32Array(capacity).fill(-1);
    this.entries = new Array<CacheEntry | undefined>(capacity).fill(undefined);
    this.hashes = new Uint32Array(capacity);
    this.referenced = new Uint8Array(capacity);
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  /** Entries held now. */
  get size(): number {
    return this.count;
  }

  /** The group number of an operator's key group (stable for the cache's life). */
  groupOf(operatorId: string, keyGroup: number): number {
    const name = `${operatorId}\u0000${keyGroup}`;
    let group = this.groupNumbers.get(name);
    if (group === undefined) this.groupNumbers.set(name, (group = this.groupNumbers.size));
    return group;
  }

  /** The entry for a record key of a group (marking it referenced), or undefined. */
  get(group: number, encodedKey: string): CacheEntry | undefined {
    const slot = this.find(group, encodedKey, slotHash(group, encodedKey));
    if (slot < 0) return undefined;
    this.referenced[slot] = 1;
    return this.entries[slot];
  }

  /**
   * Stores an entry, evicting one (CLOCK, expired first) when full. `force: false` only
   * fills free slots (prefetch must not push out the working set).
   */
  set(entry: CacheEntry, now: number, force = true): boolean {
    const { group, encodedKey } = entry;
    const h = slotHash(group, encodedKey);
    const existing = this.find(group, encodedKey, h);
    if (existing >= 0) {
      this.entries[existing] = entry;
      this.referenced[existing] = 1;
      return true;
    }
    if (this.freeCount === 0) {
      if (!force) return false;
      this.evictOne(now);
    }
    const slot = this.free[--this.freeCount] as number;
    this.keys[slot] = encodedKey;
    this.keyGroups[slot] = group;
    this.entries[slot] = entry;
    this.hashes[slot] = h;
    this.referenced[slot] = force ? 1 : 0;
    let i = h & this.mask;
    while (this.index[i] !== 0) i = (i + 1) & this.mask;
    this.index[i] = slot + 1;
    let slots = this.groups.get(group);
    if (slots === undefined) this.groups.set(group, (slots = new Set()));
    slots.add(slot);
    this.count++;
    return true;
  }

  delete(group: number, encodedKey: string): void {
    const slot = this.find(group, encodedKey, slotHash(group, encodedKey));
    if (slot >= 0) this.removeSlot(slot);
  }

  /** Removes every entry the predicate selects (restore: one operator's key groups). O(capacity). */
  deleteWhere(select: (entry: CacheEntry) => boolean): void {
    for (let slot = 0; slot < this.capacity; slot++) {
      const entry = this.entries[slot];
      if (entry !== undefined && select(entry)) this.removeSlot(slot);
    }
  }

  /** Cached entries of one operator's key group (scan serves these; unspecified order). */
  *entriesOf(group: number): IterableIterator<CacheEntry> {
    const slots = this.groups.get(group);
    if (slots === undefined) return;
    // A copy: the caller may put or delete while iterating, which reuses slots.
    for (const slot of [...slots]) {
      const entry = this.entries[slot];
      if (entry !== undefined && entry.group === group) yield entry;
    }
  }

  private find(group: number, encodedKey: string, h: number): number {
    let i = h & this.mask;
    for (;;) {
      const stored = this.index[i] as number;
      if (stored === 0) return -1;
      const slot = stored - 1;
      if (this.hashes[slot] === h && this.keys[slot] === encodedKey && this.keyGroups[slot] === group) return slot;
      i = (i + 1) & this.mask;
    }
  }

  /** CLOCK with a preference for expired entries; at most two sweeps (the second finds every bit cleared). */
  private evictOne(now: number): void {
    for (let steps = 0; steps < 2 * this.capacity + 1; steps++) {
      const slot = this.hand;
      this.hand = this.hand + 1 === this.capacity ? 0 : this.hand + 1;
      const entry = this.entries[slot];
      if (entry === undefined) continue;
      const expired = entry.rows.length > 0 && entry.expired(entry, now);
      if (!expired && this.referenced[slot] === 1) {
        this.referenced[slot] = 0;
        continue;
      }
      this.counters.evictions++;
      if (expired) this.counters.expiredEvictions++;
      this.removeSlot(slot);
      return;
    }
    throw new Error('State cache: no slot to evict (internal error).');
  }

  /** Frees a slot and closes the gap in the probe sequence (Knuth's Algorithm R). */
  private removeSlot(slot: number): void {
    const h = this.hashes[slot] as number;
    let i = h & this.mask;
    while ((this.index[i] as number) !== slot + 1) i = (i + 1) & this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const stored = this.index[j] as number;
      if (stored === 0) break;
      const home = (this.hashes[stored - 1] as number) & this.mask;
      // Leave the probe at j when its home lies cyclically in (i, j]: it is still reachable.
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      this.index[i] = stored;
      i = j;
    }
    this.index[i] = 0;
    const removed = this.entries[slot];
    if (removed !== undefined) {
      const slots = this.groups.get(removed.group);
      slots?.delete(slot);
      if (slots !== undefined && slots.size === 0) this.groups.delete(removed.group);
    }
    this.keys[slot] = undefined;
    this.keyGroups[slot] = -1;
    this.entries[slot] = undefined;
    this.referenced[slot] = 0;
    this.free[this.freeCount++] = slot;
    this.count--;
  }
}

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
 */
import { hashPair } from './BloomFilter';

/** One cached record key: its rows as a flat list of `[stateName, userKey, value]` triples. */
export interface CacheEntry {
  readonly operatorId: string;
  readonly keyGroup: number;
  readonly encodedKey: string;
  rows: unknown[];
  /** Is every row expired at `now`? (TTL-aware eviction; answered by the owning backend.) */
  readonly expired: (entry: CacheEntry, now: number) => boolean;
}

/** What happened in the cache, for the storage's figures. */
export interface CacheCounters {
  evictions: number;
  expiredEvictions: number;
}

const HASH = new Uint32Array(2);

function groupKey(operatorId: string, keyGroup: number): string {
  return `${operatorId}\u0000${keyGroup}`;
}

/** The composite cache key of a record key. */
export function cacheKey(operatorId: string, keyGroup: number, encodedKey: string): string {
  return `${operatorId}\u0000${keyGroup}\u0000${encodedKey}`;
}

export class StateCache {
  readonly capacity: number;
  private readonly keys: (string | undefined)[];
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
   * Slots per operator key group (`operatorId \0 keyGroup`), so `entriesOf` (scans, TTL
   * cleanup) costs the key group's cached entries, not a sweep of the whole table.
   */
  private readonly groups = new Map<string, Set<number>>();
  readonly counters: CacheCounters = { evictions: 0, expiredEvictions: 0 };

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Cache capacity must be a positive integer, got ${capacity}.`);
    this.capacity = capacity;
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
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

  /** The entry for a key (marking it referenced), or undefined. */
  get(key: string): CacheEntry | undefined {
    const slot = this.find(key);
    if (slot < 0) return undefined;
    this.referenced[slot] = 1;
    return this.entries[slot];
  }

  /**
   * Stores an entry, evicting one (CLOCK, expired first) when full. `force: false` only
   * fills free slots (prefetch must not push out the working set).
   */
  set(key: string, entry: CacheEntry, now: number, force = true): boolean {
    const existing = this.find(key);
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
    hashPair(key, HASH);
    const h = HASH[0] as number;
    this.keys[slot] = key;
    this.entries[slot] = entry;
    this.hashes[slot] = h;
    this.referenced[slot] = force ? 1 : 0;
    let i = h & this.mask;
    while (this.index[i] !== 0) i = (i + 1) & this.mask;
    this.index[i] = slot + 1;
    const group = groupKey(entry.operatorId, entry.keyGroup);
    let slots = this.groups.get(group);
    if (slots === undefined) this.groups.set(group, (slots = new Set()));
    slots.add(slot);
    this.count++;
    return true;
  }

  delete(key: string): void {
    const slot = this.find(key);
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
  *entriesOf(operatorId: string, keyGroup: number): IterableIterator<CacheEntry> {
    const slots = this.groups.get(groupKey(operatorId, keyGroup));
    if (slots === undefined) return;
    // A copy: the caller may put or delete while iterating, which reuses slots.
    for (const slot of [...slots]) {
      const entry = this.entries[slot];
      if (entry !== undefined && entry.keyGroup === keyGroup && entry.operatorId === operatorId) yield entry;
    }
  }

  private find(key: string): number {
    hashPair(key, HASH);
    const h = HASH[0] as number;
    let i = h & this.mask;
    for (;;) {
      const stored = this.index[i] as number;
      if (stored === 0) return -1;
      const slot = stored - 1;
      if (this.hashes[slot] === h && this.keys[slot] === key) return slot;
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
      const group = groupKey(removed.operatorId, removed.keyGroup);
      const slots = this.groups.get(group);
      slots?.delete(slot);
      if (slots !== undefined && slots.size === 0) this.groups.delete(group);
    }
    this.keys[slot] = undefined;
    this.entries[slot] = undefined;
    this.referenced[slot] = 0;
    this.free[this.freeCount++] = slot;
    this.count--;
  }
}

/**
 * The shards (key groups) one backend view has touched: per shard a Bloom filter, a row
 * count and a bytes estimate, plus the loads that read a shard's chunks from IndexedDB and
 * the chunk appends of flushes and seals.
 *
 * Memory per shard is the filter (about 10 bits per key at 1 %) and a few numbers; rows live
 * only in the shared cache and in the write batch, so memory does not grow with state size
 * beyond the filters. A load reads a whole shard's chunks once (one `getAll` per key group,
 * all key groups of a prepare in one transaction), installs the keys asked for, and offers
 * the others to free cache slots only; the folded table is dropped afterwards.
 *
 * Not done: compacting a shard into key-sorted pages with a page index, so a miss would read
 * one page instead of the chain. The keyed-count bench (100k keys, 1M updates) had 100,008
 * misses, of which 98,395 were first touches answered by the Bloom filters; its loads read
 * 12,538 chunk rows in all, so whole-shard reads are not what limits it. They do cost where
 * state is much larger than the cache (1M keys behind 8,192 entries: every miss folds a
 * ~7,800-key shard), which is the case to measure before adding pages.
 */
import type { KeyGroupRange } from '../engine/keygroups/keyGroups';
import type { KeyGroupFigures } from '../engine/state/types';
import { ScalableBloomFilter } from './BloomFilter';
import type { IdbStateStorage, StateWriteTx } from './IdbStateStorage';
import type { ShardMeta } from './schema';
import { approxBytes, chunkRange, countRows, foldByKey, mergeDeltas, overlayPending, readShardChunks, type RowFilter } from './shardOps';
import type { CacheEntry } from './StateCache';
import { shardMeta } from './versions';
import type { WriteBatch } from './WriteBatch';

/** Unsealed chunks a shard may hold before a flush merges them (a level-0 compaction). */
const MAX_UNSEALED_CHUNKS = 8;

/** What this view knows of one shard. */
export interface ShardInfo {
  /** True once this view has read the shard from disk (the filter then covers every stored key). */
  loaded: boolean;
  filter: ScalableBloomFilter;
  /** Rows held; exact while `countKnown`, a best guess otherwise. */
  entries: number;
  countKnown: boolean;
  /** Mean serialised size of a row, from loads and flushes (0: unknown). */
  bytesPerRow: number;
}

/** How loaded rows become cache entries (the backend decides pinning and TTL). */
export interface EntrySink {
  newEntry(keyGroup: number, encodedKey: string, rows: unknown[]): CacheEntry;
  install(entry: CacheEntry, pin: boolean): void;
  /** The entry the view holds for a key (pinned for the batch, else cached), if any. */
  resident(keyGroup: number, encodedKey: string): CacheEntry | undefined;
}

/** Keys the filter of a shard not loaded yet is sized for (it only holds keys put before the load). */
const UNLOADED_FILTER_KEYS = 64;
/** Keys a loaded shard's first filter stage is sized for at least (a new shard grows from there). */
const MIN_FILTER_KEYS = 256;

export class ShardSet {
  /** By key group − range start; a slot is filled on first touch. */
  private shards: (ShardInfo | undefined)[];

  constructor(
    private readonly operatorId: string,
    private readonly storage: IdbStateStorage,
    private readonly range: KeyGroupRange,
    private readonly sink: EntrySink,
  ) {
    this.shards = new Array<ShardInfo | undefined>(range.end - range.start + 1).fill(undefined);
  }

  /** The shard's info, created unloaded on first touch. */
  of(keyGroup: number): ShardInfo {
    const at = keyGroup - this.range.start;
    let shard = this.shards[at];
    if (shard === undefined) {
      shard = { loaded: false, filter: new ScalableBloomFilter(this.storage.bloomFpr, UNLOADED_FILTER_KEYS), entries: 0, countKnown: false, bytesPerRow: 0 };
      this.shards[at] = shard;
    }
    return shard;
  }

  /** True when the shard's filter proves the record key has no rows (never a false "true"). */
  definitelyAbsent(keyGroup: number, encodedKey: string): boolean {
    const shard = this.shards[keyGroup - this.range.start];
    return shard !== undefined && shard.loaded && !shard.filter.mightContain(encodedKey);
  }

  /** Key groups (of those given) whose row count is not exact: a seal loads them first. */
  uncounted(keyGroups: Iterable<number>): number[] {
    const out = new Set<number>();
    for (const keyGroup of keyGroups) {
      const shard = this.shards[keyGroup - this.range.start];
      if (shard === undefined || !shard.loaded || !shard.countKnown) out.add(keyGroup);
    }
    return [...out].sort((a, b) => a - b);
  }

  knownEntries(keyGroup: number): number | undefined {
    const shard = this.shards[keyGroup - this.range.start];
    return shard !== undefined && shard.loaded && shard.countKnown ? shard.entries : undefined;
  }

  /** Approximate bytes of a shard's rows, when its row count and mean row size are known. */
  knownBytes(keyGroup: number): number | undefined {
    const shard = this.shards[keyGroup - this.range.start];
    return shard !== undefined && shard.countKnown && shard.bytesPerRow > 0 ? Math.round(shard.entries * shard.bytesPerRow) : undefined;
  }

  /** Bytes held by the shards' Bloom filters. */
  filterBytes(): number {
    let n = 0;
    for (const shard of this.shards) if (shard !== undefined) n += shard.filter.byteLength;
    return n;
  }

  /** Forgets everything (restore): shards reload, filters are rebuilt. */
  clear(): void {
    this.shards = new Array<ShardInfo | undefined>(this.shards.length).fill(undefined);
  }

  /** Per key group rows and approximate bytes of the shards this view knows (non-empty only). */
  figures(range: KeyGroupRange): KeyGroupFigures[] {
    const out: KeyGroupFigures[] = [];
    for (let at = 0; at < this.shards.length; at++) {
      const shard = this.shards[at];
      const keyGroup = this.range.start + at;
      if (shard === undefined || keyGroup < range.start || keyGroup > range.end || shard.entries <= 0) continue;
      const figures: KeyGroupFigures = { keyGroup, entries: shard.entries };
      if (shard.bytesPerRow > 0) figures.bytes = Math.round(shard.entries * shard.bytesPerRow);
      out.push(figures);
    }
    return out;
  }

  /**
   * Reads the chunks of every key group in `misses` and `whole` in one readonly transaction,
   * overlays the pending batches (read after the await, so no write is missed), rebuilds the
   * filters of shards loaded for the first time, and installs entries: the keys asked for
   * (pinned), whole key groups (pinned when `installWhole`), other keys into free slots only.
   */
  async load(misses: Map<number, string[]>, whole: readonly number[], pending: () => WriteBatch[], installWhole: boolean): Promise<void> {
    const keyGroups = [...new Set([...misses.keys(), ...whole])].sort((a, b) => a - b);
    const chunks = await this.storage.transact('readonly', async (tx) => {
      const out = new Map<number, Awaited<ReturnType<typeof readShardChunks>>>();
      for (const keyGroup of keyGroups) out.set(keyGroup, await readShardChunks(tx, this.operatorId, keyGroup));
      return out;
    });
    const batches = pending();
    const wholeSet = new Set(whole);
    for (const keyGroup of keyGroups) {
      const rows = chunks.get(keyGroup) ?? [];
      this.storage.counters.idbRowsRead += rows.length;
      const table = foldByKey(rows);
      overlayPending(table, keyGroup, batches);
      const wasLoaded = this.refresh(keyGroup, table);
      for (const encodedKey of misses.get(keyGroup) ?? []) {
        const found = table.get(encodedKey) ?? [];
        if (found.length === 0 && wasLoaded) this.storage.counters.bloomFalsePositives++;
        this.installKey(keyGroup, encodedKey, found, true);
        table.delete(encodedKey);
      }
      const pin = installWhole && wholeSet.has(keyGroup);
      if (!installWhole) continue;
      for (const [encodedKey, found] of table) this.installKey(keyGroup, encodedKey, found, pin);
    }
  }

  /** Appends one key group's pending writes as the shard's next chunk version; returns the updated meta. */
  async appendChunk(tx: StateWriteTx, taken: WriteBatch, keyGroup: number, filter?: RowFilter): Promise<ShardMeta> {
    const meta = await shardMeta(tx, this.operatorId, keyGroup);
    let chunk = taken.chunkOf(keyGroup);
    const sealed = meta.seals[meta.seals.length - 1]?.version ?? -1;
    if (meta.nextVersion - 1 - sealed >= MAX_UNSEALED_CHUNKS) {
      // No checkpoint needs the chunks since the last seal apart: merge them with this one, so
      // a load reads few rows however many flushes ran between checkpoints.
      const tail = chunkRange(this.operatorId, keyGroup, sealed);
      const older = await tx.objectStore('chunks').getAll(tail);
      this.storage.counters.idbRowsRead += older.length;
      chunk = mergeDeltas([...older, chunk], filter);
      await tx.objectStore('chunks').delete(tail);
    }
    await tx.objectStore('chunks').put(chunk, [this.operatorId, keyGroup, meta.nextVersion]);
    meta.nextVersion++;
    let bytes = 0;
    for (const [stateName, userKey, value] of chunk.puts) bytes += approxBytes(stateName) + approxBytes(userKey) + approxBytes(value);
    for (const [stateName, userKey] of chunk.deletes) bytes += approxBytes(stateName) + approxBytes(userKey);
    const shard = this.of(keyGroup);
    if (chunk.puts.length > 0) shard.bytesPerRow = bytes / (chunk.puts.length + chunk.deletes.length);
    if (shard.loaded && shard.countKnown) meta.entries = shard.entries;
    await tx.objectStore('meta').put(meta, ['shard', this.operatorId, keyGroup]);
    const counters = this.storage.counters;
    counters.idbRowsWritten += 2;
    counters.idbEntriesWritten += chunk.puts.length + chunk.deletes.length;
    counters.idbBytesWritten += bytes;
    return meta;
  }

  /** Updates a shard from a freshly read table; returns whether it was loaded before. */
  private refresh(keyGroup: number, table: Map<string, unknown[]>): boolean {
    const shard = this.of(keyGroup);
    const wasLoaded = shard.loaded;
    if (!wasLoaded) {
      // Sized for the keys stored plus an eighth (so a few new keys do not open a stage at
      // once); the stage chain grows past that.
      const filter = new ScalableBloomFilter(this.storage.bloomFpr, Math.max(MIN_FILTER_KEYS, table.size + (table.size >> 3)));
      for (const encodedKey of table.keys()) filter.add(encodedKey);
      // Keys this view put before the load (some may not be on disk or pending any more).
      filter.absorb(shard.filter);
      shard.filter = filter;
      shard.loaded = true;
    }
    shard.entries = countRows(table);
    shard.countKnown = true;
    if (shard.bytesPerRow === 0 && table.size > 0) {
      const [rows] = table.values();
      if (rows !== undefined && rows.length >= 3) shard.bytesPerRow = approxBytes(rows[0]) + approxBytes(rows[1]) + approxBytes(rows[2]);
    }
    return wasLoaded;
  }

  /**
   * Installs a key's rows unless the view already holds its entry (pinned or cached): that
   * entry is current, and a second object for the same key would miss its writes.
   */
  private installKey(keyGroup: number, encodedKey: string, rows: unknown[], pin: boolean): void {
    const existing = this.sink.resident(keyGroup, encodedKey);
    this.sink.install(existing ?? this.sink.newEntry(keyGroup, encodedKey, rows), pin);
  }
}

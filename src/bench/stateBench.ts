/**
 * State backend benchmarks (issue "Keyed state in IndexedDB", `npm run bench`): the backend
 * alone, through the engine's state port, on the bench page's real IndexedDB (an on-disk
 * profile when run by scripts/bench.mjs). Each case builds its own database and deletes it.
 *
 * - snapshot cost as state grows: a snapshot after 1k changed keys, with 10k vs 1M keys in state;
 * - rescale 2 → 4: restore four new subtasks from two subtasks' snapshots; rows written (moved)
 *   and duration, 10k vs 1M keys;
 * - absent-key reads: share answered without touching IndexedDB;
 * - heap with 10k vs 1M keys at the same cache size (main-thread heap after a forced GC; the
 *   page runs the same backend code a TaskManager worker runs, and `performance.memory` is not
 *   available inside dedicated workers). The cache is smaller than either key count, so both
 *   cases fill it and the difference is what grows with state (filters, shard figures).
 *
 * Every case takes the storage's sizes ({@link BenchSizes}) explicitly, so a changed default
 * cannot silently change what a row measures.
 */
import { keyGroupForKey, keyGroupRangeForOperator } from '../engine/keygroups/keyGroups';
import { encodeKey } from '../engine/state/keyEncoding';
import type { KeyedStateBackend, KeyedStateSnapshot, StateStorage, StateStorageFigures } from '../engine/state/types';
import type { IdbKeyedStateBackend } from '../state-idb/IdbKeyedStateBackend';
import { IDB_STATE_DEFAULTS, openIdbStateStorage } from '../state-idb/IdbStateStorage';

const OPERATOR = 'bench-count';
const MAX_PARALLELISM = 128;
const STATE = 'count';
/** Keys written per prepare/put round (the engine's batches are of this order). */
const ROUND = 4096;

let databases = 0;

/** Storage sizes of a case (defaults: the storage's). */
export interface BenchSizes {
  cacheCapacity?: number;
  flushThresholdEntries?: number;
}

function newStorage(sizes: BenchSizes = {}): StateStorage {
  return openIdbStateStorage({
    dbName: `sluice-bench-state-${Date.now().toString(36)}-${databases++}`,
    cacheCapacity: sizes.cacheCapacity ?? IDB_STATE_DEFAULTS.cacheCapacity,
    flushThresholdEntries: sizes.flushThresholdEntries ?? IDB_STATE_DEFAULTS.flushThresholdEntries,
    // Virtual time does not advance here: only size, checkpoint and close flushes happen.
    flushLatencyMs: IDB_STATE_DEFAULTS.flushLatencyMs,
  });
}

async function openSubtask(storage: StateStorage, parallelism: number, index: number): Promise<KeyedStateBackend> {
  const backend = await storage.openKeyedBackend({
    operatorId: OPERATOR,
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: keyGroupRangeForOperator(MAX_PARALLELISM, parallelism, index),
  });
  backend.registerState({ name: STATE });
  return backend;
}

interface EncodedKey {
  keyGroup: number;
  encoded: string;
}

function keysOf(prefix: string, from: number, count: number): EncodedKey[] {
  const keys: EncodedKey[] = [];
  for (let i = from; i < from + count; i++) {
    const key = `${prefix}${i}`;
    keys.push({ keyGroup: keyGroupForKey(key, MAX_PARALLELISM), encoded: encodeKey(key) });
  }
  return keys;
}

/** Read-modify-write of every key (a count), in rounds, as a keyed operator does. */
async function upsert(backends: KeyedStateBackend[], parallelism: number, keys: readonly EncodedKey[]): Promise<void> {
  for (let at = 0; at < keys.length; at += ROUND) {
    const round = keys.slice(at, at + ROUND);
    const bySubtask = new Map<number, EncodedKey[]>();
    for (const key of round) {
      const subtask = Math.floor((key.keyGroup * parallelism) / MAX_PARALLELISM);
      let list = bySubtask.get(subtask);
      if (list === undefined) bySubtask.set(subtask, (list = []));
      list.push(key);
    }
    for (const [subtask, list] of bySubtask) {
      const backend = backends[subtask] as KeyedStateBackend;
      await backend.prepare({ keyGroups: list.map((k) => k.keyGroup), encodedKeys: list.map((k) => k.encoded) });
      for (const key of list) {
        const current = backend.get(key.keyGroup, STATE, key.encoded);
        backend.put(key.keyGroup, STATE, key.encoded, typeof current === 'number' ? current + 1 : 1);
      }
    }
  }
}

function sum(figures: StateStorageFigures): { rowsWritten: number; transactions: number; rowsRead: number } {
  return { rowsWritten: figures.idbRowsWritten, transactions: figures.idbTransactions, rowsRead: figures.idbRowsRead };
}

export interface SnapshotCostResult {
  keys: number;
  changed: number;
  /** Median of the runs. */
  snapshotMs: number;
  runsMs: number[];
  changedEntries: number;
  totalEntries: number;
  /** IndexedDB rows written by the median run. */
  rowsWritten: number;
}

const SNAPSHOT_RUNS = 5;

/**
 * With `keys` keys in state (one subtask, all key groups, sealed once), five times: change
 * `changed` keys (not timed), then time the snapshot. The median is reported.
 */
export async function snapshotCost(keys: number, changed: number, sizes: BenchSizes = {}): Promise<SnapshotCostResult> {
  const storage = newStorage(sizes);
  try {
    const backend = await openSubtask(storage, 1, 0);
    await upsert([backend], 1, keysOf('k', 0, keys));
    await backend.snapshot(1);
    const runs: { ms: number; rows: number; handle: KeyedStateSnapshot }[] = [];
    for (let run = 0; run < SNAPSHOT_RUNS; run++) {
      // A different slice each run, spread over the key space (every key group changes).
      const step = Math.max(1, Math.floor(keys / changed));
      const slice = keysOf('k', 0, keys).filter((_, i) => i % step === run % step).slice(0, changed);
      await upsert([backend], 1, slice);
      const before = sum(storage.figures());
      const t0 = performance.now();
      const handle = await backend.snapshot(2 + run);
      const ms = performance.now() - t0;
      runs.push({ ms, rows: sum(storage.figures()).rowsWritten - before.rowsWritten, handle });
    }
    await backend.close();
    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    const mid = sorted[Math.floor(sorted.length / 2)] as (typeof runs)[number];
    return {
      keys, changed, snapshotMs: mid.ms, runsMs: runs.map((r) => r.ms), changedEntries: mid.handle.changedEntries,
      totalEntries: mid.handle.totalEntries, rowsWritten: mid.rows,
    };
  } finally {
    await storage.dispose();
  }
}

export interface RescaleResult {
  keys: number;
  restoreMs: number;
  /** State rows written while the four new subtasks restored (moved state would show here). */
  rowsWritten: number;
  rowsRead: number;
  /** Sampled keys whose value read back correctly after the rescale, of `sampled`. */
  correct: number;
  sampled: number;
}

/** Two subtasks hold `keys` keys and snapshot; four new subtasks restore from them. */
export async function rescale2to4(keys: number, sizes: BenchSizes = {}): Promise<RescaleResult> {
  const storage = newStorage(sizes);
  try {
    const before2 = [await openSubtask(storage, 2, 0), await openSubtask(storage, 2, 1)];
    const all = keysOf('r', 0, keys);
    await upsert(before2, 2, all);
    const snapshots: KeyedStateSnapshot[] = [];
    for (const backend of before2) snapshots.push(await backend.snapshot(1));
    for (const backend of before2) await backend.close();
    const start = sum(storage.figures());
    const t0 = performance.now();
    const after4: KeyedStateBackend[] = [];
    for (let index = 0; index < 4; index++) {
      const backend = await openSubtask(storage, 4, index);
      await backend.restore(snapshots);
      after4.push(backend);
    }
    const restoreMs = performance.now() - t0;
    const end = sum(storage.figures());
    // Sample: every key's count is 1.
    const sample = all.filter((_, i) => i % Math.max(1, Math.floor(keys / 1000)) === 0);
    let correct = 0;
    for (const key of sample) {
      const backend = after4[Math.floor((key.keyGroup * 4) / MAX_PARALLELISM)] as KeyedStateBackend;
      await backend.prepare({ keyGroups: [key.keyGroup], encodedKeys: [key.encoded] });
      if (backend.get(key.keyGroup, STATE, key.encoded) === 1) correct++;
    }
    for (const backend of after4) await backend.close();
    return { keys, restoreMs, rowsWritten: end.rowsWritten - start.rowsWritten, rowsRead: end.rowsRead - start.rowsRead, correct, sampled: sample.length };
  } finally {
    await storage.dispose();
  }
}

export interface AbsentReadsResult {
  keys: number;
  absentReads: number;
  /** Absent reads answered by a Bloom filter (no IndexedDB). */
  bloomNegatives: number;
  bloomFalsePositives: number;
  share: number;
  /** IndexedDB transactions while the absent keys were read. */
  transactions: number;
  /** Bits of Bloom filter per stored key in the reader (after its shards loaded). */
  filterBitsPerKey: number;
}

/** `keys` keys in state (flushed, cache cleared by reopening), then `reads` reads of keys never written. */
export async function absentReads(keys: number, reads: number, sizes: BenchSizes = {}): Promise<AbsentReadsResult> {
  const storage = newStorage(sizes);
  try {
    const writer = await openSubtask(storage, 1, 0);
    await upsert([writer], 1, keysOf('p', 0, keys));
    const handle = await writer.snapshot(1);
    await writer.close();
    const reader = await openSubtask(storage, 1, 0);
    await reader.restore([handle]);
    // Load every shard once (as a running job's first batches do): the filters are built then.
    const all = Array.from({ length: MAX_PARALLELISM }, (_, kg) => kg);
    await reader.prepare({ keyGroups: all, encodedKeys: all.map((kg) => `warm-${kg}`) });
    const before = storage.figures();
    const absent = keysOf('absent-', 0, reads);
    for (let at = 0; at < absent.length; at += ROUND) {
      const round = absent.slice(at, at + ROUND);
      await reader.prepare({ keyGroups: round.map((k) => k.keyGroup), encodedKeys: round.map((k) => k.encoded) });
      for (const key of round) reader.get(key.keyGroup, STATE, key.encoded);
    }
    const after = storage.figures();
    const filterBytes = (reader as IdbKeyedStateBackend).filterBytes();
    await reader.close();
    const bloomNegatives = after.bloomNegatives - before.bloomNegatives;
    return {
      keys, absentReads: reads, bloomNegatives,
      bloomFalsePositives: after.bloomFalsePositives - before.bloomFalsePositives,
      share: bloomNegatives / reads,
      transactions: after.idbTransactions - before.idbTransactions,
      filterBitsPerKey: (filterBytes * 8) / keys,
    };
  } finally {
    await storage.dispose();
  }
}

export interface HeapResult {
  keys: number;
  /** Heap after a forced GC with the backend open and its state written and flushed. */
  heapBytes: number;
  /** Heap after a forced GC before the storage was opened. */
  baselineBytes: number;
  cacheEntries: number;
  cacheCapacity: number;
  filterBytes: number;
}

interface ChromeMemory {
  usedJSHeapSize: number;
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memory = (performance as unknown as { memory?: ChromeMemory }).memory;
  return memory?.usedJSHeapSize ?? Number.NaN;
}

/** Heap used with `keys` keys in state behind one storage (4 subtasks, as the keyed bench job). */
export async function heapWith(keys: number, sizes: BenchSizes = {}): Promise<HeapResult> {
  const baselineBytes = heap();
  const storage = newStorage(sizes);
  try {
    const backends = [0, 1, 2, 3].map((i) => openSubtask(storage, 4, i));
    const opened = await Promise.all(backends);
    await upsert(opened, 4, keysOf('m', 0, keys));
    for (const backend of opened) await backend.flush();
    const heapBytes = heap();
    const figures = storage.figures();
    const filterBytes = opened.reduce((n, b) => n + (b as IdbKeyedStateBackend).filterBytes(), 0);
    for (const backend of opened) await backend.close();
    return { keys, heapBytes, baselineBytes, cacheEntries: figures.cacheEntries, cacheCapacity: figures.cacheCapacity, filterBytes };
  } finally {
    await storage.dispose();
  }
}

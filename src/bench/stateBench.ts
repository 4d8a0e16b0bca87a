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
 *   available inside dedicated workers).
 */
import { keyGroupForKey, keyGroupRangeForOperator } from '../engine/keygroups/keyGroups';
import { encodeKey } from '../engine/state/keyEncoding';
import type { KeyedStateBackend, KeyedStateSnapshot, StateStorage, StateStorageFigures } from '../engine/state/types';
import { openIdbStateStorage } from '../state-idb/IdbStateStorage';

const OPERATOR = 'bench-count';
const MAX_PARALLELISM = 128;
const STATE = 'count';
/** Keys written per prepare/put round (the engine's batches are of this order). */
const ROUND = 4096;

let databases = 0;

function newStorage(): StateStorage {
  return openIdbStateStorage({ dbName: `sluice-bench-state-${Date.now().toString(36)}-${databases++}` });
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
  snapshotMs: number;
  changedEntries: number;
  totalEntries: number;
  rowsWritten: number;
}

/** Snapshot after `changed` keys changed, with `keys` keys in state (one subtask, all key groups). */
export async function snapshotCost(keys: number, changed: number): Promise<SnapshotCostResult> {
  const storage = newStorage();
  try {
    const backend = await openSubtask(storage, 1, 0);
    await upsert([backend], 1, keysOf('k', 0, keys));
    await backend.snapshot(1);
    await upsert([backend], 1, keysOf('k', 0, changed));
    const before = sum(storage.figures());
    const t0 = performance.now();
    const handle = await backend.snapshot(2);
    const snapshotMs = performance.now() - t0;
    const after = sum(storage.figures());
    await backend.close();
    return {
      keys, changed, snapshotMs, changedEntries: handle.changedEntries, totalEntries: handle.totalEntries,
      rowsWritten: after.rowsWritten - before.rowsWritten,
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
export async function rescale2to4(keys: number): Promise<RescaleResult> {
  const storage = newStorage();
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
}

/** `keys` keys in state (flushed, cache cleared by reopening), then `reads` reads of keys never written. */
export async function absentReads(keys: number, reads: number): Promise<AbsentReadsResult> {
  const storage = newStorage();
  try {
    const writer = await openSubtask(storage, 1, 0);
    await upsert([writer], 1, keysOf('p', 0, keys));
    const handle = await writer.snapshot(1);
    await writer.close();
    const reader = await openSubtask(storage, 1, 0);
    await reader.restore([handle]);
    const before = storage.figures();
    const absent = keysOf('absent-', 0, reads);
    for (let at = 0; at < absent.length; at += ROUND) {
      const round = absent.slice(at, at + ROUND);
      await reader.prepare({ keyGroups: round.map((k) => k.keyGroup), encodedKeys: round.map((k) => k.encoded) });
      for (const key of round) reader.get(key.keyGroup, STATE, key.encoded);
    }
    const after = storage.figures();
    await reader.close();
    const bloomNegatives = after.bloomNegatives - before.bloomNegatives;
    return {
      keys, absentReads: reads, bloomNegatives,
      bloomFalsePositives: after.bloomFalsePositives - before.bloomFalsePositives,
      share: bloomNegatives / reads,
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
export async function heapWith(keys: number): Promise<HeapResult> {
  const baselineBytes = heap();
  const storage = newStorage();
  try {
    const backends = [0, 1, 2, 3].map((i) => openSubtask(storage, 4, i));
    const opened = await Promise.all(backends);
    await upsert(opened, 4, keysOf('m', 0, keys));
    for (const backend of opened) await backend.flush();
    const heapBytes = heap();
    const figures = storage.figures();
    for (const backend of opened) await backend.close();
    return { keys, heapBytes, baselineBytes, cacheEntries: figures.cacheEntries, cacheCapacity: figures.cacheCapacity };
  } finally {
    await storage.dispose();
  }
}

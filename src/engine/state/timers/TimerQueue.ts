/**
 * A set of timers of one time domain, partitioned by key group (Flink
 * `KeyGroupPartitionedPriorityQueue` over `HeapPriorityQueueSet`s).
 *
 * - Deduplicated: one timer per (key, namespace, timestamp), as Flink's priority-queue *set*.
 * - Partitioned: `byKeyGroup` holds each key group's timers, so a snapshot is per key group
 *   and a subtask restored with another key-group range takes exactly its groups' timers.
 * - Ordered: one heap across the key groups, by timestamp, then key group, then encoded key,
 *   then namespace. Flink orders by timestamp only and leaves ties to heap order; Sluice
 *   breaks ties by content so the firing order is the same however timers were inserted
 *   (after a restore, at another parallelism, in another worker).
 * - Deletion is lazy: a deleted timer leaves the index at once and is skipped when it
 *   surfaces at the top of the heap.
 */
import type { JavaKey } from '../../keygroups/javaHash';
import { KEY_SEPARATOR } from '../keyEncoding';
import { BinaryHeap } from './BinaryHeap';

/** A registered timer (Flink `TimerHeapInternalTimer`). */
export interface Timer {
  readonly timestamp: number;
  readonly key: JavaKey;
  readonly keyGroup: number;
  /** The key in keyEncoding.ts form: the deterministic tie-break. */
  readonly encodedKey: string;
  readonly namespace: string;
}

interface QueuedTimer extends Timer {
  readonly id: string;
}

/** The firing order: timestamp, key group, encoded key, namespace. */
export function compareTimers(a: Timer, b: Timer): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.keyGroup !== b.keyGroup) return a.keyGroup - b.keyGroup;
  if (a.encodedKey !== b.encodedKey) return a.encodedKey < b.encodedKey ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return 0;
}

function timerId(timestamp: number, encodedKey: string, namespace: string): string {
  return String(timestamp) + KEY_SEPARATOR + encodedKey + KEY_SEPARATOR + namespace;
}

export class TimerQueue {
  private readonly heap = new BinaryHeap<QueuedTimer>(compareTimers);
  private readonly byKeyGroup = new Map<number, Map<string, QueuedTimer>>();
  private live = 0;

  /** Timers registered and not yet fired or deleted. */
  get size(): number {
    return this.live;
  }

  /** Adds a timer; false when the same timer is already registered. */
  add(timer: Timer): boolean {
    const id = timerId(timer.timestamp, timer.encodedKey, timer.namespace);
    let group = this.byKeyGroup.get(timer.keyGroup);
    if (group === undefined) {
      group = new Map();
      this.byKeyGroup.set(timer.keyGroup, group);
    }
    if (group.has(id)) return false;
    const queued: QueuedTimer = { ...timer, id };
    group.set(id, queued);
    this.heap.push(queued);
    this.live++;
    return true;
  }

  /** Deletes a timer; false when it was not registered. */
  remove(keyGroup: number, encodedKey: string, namespace: string, timestamp: number): boolean {
    const group = this.byKeyGroup.get(keyGroup);
    if (group === undefined || !group.delete(timerId(timestamp, encodedKey, namespace))) return false;
    this.live--;
    return true;
  }

  /** The next timer to fire, or undefined. */
  peek(): Timer | undefined {
    this.dropStale();
    return this.heap.peek();
  }

  /** Removes and returns the next timer to fire. */
  poll(): Timer | undefined {
    this.dropStale();
    const top = this.heap.pop();
    if (top === undefined) return undefined;
    this.byKeyGroup.get(top.keyGroup)?.delete(top.id);
    this.live--;
    return top;
  }

  /** Live timers with `timestamp <= bound`, in no particular order (for prepare). */
  dueBy(bound: number): Timer[] {
    const due: Timer[] = [];
    for (const group of this.byKeyGroup.values()) {
      for (const timer of group.values()) if (timer.timestamp <= bound) due.push(timer);
    }
    return due;
  }

  /** Live timers, by ascending key group, each group in firing order. */
  timersByKeyGroup(): Timer[] {
    const out: Timer[] = [];
    const groups = [...this.byKeyGroup.keys()].sort((a, b) => a - b);
    for (const keyGroup of groups) {
      const timers = [...(this.byKeyGroup.get(keyGroup) as Map<string, QueuedTimer>).values()].sort(compareTimers);
      for (const { id: _id, ...timer } of timers) out.push(timer);
    }
    return out;
  }

  clear(): void {
    this.heap.clear();
    this.byKeyGroup.clear();
    this.live = 0;
  }

  private dropStale(): void {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || this.byKeyGroup.get(top.keyGroup)?.get(top.id) === top) return;
      this.heap.pop();
    }
  }
}

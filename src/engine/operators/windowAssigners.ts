/**
 * Event-time window assignment and session merging, after Flink's
 * `TumblingEventTimeWindows`, `SlidingEventTimeWindows`, `EventTimeSessionWindows` and
 * `TimeWindow`.
 *
 * - A window is `[start, end)`; its last timestamp (`maxTimestamp`) is `end - 1`, and results
 *   are emitted with that timestamp (Flink `TimeWindow.maxTimestamp`).
 * - Tumbling: `start = ts - floorMod(ts, size)` (Flink's `getWindowStartWithOffset` with offset
 *   0, using a floor modulo so negative timestamps land in the window below zero).
 * - Sliding: every window of length `size` starting at a multiple of `slide` that contains
 *   ts, latest start first (Flink's loop order).
 * - Session: each record opens `[ts, ts + gap)`; windows that intersect merge, where Flink's
 *   `TimeWindow.intersects` counts touching windows (`a.end == b.start`) as intersecting.
 * - A window's state lives in a namespace named `start:end`.
 */

/** An event-time window `[start, end)`. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Stored form of a session window: `[start, end]`. */
export type WindowSpan = readonly [start: number, end: number];

export function floorMod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** The last timestamp inside the window (Flink `maxTimestamp`). */
export function maxTimestamp(timeWindow: TimeWindow): number {
  return timeWindow.end - 1;
}

/** The state namespace of a time window: `start:end`. */
export function windowNamespace(timeWindow: TimeWindow): string {
  return `${timeWindow.start}:${timeWindow.end}`;
}

/** Reverses {@link windowNamespace}. @throws Error on anything else. */
export function parseWindowNamespace(namespace: string): TimeWindow {
  const at = namespace.indexOf(':', 1);
  const start = Number(namespace.slice(0, at));
  const end = Number(namespace.slice(at + 1));
  if (at < 0 || !Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`Not a window namespace: '${namespace}'.`);
  return { start, end };
}

export function tumblingWindow(timestamp: number, size: number): TimeWindow {
  const start = timestamp - floorMod(timestamp, size);
  return { start, end: start + size };
}

/** The sliding windows containing `timestamp`, latest start first. */
export function slidingWindows(timestamp: number, size: number, slide: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  const lastStart = timestamp - floorMod(timestamp, slide);
  for (let start = lastStart; start > timestamp - size; start -= slide) windows.push({ start, end: start + size });
  return windows;
}

/** Flink `TimeWindow.intersects`: overlapping or touching. */
export function intersects(a: TimeWindow, b: TimeWindow): boolean {
  return a.start <= b.end && a.end >= b.start;
}

/** The result of adding a session window to a key's sessions. */
export interface SessionMerge {
  /** The window the new record belongs to after merging (may equal an existing one). */
  merged: TimeWindow;
  /** Existing windows that intersect the new one; all of them become `merged`. */
  absorbed: TimeWindow[];
  /** The key's sessions after the merge, sorted by start. */
  sessions: WindowSpan[];
}

/**
 * Adds `[timestamp, timestamp + gap)` to a key's sessions (sorted, pairwise non-intersecting).
 * Because existing sessions never touch each other, one pass over the ones intersecting the
 * new window finds everything that merges (Flink's sort-and-sweep `mergeWindows` gives the same).
 */
export function addSessionWindow(sessions: readonly WindowSpan[], timestamp: number, gap: number): SessionMerge {
  let start = timestamp;
  let end = timestamp + gap;
  const fresh: TimeWindow = { start, end };
  const absorbed: TimeWindow[] = [];
  const kept: WindowSpan[] = [];
  for (const [s, e] of sessions) {
    const existing = { start: s, end: e };
    if (intersects(existing, fresh)) {
      absorbed.push(existing);
      start = Math.min(start, s);
      end = Math.max(end, e);
    } else {
      kept.push([s, e]);
    }
  }
  const merged = { start, end };
  const at = kept.findIndex(([s]) => s > start);
  kept.splice(at < 0 ? kept.length : at, 0, [start, end]);
  return { merged, absorbed, sessions: kept };
}

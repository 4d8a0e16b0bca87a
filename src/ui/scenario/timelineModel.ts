/**
 * Pure helpers of the Scenario panel: where the timeline's marks go, what each says, which
 * captions have been reached, and how long to wait to play at a speed.
 */
import type { ActionOutcome, TimelineEntry } from '../../engine/scenario';

/** One mark on the drawn timeline. */
export interface TimelineMark {
  index: number;
  atMs: number;
  /** 0..1 along the axis. */
  x: number;
  kind: 'note' | 'fault' | 'operation';
  /** Short label: `kill-task triple#1`, `note`. */
  label: string;
  text?: string;
  /** Lane (0, 1, 2) so marks at nearly the same time do not cover each other. */
  lane: number;
}

const FAULTS = new Set<TimelineEntry['do']>([
  'kill-task', 'kill-taskmanager', 'kill-jobmanager', 'slow-task', 'fail-checkpoint', 'coordination-store-down', 'coordination-store-up',
]);

/** What an entry does, in a few words. */
export function entryLabel(entry: TimelineEntry): string {
  switch (entry.do) {
    case 'kill-task': return `kill ${entry.operator}#${entry.subtask}`;
    case 'slow-task': return `slow ${entry.operator}#${entry.subtask} ×${entry.factor}`;
    case 'kill-taskmanager': return `kill TaskManager ${entry.taskManager}`;
    case 'fail-checkpoint': return `fail checkpoint in region ${entry.region}`;
    case 'rescale': return `rescale ${entry.operator ?? 'job'} to ${entry.parallelism}`;
    case 'set-channel-selection': return `${entry.selection} on ${entry.edge ?? 'every rebalance edge'}`;
    case 'trigger-checkpoint': return 'trigger a checkpoint';
    case 'drain-taskmanager': return `drain TaskManager ${entry.taskManager}`;
    case 'undrain-taskmanager': return `return TaskManager ${entry.taskManager} to service`;
    case 'note': return 'note';
    default: return entry.do;
  }
}

/** Marks for a timeline of `durationMs`; marks closer than `minGap` (fraction of the axis) move to another lane. */
export function timelineMarks(timeline: readonly TimelineEntry[], durationMs: number, minGap = 0.04): TimelineMark[] {
  const lanesEnd: number[] = [];
  return timeline.map((entry, index) => {
    const x = durationMs > 0 ? Math.min(1, Math.max(0, entry.atMs / durationMs)) : 0;
    let lane = lanesEnd.findIndex((end) => x - end >= minGap);
    if (lane < 0) lane = lanesEnd.length < 3 ? lanesEnd.length : lanesEnd.indexOf(Math.min(...lanesEnd));
    lanesEnd[lane] = x;
    const kind = entry.do === 'note' ? 'note' : FAULTS.has(entry.do) ? 'fault' : 'operation';
    return { index, atMs: entry.atMs, x, kind, label: entryLabel(entry), lane, ...(entry.text === undefined ? {} : { text: entry.text }) };
  });
}

/** Tick values (virtual ms) for an axis of `durationMs`: about `count` round steps. */
export function axisTicks(durationMs: number, count = 6): number[] {
  if (!(durationMs > 0)) return [0];
  const raw = durationMs / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= durationMs + 1e-9; t += step) ticks.push(Math.round(t));
  return ticks;
}

/** `2.5 s`, `800 ms`. */
export function formatVirtualMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/** Playback speeds offered: virtual ms per wall ms, or as fast as possible. */
export const PLAY_SPEEDS = [0.5, 1, 2, 5, 'max'] as const;
export type PlaySpeed = (typeof PLAY_SPEEDS)[number];

/**
 * Wall ms to wait after an advance of `virtualMs` that took `elapsedWallMs`, so playback keeps
 * `speed` virtual ms per wall ms. Never negative; 0 at 'max'.
 */
export function paceDelayMs(virtualMs: number, speed: PlaySpeed, elapsedWallMs: number): number {
  if (speed === 'max') return 0;
  return Math.max(0, virtualMs / speed - elapsedWallMs);
}

/** Virtual ms per advance while playing: small enough for a smooth playhead, large enough to be cheap. */
export function progressStepFor(speed: PlaySpeed): number {
  return speed === 'max' ? 1000 : 100;
}

/** One-line status of an applied entry for the timeline's tooltip. */
export function outcomeLabel(outcome: ActionOutcome | undefined): string {
  if (outcome === undefined) return 'not reached yet';
  if (outcome.applied) return outcome.message === undefined ? 'applied' : `applied (${outcome.message})`;
  return `not applied: ${outcome.message ?? 'refused'}`;
}

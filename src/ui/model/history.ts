/**
 * Undo history as snapshots of the whole job (jobs are small; snapshots make undo exact).
 * Successive commits with the same coalesce key (one field being typed into, one drag)
 * replace the present instead of adding a step, so each gesture undoes in one step.
 */
import type { JobGraph } from '../../engine';

export const HISTORY_LIMIT = 200;

export interface History {
  past: JobGraph[];
  present: JobGraph;
  future: JobGraph[];
  /** Coalesce key of the commit that made `present`, if any. */
  coalesceKey: string | null;
}

export function startHistory(job: JobGraph): History {
  return { past: [], present: job, future: [], coalesceKey: null };
}

/** Records `next` as the new present; no-op when it is the present itself. */
export function record(history: History, next: JobGraph, coalesceKey?: string): History {
  if (next === history.present) return history;
  const key = coalesceKey ?? null;
  if (key !== null && key === history.coalesceKey) {
    return { ...history, present: next, future: [] };
  }
  const past = [...history.past, history.present];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, present: next, future: [], coalesceKey: key };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    coalesceKey: null,
  };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return {
    past: [...history.past, history.present],
    present: next,
    future: history.future.slice(1),
    coalesceKey: null,
  };
}

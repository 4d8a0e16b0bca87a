/**
 * Graph slice: the open job and its undo history. Every edit goes through `commit`, which
 * records a history step (or extends the current one, see `coalesce`) and keeps the
 * selection pointing at things that exist. While a run is active the job is read-only: edits
 * and undo/redo do nothing (the UI disables them and says why).
 */
import type { StateCreator } from 'zustand';
import { edgeId, type JobGraph } from '../../engine';
import { record, redo, startHistory, undo } from '../model/history';
import { emptyJob, withFullLayout } from '../model/jobs';
import type { AppState, GraphSlice } from './types';

/** The selection restricted to operators and edges present in `job`. */
export function pruneSelection(job: JobGraph, operators: string[], edge: string | null) {
  const ids = new Set(job.operators.map((op) => op.id));
  const kept = operators.filter((id) => ids.has(id));
  const edgeKept = edge !== null && job.edges.some((e) => edgeId(e) === edge) ? edge : null;
  return { selectedOperators: kept.length === operators.length ? operators : kept, selectedEdge: edgeKept };
}

export const createGraphSlice: StateCreator<AppState, [], [], GraphSlice> = (set) => {
  const initial = emptyJob();
  return {
    history: startHistory(initial),
    job: initial,
    docVersion: 0,
    commit: (next, options = {}) => set((s) => {
      if (s.runActive) return {};
      const history = record(s.history, next, options.coalesce);
      if (history === s.history) return {};
      const wanted = options.select ?? { operators: s.selectedOperators, edge: s.selectedEdge };
      return { history, job: history.present, ...pruneSelection(history.present, wanted.operators, wanted.edge) };
    }),
    openJob: (job) => set((s) => {
      const present = withFullLayout(job);
      return {
        history: startHistory(present),
        job: present,
        docVersion: s.docVersion + 1,
        selectedOperators: [],
        selectedEdge: null,
      };
    }),
    undo: () => set((s) => {
      if (s.runActive) return {};
      const history = undo(s.history);
      return { history, job: history.present, ...pruneSelection(history.present, s.selectedOperators, s.selectedEdge) };
    }),
    redo: () => set((s) => {
      if (s.runActive) return {};
      const history = redo(s.history);
      return { history, job: history.present, ...pruneSelection(history.present, s.selectedOperators, s.selectedEdge) };
    }),
  };
};

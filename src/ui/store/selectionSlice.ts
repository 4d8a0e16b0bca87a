/** Selection slice: operators in selection order (so "connect" knows first → second) or one edge. */
import type { StateCreator } from 'zustand';
import type { AppState, SelectionSlice } from './types';

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selectedOperators: [],
  selectedEdge: null,
  select: (operators, edge = null) => set({ selectedOperators: [...new Set(operators)], selectedEdge: edge }),
  clearSelection: () => set({ selectedOperators: [], selectedEdge: null }),
});

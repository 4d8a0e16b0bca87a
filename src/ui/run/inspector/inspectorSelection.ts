/**
 * Which checkpoint the inspector shows: null follows the latest completed one; a Checkpoints
 * row's "Inspect" pins an id. Kept outside the app store (only the inspector and the
 * Checkpoints panel care), in a small vanilla zustand store.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { AppStore } from '../../store/appStore';

interface InspectorSelection {
  checkpointId: number | null;
  select(checkpointId: number | null): void;
}

export const inspectorSelection = createStore<InspectorSelection>((set) => ({
  checkpointId: null,
  select: (checkpointId) => set({ checkpointId }),
}));

export function useInspectorSelection(): InspectorSelection {
  return useStore(inspectorSelection);
}

/** Opens the dock's Inspector tab at `checkpointId` (null: the latest). */
export function openInspector(store: AppStore, checkpointId: number | null): void {
  inspectorSelection.getState().select(checkpointId);
  store.getState().setRunDockTab('inspector');
}

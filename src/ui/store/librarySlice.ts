/** Library slice: which saved job is open and how its autosave is doing. */
import type { StateCreator } from 'zustand';
import type { AppState, LibrarySlice } from './types';

export const createLibrarySlice: StateCreator<AppState, [], [], LibrarySlice> = (set) => ({
  libraryId: null,
  saveStatus: 'idle',
  savedAt: null,
  setLibraryId: (libraryId) => set({ libraryId }),
  setSaveStatus: (saveStatus, savedAt) => set((s) => ({ saveStatus, savedAt: savedAt ?? s.savedAt })),
});

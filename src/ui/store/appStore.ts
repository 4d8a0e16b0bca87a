/**
 * The designer store: one zustand store per provider, made of the five slices. The React
 * context makes it replaceable (tests, a second canvas); `useApp` reads it with a selector.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createGraphSlice } from './graphSlice';
import { createLibrarySlice } from './librarySlice';
import { createRunSlice } from './runSlice';
import type { WorkerFactory } from '../run/clusterClient';
import { createSelectionSlice } from './selectionSlice';
import type { AppState } from './types';
import { createUiSlice } from './uiSlice';

export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  /** Starts the JobManager worker of a run (tests pass a double; the app uses the real worker). */
  workerFactory?: WorkerFactory;
}

export function createAppStore(options: AppStoreOptions = {}): AppStore {
  const createRun = createRunSlice(options.workerFactory);
  return createStore<AppState>()((...a) => ({
    ...createGraphSlice(...a),
    ...createSelectionSlice(...a),
    ...createUiSlice(...a),
    ...createLibrarySlice(...a),
    ...createRun(...a),
  }));
}

export const AppStoreContext = createContext<AppStore | null>(null);

/** The store of the nearest provider. */
export function useAppStore(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore needs an <AppStoreContext.Provider>.');
  return store;
}

/** Reads the store with a narrow selector; re-renders only when the selected value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

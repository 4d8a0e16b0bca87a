/** UI slice: theme, panels, regions preview, the open dialog, toasts and the clipboard. */
import type { StateCreator } from 'zustand';
import { initialTheme, persistTheme } from './theme';
import type { AppState, UiSlice } from './types';

/** Most toasts shown at once; older ones make room. */
const MAX_TOASTS = 4;
let nextToastId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ready: false,
  theme: initialTheme(),
  regionsPreview: false,
  validationOpen: true,
  dialog: null,
  toasts: [],
  clipboard: null,
  setReady: (ready) => set({ ready }),
  setTheme: (theme) => {
    persistTheme(theme);
    set({ theme });
  },
  setRegionsPreview: (regionsPreview) => set({ regionsPreview }),
  setValidationOpen: (validationOpen) => set({ validationOpen }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  toast: (message, kind = 'info') => set((s) => ({
    toasts: [...s.toasts, { id: nextToastId++, kind, message }].slice(-MAX_TOASTS),
  })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setClipboard: (clipboard) => set({ clipboard }),
});

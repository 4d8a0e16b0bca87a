/**
 * The designer's store shape: four slices (STYLE.md habit 9) combined into one zustand store.
 * Components read it with narrow selectors; every action delegates to a pure helper.
 */
import type { JobGraph, ValidationError } from '../../engine';
import type { Clipboard } from '../model/clipboard';
import type { History } from '../model/history';
import type { Theme } from '../model/regionsView';

export interface CommitOptions {
  /** Commits with the same key in a row form one undo step (one field focus, one drag). */
  coalesce?: string;
  /** The selection after the commit; by default the current one, pruned to what still exists. */
  select?: { operators: string[]; edge: string | null };
}

export interface GraphSlice {
  history: History;
  /** The open job (`history.present`), for narrow selectors. */
  job: JobGraph;
  /** Bumped whenever another job is opened (not on edits). */
  docVersion: number;
  commit(next: JobGraph, options?: CommitOptions): void;
  /** Opens a job as a new document: fresh history, empty selection. */
  openJob(job: JobGraph): void;
  undo(): void;
  redo(): void;
}

export interface SelectionSlice {
  /** Selected operator ids, in the order they were selected. */
  selectedOperators: string[];
  /** Selected edge id (`from->to`), if any. */
  selectedEdge: string | null;
  select(operators: string[], edge?: string | null): void;
  clearSelection(): void;
}

export type Dialog =
  | { type: 'library' }
  | { type: 'examples' }
  | { type: 'command-palette' }
  | { type: 'problems'; testId: string; title: string; intro: string; errors: ValidationError[] }
  | { type: 'share-link'; url: string };

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  message: string;
}

export interface UiSlice {
  /** True once the first job is open (the root then carries `data-testid="app-ready"`). */
  ready: boolean;
  theme: Theme;
  regionsPreview: boolean;
  /** Is the validation panel expanded (collapsed, it shows only its header and count)? */
  validationOpen: boolean;
  dialog: Dialog | null;
  toasts: Toast[];
  clipboard: Clipboard | null;
  setReady(ready: boolean): void;
  setTheme(theme: Theme): void;
  setRegionsPreview(on: boolean): void;
  setValidationOpen(open: boolean): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  toast(message: string, kind?: Toast['kind']): void;
  dismissToast(id: number): void;
  setClipboard(clipboard: Clipboard | null): void;
}

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface LibrarySlice {
  /** Library id of the open job, or null until it is first saved. */
  libraryId: string | null;
  saveStatus: SaveStatus;
  /** Epoch ms of the last successful save. */
  savedAt: number | null;
  setLibraryId(id: string | null): void;
  setSaveStatus(status: SaveStatus, savedAt?: number): void;
}

export type AppState = GraphSlice & SelectionSlice & UiSlice & LibrarySlice;

/**
 * UI commands are records (STYLE.md habit 8, after excalidraw's actions): an id, a label,
 * shortcuts, an enabled predicate and `perform`. Toolbar buttons, keyboard shortcuts and the
 * command palette all dispatch through one registry, so they can never disagree.
 *
 * `perform` is pure where it can be: it returns the next state as a `CommandResult` (a new
 * job becomes one undo step). Commands that talk to the world (files, clipboard, library,
 * canvas viewport) do it through the injected `Effects`, never through globals.
 */
import type { JobGraph, JobPosition } from '../../engine';
import type { Clipboard } from '../model/clipboard';
import type { AppState, Dialog } from '../store/types';
import type { Theme } from '../model/regionsView';

export type CommandId =
  | 'new' | 'library' | 'examples' | 'import' | 'export' | 'share' | 'save'
  | 'undo' | 'redo' | 'copy' | 'paste' | 'duplicate' | 'delete' | 'select-all' | 'connect'
  | 'auto-layout' | 'fit-view' | 'toggle-regions' | 'toggle-theme' | 'command-palette'
  | 'run' | 'stop' | 'pause-resume' | 'step'
  | 'scenarios';

/** The next state a command asks for; absent fields stay as they are. */
export interface CommandResult {
  /** Becomes one undo step. */
  job?: JobGraph;
  select?: { operators: string[]; edge: string | null };
  clipboard?: Clipboard | null;
  regionsPreview?: boolean;
  theme?: Theme;
  dialog?: Dialog | null;
  /** Shown as a toast (e.g. why nothing happened). */
  notice?: { message: string; kind: 'info' | 'error' };
}

/** What commands may do besides changing state. */
export interface Effects {
  /** Centre of the visible canvas in flow coordinates. */
  viewportCentre(): JobPosition;
  fitView(): void;
  undo(): void;
  redo(): void;
  autoLayout(): Promise<void>;
  newJob(): Promise<void>;
  saveNow(): Promise<void>;
  exportJob(): void;
  chooseImportFile(): void;
  copyShareLink(): Promise<void>;
}

export interface Command {
  id: CommandId;
  label: string;
  /** Shortcuts such as `Mod+Shift+Z` (Mod is Ctrl, or ⌘ on a Mac), `Delete`, `C`. */
  shortcuts: readonly string[];
  /** Also fires while typing in a text field (only for keys that have no text meaning). */
  inInputs?: boolean;
  /** Shown in the command palette's hint column and on the button title. */
  enabled(state: AppState): boolean;
  perform(state: AppState, effects: Effects): CommandResult | void | Promise<void>;
}

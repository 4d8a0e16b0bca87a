/** Editing commands: history, clipboard, delete, select all, connect. */
import { copyOperators, offsetBelow, pasteClipboard, shiftClipboard } from '../model/clipboard';
import { connect, removeEdges } from '../model/edges';
import { removeOperators } from '../model/operators';
import type { AppState } from '../store/types';
import type { Command } from './types';

/** The job can be edited: no run is active (a running job is read-only). */
const editable = (s: AppState) => !s.runActive;
const hasSelection = (s: AppState) => editable(s) && (s.selectedOperators.length > 0 || s.selectedEdge !== null);

export const editCommands: Command[] = [
  {
    id: 'undo', label: 'Undo', shortcuts: ['Mod+Z'],
    enabled: (s) => editable(s) && s.history.past.length > 0,
    perform: (_s, fx) => fx.undo(),
  },
  {
    id: 'redo', label: 'Redo', shortcuts: ['Mod+Shift+Z', 'Mod+Y'],
    enabled: (s) => editable(s) && s.history.future.length > 0,
    perform: (_s, fx) => fx.redo(),
  },
  {
    id: 'copy', label: 'Copy', shortcuts: ['Mod+C'],
    enabled: (s) => s.selectedOperators.length > 0,
    perform: (s) => {
      const clipboard = copyOperators(s.job, s.selectedOperators);
      if (!clipboard) return;
      const n = clipboard.operators.length;
      return { clipboard, notice: { kind: 'info', message: `Copied ${n} ${n === 1 ? 'operator' : 'operators'}.` } };
    },
  },
  {
    id: 'paste', label: 'Paste', shortcuts: ['Mod+V'],
    enabled: (s) => editable(s) && s.clipboard !== null,
    perform: (s) => {
      if (!s.clipboard) return;
      const offset = offsetBelow(s.clipboard);
      const { job, ids } = pasteClipboard(s.job, s.clipboard, offset);
      return { job, select: { operators: ids, edge: null }, clipboard: shiftClipboard(s.clipboard, offset) };
    },
  },
  {
    id: 'duplicate', label: 'Duplicate', shortcuts: ['Mod+D'],
    enabled: (s) => editable(s) && s.selectedOperators.length > 0,
    perform: (s) => {
      const clipboard = copyOperators(s.job, s.selectedOperators);
      if (!clipboard) return;
      const { job, ids } = pasteClipboard(s.job, clipboard, offsetBelow(clipboard));
      return { job, select: { operators: ids, edge: null } };
    },
  },
  {
    id: 'delete', label: 'Delete selection', shortcuts: ['Delete', 'Backspace'],
    enabled: hasSelection,
    perform: (s) => {
      if (s.selectedOperators.length > 0) {
        return { job: removeOperators(s.job, s.selectedOperators), select: { operators: [], edge: null } };
      }
      if (s.selectedEdge !== null) {
        return { job: removeEdges(s.job, [s.selectedEdge]), select: { operators: [], edge: null } };
      }
    },
  },
  {
    id: 'select-all', label: 'Select all operators', shortcuts: ['Mod+A'],
    enabled: (s) => s.job.operators.length > 0,
    perform: (s) => ({ select: { operators: s.job.operators.map((op) => op.id), edge: null } }),
  },
  {
    id: 'connect', label: 'Connect selected (first → second)', shortcuts: ['C'],
    enabled: (s) => editable(s) && s.selectedOperators.length === 2,
    perform: (s) => {
      const [from, to] = s.selectedOperators;
      if (from === undefined || to === undefined) {
        return { notice: { kind: 'info', message: 'Select two operators (Shift-click the second) to connect them.' } };
      }
      const result = connect(s.job, from, to);
      if (!result.ok) return { notice: { kind: 'error', message: result.message } };
      return { job: result.job, select: { operators: [], edge: `${from}->${to}` } };
    },
  },
];

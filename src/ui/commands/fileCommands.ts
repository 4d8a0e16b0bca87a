/** Document commands: new, library, examples, import, export, share link, save. */
import type { Command } from './types';

export const fileCommands: Command[] = [
  {
    id: 'new', label: 'New job', shortcuts: [],
    enabled: () => true,
    perform: (_s, fx) => fx.newJob(),
  },
  {
    id: 'library', label: 'Library', shortcuts: [],
    enabled: () => true,
    perform: () => ({ dialog: { type: 'library' } }),
  },
  {
    id: 'examples', label: 'Examples', shortcuts: [],
    enabled: () => true,
    perform: () => ({ dialog: { type: 'examples' } }),
  },
  {
    id: 'import', label: 'Import JSON…', shortcuts: ['Mod+O'],
    enabled: () => true,
    perform: (_s, fx) => fx.chooseImportFile(),
  },
  {
    id: 'export', label: 'Export JSON', shortcuts: ['Mod+E'],
    enabled: () => true,
    perform: (_s, fx) => fx.exportJob(),
  },
  {
    id: 'share', label: 'Copy share link', shortcuts: [],
    enabled: () => true,
    perform: (_s, fx) => fx.copyShareLink(),
  },
  {
    id: 'save', label: 'Save now', shortcuts: ['Mod+S'], inInputs: true,
    enabled: () => true,
    perform: (_s, fx) => fx.saveNow(),
  },
];

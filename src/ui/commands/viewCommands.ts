/** View commands: layout, viewport, regions preview, theme, command palette. */
import { regionsOf } from '../store/derived';
import type { Command } from './types';

export const viewCommands: Command[] = [
  {
    id: 'auto-layout', label: 'Auto-layout', shortcuts: ['L'],
    enabled: (s) => !s.runActive && s.job.operators.length > 0,
    perform: (_s, fx) => fx.autoLayout(),
  },
  {
    id: 'fit-view', label: 'Fit view', shortcuts: ['F'],
    enabled: () => true,
    perform: (_s, fx) => fx.fitView(),
  },
  {
    id: 'toggle-regions', label: 'Regions preview', shortcuts: ['R'],
    enabled: () => true,
    perform: (s) => {
      const on = !s.regionsPreview;
      const regions = on ? regionsOf(s.job) : null;
      if (regions && !regions.ok) return { regionsPreview: on, notice: { kind: 'info', message: regions.reason } };
      return { regionsPreview: on };
    },
  },
  {
    id: 'toggle-theme', label: 'Toggle light/dark theme', shortcuts: [],
    enabled: () => true,
    perform: (s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' }),
  },
  {
    id: 'command-palette', label: 'Command palette', shortcuts: ['Mod+K'], inInputs: true,
    enabled: () => true,
    perform: (s) => ({ dialog: s.dialog?.type === 'command-palette' ? null : { type: 'command-palette' } }),
  },
];

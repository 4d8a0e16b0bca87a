/** Scenario commands: open the scenario gallery (where a file can be imported too). */
import type { Command } from './types';

export const scenarioCommands: Command[] = [
  {
    id: 'scenarios', label: 'Scenarios…', shortcuts: ['Alt+S'],
    enabled: () => true,
    perform: () => ({ dialog: { type: 'scenarios' } }),
  },
];

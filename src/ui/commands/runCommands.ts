/**
 * Run commands: Run, Stop, Pause/Resume and Step. They call the run slice's actions, the same
 * ones `window.sluice` calls. Run is enabled only for a job that can run with the run bar's
 * settings (`runReason` says why not); editing commands are disabled while a run is active.
 */
import { runBlocker } from '../model/runReadiness';
import { validationOf } from '../store/derived';
import { RUN_NOT_STARTED } from '../store/runSlice';
import type { AppState } from '../store/types';
import type { Command } from './types';

/** Virtual ms one Step advances. */
export const STEP_MS = 100;

/** Why Run is disabled right now, or null when it is enabled. */
export function runReason(s: AppState): string | null {
  if (s.runActive) return 'A run is active: stop it first.';
  return runBlocker(s.job, s.runConfig, validationOf(s.job));
}

const controllable = (s: AppState) => s.runActive && (s.runStatus.state === 'running' || s.runStatus.state === 'paused');

export const runCommands: Command[] = [
  {
    id: 'run', label: 'Run', shortcuts: ['Mod+Enter'], inInputs: true,
    enabled: (s) => runReason(s) === null,
    perform: async (s) => {
      const report = await s.startRun();
      // A run that began and then failed shows its cause in the run bar; a refused start says why here.
      if (!report.ok && !report.errors.some((e) => e.code === RUN_NOT_STARTED)) {
        throw new Error(report.errors.map((e) => e.message).join(' '));
      }
    },
  },
  {
    id: 'stop', label: 'Stop', shortcuts: ['Mod+Shift+Enter'], inInputs: true,
    enabled: (s) => s.runActive,
    perform: async (s) => {
      await s.stopRun();
    },
  },
  {
    id: 'pause-resume', label: 'Pause / Resume', shortcuts: ['Space'],
    enabled: controllable,
    perform: async (s) => {
      if (s.runStatus.state === 'running') await s.pauseRun();
      else await s.resumeRun();
    },
  },
  {
    id: 'step', label: `Step ${STEP_MS} ms`, shortcuts: ['.'],
    enabled: controllable,
    perform: async (s) => {
      await s.advanceRun(STEP_MS);
    },
  },
];

/**
 * The run bar under the top bar: Run / Stop, Pause / Resume, Step, the run's state and
 * virtual time, its failure cause, and the run settings. Every button is a command of the
 * registry (with its shortcut); a disabled Run says why.
 */
import { formatShortcut, isMacPlatform } from '../commands/shortcuts';
import { runReason, STEP_MS } from '../commands/runCommands';
import { useApp } from '../store/appStore';
import { CommandButton } from '../toolbar/CommandButton';
import { FailureCause } from './FailureCause';
import { RunSettings } from './RunSettings';
import { ApproximateLabel, RunStatusBadge, VirtualTime } from './RunStatusBadge';

const MAC = isMacPlatform();

function RunOrStop() {
  const active = useApp((s) => s.runActive);
  const reason = useApp(runReason);
  if (active) {
    return <CommandButton id="stop" icon="stop" text="Stop" title={`Stop the run and return to design mode (${formatShortcut('Mod+Shift+Enter', MAC)})`} />;
  }
  return (
    <CommandButton id="run" icon="run" text="Run" variant="primary"
      title={reason ? `Cannot run: ${reason}` : `Run the job (${formatShortcut('Mod+Enter', MAC)})`} />
  );
}

function PauseResume() {
  const state = useApp((s) => s.runStatus.state);
  const paused = state === 'paused';
  const text = paused ? 'Resume' : 'Pause';
  return (
    <CommandButton id="pause-resume" icon={paused ? 'run' : 'pause'} text={text} ariaLabel={text}
      title={`${text} (Space)`} />
  );
}

function BlockedReason() {
  const active = useApp((s) => s.runActive);
  const reason = useApp(runReason);
  if (active || !reason) return null;
  return <span className="runbar__blocked" data-testid="run-blocked-reason" title={reason}>{reason}</span>;
}

export function RunBar() {
  const active = useApp((s) => s.runActive);
  return (
    <section className={`runbar${active ? ' is-active' : ''}`} data-testid="run-bar" aria-label="Run">
      <div className="runbar__controls" role="group" aria-label="Run controls">
        <RunOrStop />
        <PauseResume />
        <CommandButton id="step" icon="step" text="Step" title={`Advance ${STEP_MS} ms of virtual time, then pause (.)`} />
      </div>
      <div className="runbar__state">
        <RunStatusBadge />
        <ApproximateLabel />
        <VirtualTime />
        <FailureCause />
        <BlockedReason />
      </div>
      <RunSettings />
    </section>
  );
}

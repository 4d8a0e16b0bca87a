/**
 * The run's state as an icon and a word (never colour alone), and its virtual time as
 * `mm:ss.mmm` (the exact ms in `data-value`).
 */
import type { RunState } from '../../engine/runtime/telemetry';
import { formatVirtualTime } from '../model/runFormat';
import { useApp } from '../store/appStore';

const LOOK: Record<RunState, { icon: string; text: string }> = {
  idle: { icon: '○', text: 'Not running' },
  starting: { icon: '◌', text: 'Starting' },
  running: { icon: '▶', text: 'Running' },
  paused: { icon: '❚❚', text: 'Paused' },
  failed: { icon: '✕', text: 'Failed' },
  finished: { icon: '✓', text: 'Finished' },
  restarting: { icon: '↻', text: 'Restarting' },
  stopped: { icon: '■', text: 'Stopped' },
};

export function RunStatusBadge() {
  const state = useApp((s) => s.runStatus.state);
  const look = LOOK[state] ?? { icon: '?', text: state };
  return (
    <span className={`run-status run-status--${state}`} data-testid="run-status" data-state={state} role="status" aria-live="polite">
      <span className="run-status__icon" aria-hidden="true">{look.icon}</span>
      <span>{look.text}</span>
    </span>
  );
}

/** Approximate local recovery trades exactness for availability: the run says so while it runs. */
export function ApproximateLabel() {
  const active = useApp((s) => s.runActive);
  const approximate = useApp((s) => s.runConfig.failover === 'approximate');
  if (!active || !approximate) return null;
  return (
    <span className="run-approximate" data-testid="run-approximate"
      title="Approximate local recovery: only a failed task restarts; records sent to it while it is down are lost (and counted)">
      approximate — may lose records
    </span>
  );
}

export function VirtualTime() {
  const ms = useApp((s) => s.runStatus.virtualTimeMs);
  const speed = useApp((s) => s.runStatus.speedReached);
  const title = `Virtual time since the run started${speed !== undefined ? ` (running at ${speed.toFixed(2)}× real time)` : ''}`;
  return (
    <span className="run-time" data-testid="run-time" data-value={ms} title={title} aria-label={`Virtual time ${formatVirtualTime(ms)}`}>
      {formatVirtualTime(ms)}
    </span>
  );
}

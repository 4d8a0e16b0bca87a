/**
 * The Checkpoints panel, Flink-like: a summary (completed, failed, in progress; duration, size
 * and alignment min/avg/max), the history table (id, status, acked/total, trigger time,
 * duration, size full vs incremental, per-region outcome) whose rows expand to per-subtask
 * sync / async / alignment figures, and a Trigger checkpoint button. A timeline mark opens
 * it at its checkpoint. Empty state while checkpoints are off or none ran yet.
 */
import { Fragment, useEffect, useState } from 'react';
import type { CheckpointStats, MinAvgMax } from '../../../engine/checkpoint/types';
import { formatVirtualTime } from '../../model/runFormat';
import { useApp, useAppStore } from '../../store/appStore';
import { reportFailure } from '../report';
import { openInspector } from '../inspector/inspectorSelection';
import { formatDuration, formatSize, regionOutcomeText, STATUS_MARK, subtasksByOperator } from './checkpointFormat';

const SHOWN = 100;

function Figure({ label, value, testId }: { label: string; value: MinAvgMax; testId: string }) {
  return (
    <div className="ck-summary__figure" data-testid={testId}>
      <span className="ck-summary__label">{label}</span>
      <span className="mono">{formatDuration(value.min)} / {formatDuration(value.avg)} / {formatDuration(value.max)}</span>
    </div>
  );
}

function SubtaskRows({ c, name }: { c: CheckpointStats; name: (id: string) => string }) {
  const groups = subtasksByOperator(c);
  if (groups.length === 0) return <p className="dock__empty">No subtask has acknowledged yet.</p>;
  return (
    <table className="ck-subtasks" data-testid={`checkpoint-subtasks-${c.id}`}>
      <thead><tr><th>Subtask</th><th>Acked at</th><th>Sync</th><th>Async</th><th>Alignment</th><th>Full size</th><th>Changed</th></tr></thead>
      <tbody>
        {groups.flatMap((g) => g.rows.map((s) => (
          <tr key={`${g.operatorId}#${s.index}`} data-testid={`checkpoint-subtask-${c.id}-${g.operatorId}-${s.index}`}>
            <td>{name(g.operatorId)} <span className="mono">#{s.index}</span></td>
            <td className="mono">{formatVirtualTime(s.ackMs)}</td>
            <td className="mono">{formatDuration(s.syncMs)}</td>
            <td className="mono">{formatDuration(s.asyncMs)}</td>
            <td className="mono">{formatDuration(s.alignmentMs)}</td>
            <td className="mono">{formatSize(s.stateSize)}</td>
            <td className="mono">{formatSize(s.changedSize)}</td>
          </tr>
        )))}
      </tbody>
    </table>
  );
}

export function CheckpointsPanel() {
  const store = useAppStore();
  const report = useApp((s) => s.runCheckpoints);
  const job = useApp((s) => s.runJob);
  const focus = useApp((s) => (s.runFocus?.kind === 'checkpoint' ? s.runFocus.id : null));
  const canTrigger = useApp((s) => s.runActive && ['running', 'paused'].includes(s.runStatus.state));
  const [expanded, setExpanded] = useState<number | null>(null);
  const [triggered, setTriggered] = useState<string | null>(null);
  useEffect(() => {
    if (focus === null) return;
    setExpanded(focus);
    document.querySelector(`[data-testid="checkpoint-row-${focus}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focus]);
  const name = (id: string) => job?.operators.find((o) => o.id === id)?.name ?? id;
  const trigger = () => {
    const run = store.getState().triggerRunCheckpoint().then((id) => setTriggered(`Checkpoint ${id} triggered.`));
    reportFailure(store, 'Trigger checkpoint', run);
  };
  const history = report ? [...report.history].reverse().slice(0, SHOWN) : [];
  return (
    <div className="checkpoints-panel" data-testid="checkpoints-panel">
      <div className="dock__toolbar">
        <button type="button" className="btn" data-testid="checkpoint-trigger" disabled={!canTrigger} onClick={trigger}>Trigger checkpoint</button>
        {report && (
          <span className="muted" data-testid="checkpoint-mode">{report.mode} · {report.type}</span>
        )}
        {triggered && <span className="muted" role="status">{triggered}</span>}
      </div>
      {!report || (!report.enabled && report.history.length === 0) ? (
        <p className="dock__empty" data-testid="checkpoints-empty">
          {report ? 'Checkpoints are off for this run (interval 0). Trigger one by hand, or set an interval in the run settings.' : 'No checkpoint yet. Periodic checkpoints show here once the first one is triggered; you can also trigger one now.'}
        </p>
      ) : (
        <>
          <div className="ck-summary" data-testid="checkpoint-summary">
            <span data-testid="checkpoint-count-completed">✓ {report.summary.completed} completed</span>
            <span data-testid="checkpoint-count-failed">✕ {report.summary.failed} failed</span>
            <span data-testid="checkpoint-count-in-progress">… {report.summary.inProgress} in progress</span>
            <Figure label="duration min/avg/max" value={report.summary.durationMs} testId="checkpoint-summary-duration" />
            <div className="ck-summary__figure" data-testid="checkpoint-summary-size">
              <span className="ck-summary__label">size min/avg/max</span>
              <span className="mono">{formatSize(report.summary.size.min)} / {formatSize(report.summary.size.avg)} / {formatSize(report.summary.size.max)}</span>
            </div>
            <Figure label="alignment min/avg/max" value={report.summary.alignmentMs} testId="checkpoint-summary-alignment" />
          </div>
          <table className="ck-table">
            <thead>
              <tr><th>ID</th><th>Status</th><th>Acked</th><th>Triggered</th><th>Duration</th><th>Full size</th><th>Incremental</th><th>Regions</th></tr>
            </thead>
            <tbody>
              {history.map((c) => (
                <Fragment key={c.id}>
                  <tr className={`ck-row ck-row--${c.status}${focus === c.id ? ' is-focused' : ''}`} data-testid={`checkpoint-row-${c.id}`} data-status={c.status}>
                    <td>
                      <button type="button" className="btn btn--link mono" data-testid={`checkpoint-expand-${c.id}`} aria-expanded={expanded === c.id}
                        onClick={() => setExpanded(expanded === c.id ? null : c.id)}>{expanded === c.id ? '▾' : '▸'} {c.id}</button>
                    </td>
                    <td title={c.failure ? `${c.failure.reason}: ${c.failure.message}` : undefined}>{STATUS_MARK[c.status]} {c.status}{c.failure ? ` (${c.failure.reason})` : ''}</td>
                    <td className="mono" data-testid={`checkpoint-acked-${c.id}`}>{c.acknowledged}/{c.total}</td>
                    <td className="mono">{formatVirtualTime(c.triggerMs)}</td>
                    <td className="mono">{formatDuration(c.durationMs)}</td>
                    <td className="mono">{formatSize(c.stateSize)}</td>
                    <td className="mono">{formatSize(c.changedSize)}{c.type === 'incremental' ? ' ◂' : ''}</td>
                    <td className="ck-regions">
                      {c.status === 'completed' && (report.retained === undefined || report.retained.includes(c.id)) && (
                        <button type="button" className="btn btn--link" data-testid={`checkpoint-inspect-${c.id}`}
                          title="Open this checkpoint in the inspector (kept while retained)" onClick={() => openInspector(store, c.id)}>Inspect</button>
                      )}
                      {c.regions.map((r) => (
                        <span key={r.region} className={`ck-region ck-region--${r.status}`} data-testid={`checkpoint-region-${c.id}-${r.region}`} data-status={r.status}
                          title={r.failure ? `${r.failure.reason}: ${r.failure.message}` : undefined}>
                          {r.region}: {regionOutcomeText(r)}
                        </span>
                      ))}
                    </td>
                  </tr>
                  {expanded === c.id && (
                    <tr className="ck-detail"><td colSpan={8}><SubtaskRows c={c} name={name} /></td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

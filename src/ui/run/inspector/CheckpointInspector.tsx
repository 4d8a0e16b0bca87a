/**
 * The checkpoint inspector (the dock's Inspector tab; seed 2's metadata inspection tool): which
 * checkpoint, what it holds per operator (id ↔ state id ↔ name, filterable by any of them),
 * per subtask and per key group, how much of it this checkpoint wrote and how much it
 * re-references from earlier ones, which checkpoints are retained, and Export JSON
 * (`checkpoint-metadata/1`). It renders the cluster's `checkpointDetail`; it computes nothing.
 */
import { Fragment, useId, useState } from 'react';
import { filterOperators, type CheckpointDetail } from '../../../engine/checkpoint/inspect';
import { downloadText } from '../../library/jobFile';
import { formatExact, formatVirtualTime } from '../../model/runFormat';
import { formatBytes } from '../state/stateFormat';
import { useApp, useAppStore } from '../../store/appStore';
import { errorMessage } from '../clusterClient';
import { useInspectorSelection } from './inspectorSelection';
import { CleanupTable } from './CleanupTable';
import { OperatorSubtasks } from './OperatorSubtasks';
import { useCheckpointDetail } from './useCheckpointDetail';
import './inspector.css';

function Summary({ detail }: { detail: CheckpointDetail }) {
  const t = detail.totals;
  const share = t.rows === 0 ? 0 : Math.round((100 * (t.rows - t.referencedRows)) / t.rows);
  return (
    <div className="inspector-summary" data-testid="inspector-summary" data-checkpoint={detail.id} data-rows={t.rows} data-written={t.writtenRows} data-referenced={t.referencedRows}>
      <span><strong>Checkpoint {detail.id}</strong> · {detail.type} · {detail.mode} · completed at {formatVirtualTime(detail.completedMs)}</span>
      <span>{formatExact(t.rows)} rows in {formatExact(t.keyGroups)} key groups over {t.subtasks} subtasks</span>
      <span title="Rows of the key groups whose shard version this checkpoint sealed">
        {detail.type === 'full'
          ? `full: self-contained, sized at all ${formatExact(t.ackStateSize)} rows; its seals changed ${formatExact(t.writtenRows)}`
          : `${formatExact(t.writtenRows)} rows written (incremental)`}; {share}% of rows are in key groups it wrote
      </span>
      <span title="Rows in unchanged key groups, whose shard version an earlier checkpoint wrote">{formatExact(t.referencedRows)} rows re-referenced from earlier checkpoints</span>
      <span data-testid="inspector-retention">
        retained {detail.retention.retained.join(', ')} · versions kept for {detail.retention.referenced.join(', ') || '—'} · older folded before {detail.retention.releasableBefore}
      </span>
    </div>
  );
}

function OperatorTable({ detail, filter }: { detail: CheckpointDetail; filter: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const shown = filterOperators(detail.operators, filter);
  if (shown.length === 0) return <p className="dock__empty" data-testid="inspector-no-match">No operator’s id, state id or name contains “{filter}”.</p>;
  return (
    <table className="data-table inspector-operators" data-testid="inspector-operators">
      <thead>
        <tr>
          <th scope="col">operator</th><th scope="col">id</th><th scope="col">state id</th><th scope="col">kind</th>
          <th scope="col">parallelism / max</th><th scope="col">rows</th><th scope="col">written</th><th scope="col">re-referenced</th><th scope="col">bytes</th><th scope="col">key groups</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((op) => (
          <Fragment key={op.operatorId}>
            <tr data-testid={`inspector-operator-${op.operatorId}`} data-rows={op.rows}>
              <td>
                <button type="button" className="btn btn--link" aria-expanded={open === op.operatorId} data-testid={`inspector-operator-toggle-${op.operatorId}`}
                  onClick={() => setOpen(open === op.operatorId ? null : op.operatorId)}>
                  {open === op.operatorId ? '▾' : '▸'} {op.name}
                </button>
              </td>
              <td className="mono">{op.operatorId}</td>
              <td className="mono" title={op.uid !== undefined ? 'from the operator’s uid' : 'a hash of its kind, inputs and config (no uid set)'}>{op.stateId}</td>
              <td>{op.kind}</td>
              <td className="mono">{op.parallelism} / {op.keyed ? formatExact(op.maxParallelism) : '—'}</td>
              <td className="mono">{op.keyed ? formatExact(op.rows) : '—'}</td>
              <td className="mono">{op.keyed ? formatExact(op.writtenRows) : '—'}</td>
              <td className="mono">{op.keyed ? formatExact(op.referencedRows) : '—'}</td>
              <td className="mono" title="Approximate serialised size, as the IndexedDB backend records it">{op.bytes === undefined ? '—' : formatBytes(op.bytes)}</td>
              <td className="mono">{op.keyed ? formatExact(op.keyGroups) : '—'}</td>
            </tr>
            {open === op.operatorId && (
              <tr className="inspector-operator-detail"><td colSpan={10}><OperatorSubtasks op={op} checkpointId={detail.id} /></td></tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

export function CheckpointInspector() {
  const store = useAppStore();
  const { checkpointId, select } = useInspectorSelection();
  const { state, reload } = useCheckpointDetail(checkpointId);
  const jobName = useApp((s) => s.runJob?.name ?? 'job');
  const job = useApp((s) => s.runJob);
  const cleanups = useApp((s) => s.runCheckpoints?.cleanups);
  const [filter, setFilter] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const id = useId();
  const detail = state.kind === 'ready' ? state.detail : null;
  const retained = detail?.retention.retained ?? [];

  const exportJson = () => {
    const which = detail?.id;
    store.getState().queryRun('export a checkpoint', (api) => api.exportCheckpoint(which)).then(
      (doc) => {
        const slug = jobName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'job';
        const name = downloadText(`${slug}-checkpoint-${doc.checkpoint.id}.json`, `${JSON.stringify(doc, null, 2)}\n`);
        setNote(`Exported ${name}.`);
      },
      (error: unknown) => setNote(`Export failed: ${errorMessage(error)}`),
    );
  };

  return (
    <div className="inspector-panel" data-testid="inspector-panel">
      <div className="dock__toolbar inspector-toolbar">
        <label className="inspector-field">
          <span>Checkpoint</span>
          <select className="input" data-testid="inspector-checkpoint" value={checkpointId === null ? 'latest' : String(checkpointId)}
            onChange={(e) => select(e.target.value === 'latest' ? null : Number(e.target.value))}>
            <option value="latest">latest{detail && checkpointId === null ? ` (${detail.id})` : ''}</option>
            {[...retained].reverse().map((c) => <option key={c} value={c}>{c}</option>)}
            {checkpointId !== null && !retained.includes(checkpointId) && <option value={checkpointId}>{checkpointId}</option>}
          </select>
        </label>
        <label className="inspector-field" htmlFor={`${id}-filter`}>
          <span>Filter</span>
          <input id={`${id}-filter`} className="input inspector-filter" data-testid="inspector-filter" value={filter} placeholder="operator id, state id or name"
            spellCheck={false} autoComplete="off" onChange={(e) => setFilter(e.target.value)} />
        </label>
        <button type="button" className="btn" data-testid="inspector-refresh" onClick={reload}>Refresh</button>
        <button type="button" className="btn btn--primary" data-testid="inspector-export" disabled={detail === null} onClick={exportJson}>Export JSON</button>
        {note && <span className="muted" role="status" data-testid="inspector-note">{note}</span>}
      </div>
      {state.kind === 'idle' && <p className="dock__empty" data-testid="inspector-empty">No completed checkpoint to inspect yet. Run a job with checkpoints, or trigger one in the Checkpoints tab.</p>}
      {state.kind === 'loading' && <p className="dock__empty">Reading the checkpoint’s metadata…</p>}
      {state.kind === 'error' && <p className="state-lookup__error" role="alert" data-testid="inspector-error">{state.message}</p>}
      {detail && (
        <>
          <Summary detail={detail} />
          <p className="inspector-legend" aria-hidden="true">
            <span className="inspector-swatch inspector-swatch--written" /> written by this checkpoint
            <span className="inspector-swatch inspector-swatch--referenced" /> re-referenced from an earlier one
          </p>
          <OperatorTable detail={detail} filter={filter} />
          <CleanupTable cleanups={cleanups ?? []} name={(opId) => job?.operators.find((o) => o.id === opId)?.name ?? opId} />
        </>
      )}
    </div>
  );
}

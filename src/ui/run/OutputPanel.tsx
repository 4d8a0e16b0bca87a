/**
 * What the job's collect sinks wrote: committed and pending counts (two-phase commit) and the
 * newest records as a table. Values are text, never HTML.
 */
import type { SinkOutput } from '../../engine/runtime/telemetry';
import { cellText, outputColumns, outputRows } from '../model/outputTable';
import { formatExact } from '../model/runFormat';
import { useApp } from '../store/appStore';

function SinkTable({ id, name, output }: { id: string; name: string; output: SinkOutput | undefined }) {
  const rows = output ? outputRows(output) : [];
  const columns = outputColumns(rows.map((r) => r.record));
  return (
    <section className="sink" data-testid={`output-sink-${id}`} aria-label={`Output of ${name}`}>
      <header className="sink__header">
        <h3 className="sink__name">{name} <span className="muted mono">{id}</span></h3>
        <span className="sink__count">
          committed <strong data-testid={`output-committed-count-${id}`} data-value={output?.committedCount ?? 0}>{formatExact(output?.committedCount ?? 0)}</strong>
        </span>
        <span className="sink__count sink__count--pending" title="Written but not yet committed by a completed checkpoint (two-phase commit)">
          pending <strong data-testid={`output-pending-count-${id}`} data-value={output?.pendingCount ?? 0}>{formatExact(output?.pendingCount ?? 0)}</strong>
        </span>
      </header>
      {rows.length === 0 ? (
        <p className="dock__empty">No records yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">status</th>
              {columns.map((c) => <th key={c} scope="col">{c}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} data-testid="output-row" data-status={row.status} className={row.status === 'pending' ? 'is-pending' : undefined}>
                <td>{row.status === 'pending' ? '◌ pending' : '✓ committed'}</td>
                {columns.map((c) => <td key={c}>{cellText(row.record[c])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function OutputPanel() {
  const job = useApp((s) => s.runJob);
  const outputs = useApp((s) => s.runOutputs);
  const sinks = (job?.operators ?? []).filter((op) => op.kind === 'collect');
  const extra = Object.keys(outputs).filter((id) => !sinks.some((op) => op.id === id));
  return (
    <div className="output-panel" data-testid="output-panel">
      {sinks.length === 0 && extra.length === 0 && (
        <p className="dock__empty">This job has no collect sink. Add a Collect sink to see its records here.</p>
      )}
      {sinks.map((op) => <SinkTable key={op.id} id={op.id} name={op.name} output={outputs[op.id]} />)}
      {extra.map((id) => <SinkTable key={id} id={id} name={id} output={outputs[id]} />)}
    </div>
  );
}

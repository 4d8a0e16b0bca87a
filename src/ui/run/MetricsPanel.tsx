/**
 * Every subtask's figures as Flink reports them (records, rates, busy / idle / back-pressured
 * ms per second, watermark, slow-down factor) and every channel's backlog and credit.
 */
import { formatCompact, formatExact, formatRate, formatVirtualTime } from '../model/runFormat';
import { useApp } from '../store/appStore';

export function MetricsPanel() {
  const metrics = useApp((s) => s.runMetrics);
  const job = useApp((s) => s.runJob);
  if (!metrics) return <div className="metrics-panel" data-testid="metrics-panel"><p className="dock__empty">No figures yet.</p></div>;
  const name = (id: string) => job?.operators.find((o) => o.id === id)?.name ?? id;
  const channels = metrics.channels.filter((c) => c.backlog > 0 || c.recordsPerSecond > 0).slice(0, 200);
  return (
    <div className="metrics-panel" data-testid="metrics-panel">
      <table className="data-table data-table--numeric">
        <caption className="panel-heading">Subtasks</caption>
        <thead>
          <tr>
            <th scope="col">operator</th><th scope="col">#</th><th scope="col">TM</th><th scope="col">state</th>
            <th scope="col">in</th><th scope="col">out</th><th scope="col">in/s</th><th scope="col">out/s</th>
            <th scope="col">busy ms/s</th><th scope="col">idle ms/s</th><th scope="col">back-pressured ms/s</th>
            <th scope="col">watermark</th><th scope="col">slow</th>
          </tr>
        </thead>
        <tbody>
          {metrics.subtasks.map((s) => (
            <tr key={`${s.operatorId}#${s.index}`} data-testid={`metrics-row-${s.operatorId}-${s.index}`}>
              <td>{name(s.operatorId)}</td><td>{s.index}</td><td>{s.taskManager}</td><td>{s.state}</td>
              <td title={formatExact(s.recordsIn)}>{formatCompact(s.recordsIn)}</td>
              <td title={formatExact(s.recordsOut)}>{formatCompact(s.recordsOut)}</td>
              <td>{formatRate(s.recordsInPerSecond)}</td><td>{formatRate(s.recordsOutPerSecond)}</td>
              <td>{Math.round(s.busyMsPerSecond)}</td><td>{Math.round(s.idleMsPerSecond)}</td><td>{Math.round(s.backPressuredMsPerSecond)}</td>
              <td>{s.watermark === null ? '—' : formatVirtualTime(s.watermark)}</td>
              <td>{s.slowFactor === 1 ? '' : `×${s.slowFactor}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table data-table--numeric">
        <caption className="panel-heading">Channels with traffic or backlog{metrics.channels.length > channels.length ? ` (${channels.length} of ${metrics.channels.length})` : ''}</caption>
        <thead>
          <tr><th scope="col">edge</th><th scope="col">from</th><th scope="col">to</th><th scope="col">records</th><th scope="col">records/s</th><th scope="col">backlog</th><th scope="col">credit</th></tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={`${c.edgeId}|${c.from.index}|${c.to.index}`}>
              <td>{c.edgeId}</td><td>#{c.from.index}</td><td>#{c.to.index}</td>
              <td>{formatCompact(c.recordsOut)}</td><td>{formatRate(c.recordsPerSecond)}</td><td>{c.backlog}</td><td>{c.credit}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

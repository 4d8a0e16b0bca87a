/**
 * The straggler view: for each rebalance or rescale edge, throughput and backlog per receiving
 * subtask, side by side, with the channel selection (round-robin or backlog-based) switchable
 * live. Slow one receiver down and the difference shows at a glance: round-robin keeps
 * queueing buffers for the straggler; backlog-based selection routes around it.
 */
import { useMemo } from 'react';
import type { ChannelSelection } from '../../../engine/runtime/runConfig';
import { formatExact, formatRate } from '../../model/runFormat';
import { useApp, useAppStore } from '../../store/appStore';
import { reportFailure, injectFromUi } from '../report';
import { backlogSkew, receiversSignature } from './channels';
import { receiversOf } from './vizSelectors';

function EdgeChannels({ from, to }: { from: string; to: string }) {
  const store = useAppStore();
  const id = `${from}->${to}`;
  const signature = useApp((s) => receiversSignature(receiversOf(s, id)));
  const slow = useApp((s) => (s.runIndex?.subtasks.get(to) ?? []).map((x) => x.slowFactor).join(','));
  const names = useApp((s) => s.runJob);
  const receivers = useMemo(() => receiversOf(store.getState(), id), [store, id, signature]); // eslint-disable-line react-hooks/exhaustive-deps
  const slowFactors = slow.split(',').map(Number);
  const maxRate = Math.max(1, ...receivers.map((r) => r.recordsPerSecond));
  const maxBacklog = Math.max(1, ...receivers.map((r) => r.backlog));
  const name = (opId: string) => names?.operators.find((o) => o.id === opId)?.name ?? opId;
  const skew = backlogSkew(receivers);
  return (
    <section className="channels-edge" data-testid={`channels-${from}-${to}`} data-skew={skew.toFixed(2)}>
      <h3 className="panel-heading">{name(from)} → {name(to)} <span className="muted">backlog skew {skew.toFixed(1)}× (1× = even)</span></h3>
      {receivers.length === 0 ? <p className="dock__empty">No channel figures yet.</p> : (
        <table className="channels-table">
          <thead><tr><th>Receiver</th><th>Throughput</th><th>Backlog (buffers queued)</th><th /></tr></thead>
          <tbody>
            {receivers.map((r) => {
              const factor = slowFactors[r.index] ?? 1;
              return (
                <tr key={r.index} data-testid={`channel-row-${from}-${to}-${r.index}`} data-rate={r.recordsPerSecond} data-backlog={r.backlog}>
                  <td>{name(to)} <span className="mono">#{r.index}</span>{factor !== 1 && <span className="channels-slow" title="Slowed down"> ×{factor} slow</span>}</td>
                  <td><span className="channels-bar channels-bar--rate" style={{ width: `${(r.recordsPerSecond / maxRate) * 100}%` }} /><span className="mono">{formatRate(r.recordsPerSecond)}</span></td>
                  <td><span className="channels-bar channels-bar--backlog" style={{ width: `${(r.backlog / maxBacklog) * 100}%` }} /><span className="mono">{formatExact(r.backlog)}</span></td>
                  <td>
                    <button type="button" className="btn" data-testid={`channel-slow-${to}-${r.index}`}
                      onClick={() => injectFromUi(store, `${factor === 1 ? 'Slow' : 'Restore'} ${name(to)} #${r.index}`, { kind: 'slow-task', operator: to, subtask: r.index, factor: factor === 1 ? 10 : 1 })}>
                      {factor === 1 ? 'Slow ×10' : 'Restore speed'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ChannelsPanel() {
  const store = useAppStore();
  const job = useApp((s) => s.runJob);
  const selection = useApp((s) => s.runConfig.channelSelection);
  const edges = (job?.edges ?? []).filter((e) => e.partitioner === 'rebalance' || e.partitioner === 'rescale');
  const choose = (next: ChannelSelection) => reportFailure(store, 'Switch the channel selection', store.getState().setRunChannelSelection(next));
  return (
    <div className="channels-panel" data-testid="channels-panel">
      <div className="dock__toolbar" role="radiogroup" aria-label="Channel selection">
        <span>Channel selection:</span>
        {(['round-robin', 'backlog'] as const).map((s) => (
          <button key={s} type="button" role="radio" aria-checked={selection === s} className={`btn${selection === s ? ' btn--primary' : ''}`}
            data-testid={`channel-selection-${s}`} onClick={() => choose(s)}>
            {s === 'round-robin' ? 'Round-robin' : 'Backlog-based'}
          </button>
        ))}
        <span className="muted">applies live to rebalance and rescale edges</span>
      </div>
      {edges.length === 0
        ? <p className="dock__empty" data-testid="channels-empty">This job has no rebalance or rescale edge; channel selection only matters there.</p>
        : edges.map((e) => <EdgeChannels key={`${e.from}->${e.to}`} from={e.from} to={e.to} />)}
    </div>
  );
}

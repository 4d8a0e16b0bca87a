/**
 * An operator's live figures in run mode: records in and out (exact value in `data-value`)
 * and its output rate (input rate for sinks), plus a state tag once it failed, is restarting or
 * finished.
 */
import { formatCompact, formatExact, formatRate } from '../model/runFormat';
import { operatorRunState } from '../model/runMetrics';
import { useApp } from '../store/appStore';

export function LiveCounts({ id, isSink }: { id: string; isSink: boolean }) {
  const active = useApp((s) => s.runActive);
  const m = useApp((s) => s.runIndex?.operators.get(id));
  const state = useApp((s) => operatorRunState(s.runIndex?.subtasks.get(id)));
  const recovering = useApp((s) => s.runIndex?.subtasks.get(id)?.some((x) => x.state === 'restarting' || x.state === 'restoring') ?? false);
  if (!active) return null;
  const recordsIn = m?.recordsIn ?? 0;
  const recordsOut = m?.recordsOut ?? 0;
  const rate = isSink ? m?.recordsInPerSecond ?? 0 : m?.recordsOutPerSecond ?? 0;
  return (
    <div className="live-counts" aria-label="Live counts">
      <span className="live-counts__item" title={`${formatExact(recordsIn)} records in`}>
        <span className="live-counts__label">in</span>
        <span data-testid={`node-records-in-${id}`} data-value={recordsIn}>{formatCompact(recordsIn)}</span>
      </span>
      <span className="live-counts__item" title={`${formatExact(recordsOut)} records out`}>
        <span className="live-counts__label">out</span>
        <span data-testid={`node-records-out-${id}`} data-value={recordsOut}>{formatCompact(recordsOut)}</span>
      </span>
      <span className="live-counts__rate" data-testid={`node-rate-${id}`} data-value={rate} title={`${isSink ? 'Input' : 'Output'} records per virtual second`}>
        {formatRate(rate)}
      </span>
      {recovering && state !== 'failed' && (
        <span className="live-counts__state live-counts__state--recovering" data-testid={`node-state-${id}`}>↻ restarting</span>
      )}
      {(state === 'failed' || state === 'finished') && (
        <span className={`live-counts__state live-counts__state--${state}`} data-testid={`node-state-${id}`}>
          {state === 'failed' ? '✕ failed' : '✓ finished'}
        </span>
      )}
    </div>
  );
}

/**
 * Run-mode extras of an edge: per-receiver backlog bars (rebalance and rescale edges, where
 * channel selection matters), the backpressure-origin tag, and the barrier of the checkpoint
 * in flight drawn along the path (an approximation from which subtasks acknowledged; see
 * run/viz/barriers.ts).
 */
import { EdgeLabelRenderer } from '@xyflow/react';
import { useApp } from '../store/appStore';
import { formatExact, formatRate } from '../model/runFormat';
import { pointOnBezier } from '../run/viz/barriers';
import { receiversOf, barriersOf, originOf } from '../run/viz/vizSelectors';
import { receiversSignature } from '../run/viz/channels';
import { useMemo } from 'react';

/** Most bars drawn per edge. */
const MAX_BARS = 16;

export function useEdgeOrigin(id: string): boolean {
  return useApp((s) => s.runActive && originOf(s).edges.has(id));
}

export function EdgeBacklogBars({ id, source, target }: { id: string; source: string; target: string }) {
  const signature = useApp((s) => receiversSignature(receiversOf(s, id)));
  const bars = useMemo(() => signature === '' ? [] : signature.split(',').slice(0, MAX_BARS).map((part) => {
    const [index, rate, backlog] = part.split(':').map(Number) as [number, number, number];
    return { index, rate, backlog };
  }), [signature]);
  if (bars.length === 0) return null;
  const max = Math.max(1, ...bars.map((b) => b.backlog));
  const top = bars.reduce((m, b) => Math.max(m, b.backlog), 0);
  return (
    <span className="edge-bars" data-testid={`edge-bars-${source}-${target}`} aria-label="Backlog per receiving subtask">
      {bars.map((b) => (
        <span key={b.index} className={`edge-bar${top > 0 && b.backlog === top ? ' is-max' : ''}`} data-testid={`edge-bar-${source}-${target}-${b.index}`}
          data-backlog={b.backlog} data-rate={b.rate} style={{ height: `${Math.max(1, Math.round((b.backlog / max) * 14))}px` }}
          title={`to ${target} #${b.index}: ${formatExact(b.backlog)} buffers queued, ${formatRate(b.rate)}`} />
      ))}
    </span>
  );
}

interface BarrierProps {
  id: string;
  source: string;
  target: string;
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
}

export function EdgeBarrier({ id, source, target, sourceX, sourceY, targetX, targetY }: BarrierProps) {
  const b = useApp((s) => {
    const p = barriersOf(s).get(id);
    return p ? `${p.checkpointId}:${p.t.toFixed(3)}:${p.sendersAcked}/${p.senders}:${p.receiversAcked}/${p.receivers}` : '';
  });
  if (b === '') return null;
  const [checkpointId, t, senders, receivers] = b.split(':') as [string, string, string, string];
  const { x, y } = pointOnBezier(sourceX, sourceY, targetX, targetY, Number(t));
  // Drawn in the label layer, above the edge labels, so short edges still show it.
  return (
    <EdgeLabelRenderer>
      <div className="barrier" data-testid={`barrier-${source}-${target}`} data-checkpoint={checkpointId} data-t={t}
        style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
        title={`Checkpoint ${checkpointId} barrier: ${senders} senders and ${receivers} receivers acknowledged (position approximated from acknowledgements)`}>
        <span className="barrier__bar" aria-hidden="true" />
        <span className="barrier__text">{checkpointId}</span>
      </div>
    </EdgeLabelRenderer>
  );
}

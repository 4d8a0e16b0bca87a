/**
 * An edge with its partitioner as a label (plus the key of hash edges). Edges with
 * validation errors are drawn in the error colour with a count. The label is a button:
 * clicking it (or Enter) selects the edge. In run mode the label also shows the edge's
 * records per second and, when buffers queue at its senders, their backlog; rebalance and
 * rescale edges add backlog bars per receiving subtask; the edge where back-pressured senders
 * meet busy receivers is marked as the backpressure origin; a checkpoint barrier travels it.
 */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { useAppStore, useApp } from '../store/appStore';
import { findEdge } from '../model/edges';
import { useEdgeErrors } from '../store/useDerived';
import { formatExact, formatRate } from '../model/runFormat';
import type { PartitionFlowEdge } from './flowElements';
import { EdgeBacklogBars, EdgeBarrier, useEdgeOrigin } from './EdgeViz';

function EdgeRate({ id, source, target }: { id: string; source: string; target: string }) {
  const figures = useApp((s) => s.runIndex?.edges.get(id));
  // A restarted channel starts its counters again; never show a negative rate for it.
  const rate = Math.max(0, figures?.recordsPerSecond ?? 0);
  const backlog = figures?.backlog ?? 0;
  return (
    <>
      <span className="edge-label__rate" data-testid={`edge-rate-${source}-${target}`} data-value={rate}>{formatRate(rate)}</span>
      {backlog > 0 && (
        <span className="edge-label__backlog" data-testid={`edge-backlog-${source}-${target}`} data-value={backlog}
          title={`${formatExact(backlog)} buffers queued at the senders (largest channel: ${formatExact(figures?.maxChannelBacklog ?? 0)})`}>
          {formatExact(backlog)} buf
        </span>
      )}
    </>
  );
}

function PartitionEdgeView(props: EdgeProps<PartitionFlowEdge>) {
  const { id, source, target, selected, markerEnd } = props;
  const store = useAppStore();
  const edge = useApp((s) => findEdge(s.job, id));
  const errors = useEdgeErrors(id);
  const running = useApp((s) => s.runActive);
  const origin = useEdgeOrigin(id);
  const [path, labelX, labelY] = getBezierPath(props);
  if (!edge) return null;
  const invalid = errors.length > 0;
  const bars = running && (edge.partitioner === 'rebalance' || edge.partitioner === 'rescale');
  const classes = ['edge-label', `edge-label--${edge.partitioner}`, selected ? 'is-selected' : '', invalid ? 'has-errors' : '', running ? 'is-running' : '', origin ? 'is-bp-origin' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`partition-edge${invalid ? ' has-errors' : ''}${selected ? ' is-selected' : ''}${origin ? ' is-bp-origin' : ''}`}
        interactionWidth={16}
      />
      {running && <EdgeBarrier id={id} source={source} target={target} sourceX={props.sourceX} sourceY={props.sourceY} targetX={props.targetX} targetY={props.targetY} />}
      <EdgeLabelRenderer>
        <button
          type="button"
          className={`${classes} nodrag nopan`}
          data-testid={`edge-${source}-${target}`}
          data-invalid={invalid || undefined}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={invalid ? errors.map((e) => e.message).join('\n') : `${source} → ${target}`}
          aria-label={`Edge ${source} to ${target}: ${edge.partitioner}${edge.key !== undefined ? ` by ${edge.key}` : ''}${invalid ? `, ${errors.length} problems` : ''}`}
          onClick={() => store.getState().select([], id)}
        >
          <span className="edge-label__line">
            <span className="edge-label__partitioner">{edge.partitioner}</span>
            {edge.partitioner === 'hash' && edge.key !== undefined && <span className="edge-label__key">{edge.key}</span>}
            {invalid && <span className="edge-label__errors">! {errors.length}</span>}
          </span>
          {running && <span className="edge-label__line"><EdgeRate id={id} source={source} target={target} /></span>}
          {bars && <span className="edge-label__line"><EdgeBacklogBars id={id} source={source} target={target} /></span>}
          {origin && <span className="edge-label__line edge-label__origin" data-testid={`edge-origin-${source}-${target}`}>⚠ backpressure origin →</span>}
        </button>
      </EdgeLabelRenderer>
    </>
  );
}

export const PartitionEdge = memo(PartitionEdgeView);

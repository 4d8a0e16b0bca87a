/**
 * An operator on the canvas: category stripe, kind glyph and label, name, parallelism badge,
 * error badge (and outline) when validation errors belong to it, handles for its inputs
 * (left) and outputs (right), and its subtasks when the regions preview is on. In run mode it
 * also shows live counts and its subtasks coloured by how busy they are.
 * Everything user-provided is rendered as text.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { CATALOGUE } from '../../engine';
import { findOperator } from '../model/operators';
import { KindGlyph } from '../palette/KindGlyph';
import { useApp } from '../store/appStore';
import { useOperatorErrors } from '../store/useDerived';
import type { OperatorFlowNode } from './flowElements';
import { LiveCounts } from './LiveCounts';
import { SubtaskCells } from './SubtaskCells';
import { OriginBadge } from './OriginBadge';

/** Subtasks the running plan has for this operator (a rescale changes it), or null with no run. */
function useRunningParallelism(id: string): number | null {
  return useApp((s) => {
    const subtasks = s.runMetrics?.subtasks;
    if (subtasks === undefined) return null;
    let n = 0;
    for (const subtask of subtasks) if (subtask.operatorId === id) n++;
    return n > 0 ? n : null;
  });
}

function OperatorNodeView({ id, selected }: NodeProps<OperatorFlowNode>) {
  const op = useApp((s) => findOperator(s.job, id));
  const errors = useOperatorErrors(id);
  const running = useRunningParallelism(id);
  if (!op) return null;
  // After a rescale the run's parallelism differs from the job as written: show what runs.
  const parallelism = running ?? op.parallelism;
  const rescaled = running !== null && running !== op.parallelism;
  const info = CATALOGUE[op.kind];
  const invalid = errors.length > 0;
  const classes = ['op-node', `cat-${info.category}`, selected ? 'is-selected' : '', invalid ? 'has-errors' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`node-${id}`} data-kind={op.kind} data-invalid={invalid || undefined}>
      {info.maxInputs > 0 && <Handle type="target" position={Position.Left} aria-label={`Input of ${op.name}`} />}
      <div className="op-node__body">
        <div className="op-node__head">
          <KindGlyph kind={op.kind} />
          <span className="op-node__name" title={op.name}>{op.name}</span>
          <span
            className="op-node__par"
            title={rescaled ? `Running at parallelism ${parallelism} (rescaled; the job says ${op.parallelism})` : `Parallelism ${String(op.parallelism)}`}
            data-testid={`node-parallelism-${id}`}
            data-rescaled={rescaled || undefined}
          >
            ×{String(parallelism)}{rescaled ? ' ⇄' : ''}
          </span>
        </div>
        <div className="op-node__meta">
          <span className="op-node__kind">{info.label}</span>
          <span className="op-node__id" title="Operator id">{op.id}</span>
          {invalid && (
            <span
              className="op-node__errors"
              data-testid={`node-errors-${id}`}
              title={errors.map((e) => e.message).join('\n')}
              aria-label={`${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}`}
            >
              ! {errors.length}
            </span>
          )}
        </div>
        <LiveCounts id={op.id} isSink={!info.hasOutputs} />
        <SubtaskCells operatorId={op.id} name={op.name} parallelism={parallelism} />
        <OriginBadge id={op.id} />
      </div>
      {info.hasOutputs && <Handle type="source" position={Position.Right} aria-label={`Output of ${op.name}`} />}
    </div>
  );
}

export const OperatorNode = memo(OperatorNodeView);

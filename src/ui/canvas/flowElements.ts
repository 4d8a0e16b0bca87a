/**
 * The job as React Flow nodes and edges. The job (in the store) is the single source of
 * truth; React Flow gets a fresh, controlled view of it, plus the node sizes it measured
 * (without them React Flow would hide and re-measure every node on each edit).
 */
import { MarkerType, type Edge, type Node } from '@xyflow/react';
import { edgeId, type JobGraph } from '../../engine';
import { positionsFor } from '../model/positions';

export type OperatorFlowNode = Node<Record<string, never>, 'operator'>;
export type PartitionFlowEdge = Edge<Record<string, never>, 'partition'>;

export type Sizes = Record<string, { width: number; height: number }>;

export function toFlowNodes(job: JobGraph, selected: readonly string[], sizes: Sizes): OperatorFlowNode[] {
  const positions = positionsFor(job);
  const chosen = new Set(selected);
  return job.operators.map((op) => {
    const node: OperatorFlowNode = {
      id: op.id,
      type: 'operator',
      position: positions[op.id] ?? { x: 0, y: 0 },
      data: {},
      selected: chosen.has(op.id),
      ariaLabel: `Operator ${op.name} (${op.kind}), id ${op.id}`,
    };
    const size = sizes[op.id];
    if (size) node.measured = size;
    return node;
  });
}

export function toFlowEdges(job: JobGraph, selectedEdge: string | null): PartitionFlowEdge[] {
  return job.edges.map((e) => {
    const id = edgeId(e);
    return {
      id,
      source: e.from,
      target: e.to,
      type: 'partition',
      data: {},
      selected: id === selectedEdge,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      ariaLabel: `Edge ${e.from} to ${e.to}, ${e.partitioner}`,
    };
  });
}

/**
 * Turns React Flow's change events into store edits: moves become layout commits (a whole
 * drag is one undo step), selection changes keep the selection order (first selected first),
 * measured sizes are remembered, connections go through `connect`.
 */
import { useCallback, useRef, type Dispatch, type SetStateAction } from 'react';
import type { Connection, EdgeChange, NodeChange, XYPosition } from '@xyflow/react';
import type { Services } from '../app/services';
import { connect, connectProblem } from '../model/edges';
import { withPositions } from '../model/positions';
import type { OperatorFlowNode, PartitionFlowEdge, Sizes } from './flowElements';

let drags = 0;

function nextSelection(current: readonly string[], changes: readonly { id: string; selected: boolean }[]): string[] {
  const order = [...current];
  for (const c of changes) {
    const at = order.indexOf(c.id);
    if (c.selected && at < 0) order.push(c.id);
    if (!c.selected && at >= 0) order.splice(at, 1);
  }
  return order;
}

export function useFlowHandlers(services: Services, setSizes: Dispatch<SetStateAction<Sizes>>) {
  const { store } = services;
  const dragKey = useRef<string | null>(null);

  const onNodesChange = useCallback((changes: NodeChange<OperatorFlowNode>[]) => {
    const moved: Record<string, XYPosition> = {};
    const sized: Sizes = {};
    const selects: { id: string; selected: boolean }[] = [];
    for (const c of changes) {
      if (c.type === 'position' && c.position) moved[c.id] = c.position;
      else if (c.type === 'dimensions' && c.dimensions) sized[c.id] = c.dimensions;
      else if (c.type === 'select') selects.push(c);
    }
    if (Object.keys(sized).length > 0) setSizes((prev) => ({ ...prev, ...sized }));
    const s = store.getState();
    if (Object.keys(moved).length > 0) {
      const coalesce = dragKey.current ?? `nudge:${Object.keys(moved).sort().join(',')}`;
      s.commit(withPositions(s.job, moved), { coalesce });
    }
    if (selects.length > 0) {
      const now = store.getState();
      now.select(nextSelection(now.selectedOperators, selects), now.selectedEdge);
    }
  }, [store, setSizes]);

  const onEdgesChange = useCallback((changes: EdgeChange<PartitionFlowEdge>[]) => {
    let edge = store.getState().selectedEdge;
    let touched = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      touched = true;
      if (c.selected) edge = c.id;
      else if (edge === c.id) edge = null;
    }
    if (touched) store.getState().select(store.getState().selectedOperators, edge);
  }, [store]);

  const onConnect = useCallback((connection: Connection) => {
    const s = store.getState();
    const result = connect(s.job, connection.source, connection.target);
    if (!result.ok) {
      s.toast(result.message, 'error');
      return;
    }
    s.commit(result.job, { select: { operators: [], edge: `${connection.source}->${connection.target}` } });
  }, [store]);

  const isValidConnection = useCallback(
    (c: Connection | PartitionFlowEdge) => connectProblem(store.getState().job, c.source, c.target) === null,
    [store],
  );

  const onNodeDragStart = useCallback(() => {
    dragKey.current = `drag#${++drags}`;
  }, []);
  const onNodeDragStop = useCallback(() => {
    dragKey.current = null;
  }, []);

  return { onNodesChange, onEdgesChange, onConnect, isValidConnection, onNodeDragStart, onNodeDragStop };
}

/**
 * The React Flow canvas: operators as custom nodes, edges labelled with their partitioner,
 * minimap, zoom controls, grid, and the regions legend. Deleting and selecting-all go through
 * the command registry (React Flow's own delete key is off), so every path is the same.
 * While a run is active the canvas is read-only (no moving, connecting or dropping) and says so.
 */
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Background, BackgroundVariant, Controls, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { CATALOGUE, isOperatorKind } from '../../engine';
import { addOperatorAtDrop } from '../app/actions';
import { useServices } from '../app/services';
import { KIND_MIME } from '../palette/Palette';
import { useApp } from '../store/appStore';
import { toFlowEdges, toFlowNodes, type Sizes } from './flowElements';
import { OperatorNode } from './OperatorNode';
import { PartitionEdge } from './PartitionEdge';
import { RegionsLegend } from './RegionsLegend';
import { RunOverlay } from '../run/viz/RunOverlay';
import { Timeline } from '../run/timeline/Timeline';
import { useCanvasApi } from './useCanvasApi';
import { useFlowHandlers } from './useFlowHandlers';
import { fitOptions } from './fitPadding';

const NODE_TYPES = { operator: OperatorNode };
const EDGE_TYPES = { partition: PartitionEdge };
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];

function FlowCanvas() {
  const services = useServices();
  const job = useApp((s) => s.job);
  const selectedOperators = useApp((s) => s.selectedOperators);
  const selectedEdge = useApp((s) => s.selectedEdge);
  const theme = useApp((s) => s.theme);
  const docVersion = useApp((s) => s.docVersion);
  const running = useApp((s) => s.runActive);
  const [sizes, setSizes] = useState<Sizes>({});
  const container = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();
  useCanvasApi(services, container);
  const handlers = useFlowHandlers(services, setSizes);

  const nodes = useMemo(() => toFlowNodes(job, selectedOperators, sizes), [job, selectedOperators, sizes]);
  const edges = useMemo(() => toFlowEdges(job, selectedEdge), [job, selectedEdge]);

  useEffect(() => {
    if (docVersion > 0) void flow.fitView(fitOptions(container.current, flow.getNodesBounds(flow.getNodes())));
  }, [docVersion, flow]);

  // Nodes grow (live counts) and the canvas shrinks (run panels) when a run starts: refit once
  // they have been measured.
  useEffect(() => {
    const timer = setTimeout(() => void flow.fitView(fitOptions(container.current, flow.getNodesBounds(flow.getNodes()), { duration: 200 })), 80);
    return () => clearTimeout(timer);
  }, [running, flow]);

  const onDrop = (e: DragEvent) => {
    if (running) return;
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (!isOperatorKind(kind)) return;
    e.preventDefault();
    addOperatorAtDrop(services, kind, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  return (
    <div className={`canvas${running ? ' is-running' : ''}`} ref={container} onDragOver={(e) => {
      if (!running && e.dataTransfer.types.includes(KIND_MIME)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }
    }} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        {...handlers}
        colorMode={theme}
        deleteKeyCode={null}
        nodesDraggable={!running}
        // Space pauses and resumes a run; React Flow would take it for hold-to-pan (dragging pans anyway).
        panActivationKeyCode={running ? null : 'Space'}
        nodesConnectable={!running}
        edgesReconnectable={false}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        minZoom={0.1}
        maxZoom={2}
        fitView
        fitViewOptions={{ padding: 0.12, maxZoom: 1.25 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        {/* In run mode the canvas shares its height with the timeline; the minimap would cover nodes. */}
        {!running && <MiniMap
          style={{ width: 168, height: 112 }}
          pannable
          zoomable
          ariaLabel="Minimap"
          nodeBorderRadius={6}
          nodeColor={(node) => {
            const op = job.operators.find((o) => o.id === node.id);
            return op ? `var(--cat-${CATALOGUE[op.kind].category})` : 'var(--text-3)';
          }}
        />}
        <Controls showInteractive={false} />
        {running ? <RunOverlay /> : <RegionsLegend />}
        {running && (
          <Panel position="top-center" className="canvas__readonly" data-testid="canvas-readonly-hint">
            Read-only while a run is active. Stop the run to edit the job.
          </Panel>
        )}
      </ReactFlow>
      {running && <Timeline />}
      {job.operators.length === 0 && (
        <div className="canvas__empty">
          <p>This job is empty.</p>
          <p>Add a source from the palette on the left, or open one of the Examples.</p>
        </div>
      )}
    </div>
  );
}

export function Canvas() {
  return (
    <ReactFlowProvider>
      <FlowCanvas />
    </ReactFlowProvider>
  );
}

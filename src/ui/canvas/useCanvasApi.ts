/** Registers the canvas's viewport operations (fit, centre on, viewport centre) as a service. */
import { useEffect, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { CanvasApi, Services } from '../app/services';
import { NODE_HEIGHT, NODE_WIDTH } from '../model/positions';
import type { OperatorFlowNode, PartitionFlowEdge } from './flowElements';
import { fitOptions } from './fitPadding';


export function useCanvasApi(services: Services, container: RefObject<HTMLElement | null>): void {
  const flow = useReactFlow<OperatorFlowNode, PartitionFlowEdge>();
  useEffect(() => {
    const centreOf = (id: string) => {
      const node = flow.getInternalNode(id);
      if (!node) return null;
      const width = node.measured.width ?? NODE_WIDTH;
      const height = node.measured.height ?? NODE_HEIGHT;
      return { x: node.internals.positionAbsolute.x + width / 2, y: node.internals.positionAbsolute.y + height / 2 };
    };
    const api: CanvasApi = {
      fitView: () => void flow.fitView(fitOptions(container.current, flow.getNodesBounds(flow.getNodes()), { duration: 250 })),
      centreOn: ({ operatorId, edgeId }) => {
        let point = operatorId ? centreOf(operatorId) : null;
        if (edgeId) {
          const [from, to] = edgeId.split('->');
          const a = from ? centreOf(from) : null;
          const b = to ? centreOf(to) : null;
          if (a && b) point = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        }
        if (point) void flow.setCenter(point.x, point.y, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
      },
      viewportCentre: () => {
        const rect = container.current?.getBoundingClientRect();
        if (!rect) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
      },
      nodeSizes: () => {
        const sizes: Record<string, { width: number; height: number }> = {};
        for (const node of flow.getNodes()) {
          if (node.measured?.width && node.measured.height) sizes[node.id] = { width: node.measured.width, height: node.measured.height };
        }
        return sizes;
      },
    };
    services.canvas.current = api;
    return () => {
      if (services.canvas.current === api) services.canvas.current = null;
    };
  }, [flow, services, container]);
}

/**
 * Auto-layout as data: the ELK graph for a job (layered, left to right) and the job with the
 * positions ELK computed. ELK itself is loaded lazily by the canvas (it is 1.6 MB); these
 * two halves stay pure so they are tested without it.
 */
import type { JobGraph, JobPosition } from '../../engine';
import { NODE_HEIGHT, NODE_WIDTH, withPositions } from './positions';

export interface ElkNodeIn { id: string; width: number; height: number }
export interface ElkEdgeIn { id: string; sources: string[]; targets: string[] }
export interface ElkGraphIn {
  id: string;
  layoutOptions: Record<string, string>;
  children: ElkNodeIn[];
  edges: ElkEdgeIn[];
}
export interface ElkGraphOut { children?: { id: string; x?: number; y?: number }[] }

export const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '56',
  'elk.layered.spacing.nodeNodeBetweenLayers': '110',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.semiInteractive': 'true',
};

/**
 * The ELK input graph; `sizes` are measured node sizes where known. Heights are at least the
 * nominal height, so a node that grows a little (the regions preview adds a row of subtask
 * cells) does not run into its neighbour.
 */
export function toElkGraph(job: JobGraph, sizes: Record<string, { width: number; height: number }> = {}): ElkGraphIn {
  return {
    id: 'job',
    layoutOptions: ELK_OPTIONS,
    children: job.operators.map((op) => ({
      id: op.id,
      width: sizes[op.id]?.width ?? NODE_WIDTH,
      height: Math.max(sizes[op.id]?.height ?? 0, NODE_HEIGHT),
    })),
    edges: job.edges
      .filter((e) => e.from !== e.to)
      .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
}

/** The job with the positions of an ELK result (rounded to whole pixels). */
export function applyElkLayout(job: JobGraph, result: ElkGraphOut): JobGraph {
  const positions: Record<string, JobPosition> = {};
  for (const child of result.children ?? []) {
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  }
  return withPositions(job, positions);
}

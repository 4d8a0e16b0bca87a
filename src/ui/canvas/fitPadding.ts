/**
 * Fit-view padding that keeps nodes clear of the panels floating over the canvas' top-left
 * corner (the regions legend, the read-only notice while a run is active). The nodes go either
 * below the panels (top padding = their height) or beside them (left padding = their width),
 * whichever leaves the larger zoom for the graph's shape; the other sides keep a share of the
 * canvas, as before. React Flow's per-side Padding takes px and % strings.
 */
import type { FitViewOptions } from '@xyflow/react';

/** What fitView takes, whatever the node type (only padding and zoom are set here). */
type FitOptions = Pick<FitViewOptions, 'padding' | 'maxZoom' | 'duration'>;

const SIDE = 0.12;
/** The other sides' share when the panels already take room (the graph keeps what it can). */
const TIGHT = 0.05;
const MARGIN_PX = 12;
const MAX_ZOOM = 1.25;
/** Panels the nodes must clear. */
const OVERLAYS = '[data-testid="regions-legend"], [data-testid="run-regions"]';

/** The graph's size in flow units (React Flow's getNodesBounds). */
export interface GraphSize {
  width: number;
  height: number;
}

export function fitOptions(container: HTMLElement | null, graph: GraphSize | null, extra: Pick<FitOptions, 'duration'> = {}): FitOptions {
  const base: FitOptions = { maxZoom: MAX_ZOOM, ...extra, padding: SIDE };
  if (container === null || graph === null || graph.width <= 0 || graph.height <= 0) return base;
  // The flow pane only (the run timeline shares the container, below it).
  const box = (container.querySelector('.react-flow') ?? container).getBoundingClientRect();
  let right = 0;
  let bottom = 0;
  for (const panel of container.querySelectorAll(OVERLAYS)) {
    const rect = panel.getBoundingClientRect();
    // A run's legend widens as checkpoint marks arrive: reserve its maximum width.
    const widest = Math.max(rect.width, Number.parseFloat(getComputedStyle(panel).maxWidth) || 0);
    right = Math.max(right, rect.left - box.left + widest);
    bottom = Math.max(bottom, rect.bottom - box.top);
  }
  if (right === 0 || bottom === 0) return base;
  const side = `${TIGHT * 100}%` as const;
  const usableW = box.width * (1 - 2 * TIGHT);
  const usableH = box.height * (1 - 2 * TIGHT);
  const zoomBelow = Math.min(usableW / graph.width, (box.height * (1 - TIGHT) - bottom - MARGIN_PX) / graph.height);
  const zoomBeside = Math.min((box.width * (1 - TIGHT) - right - MARGIN_PX) / graph.width, usableH / graph.height);
  const padding: FitOptions['padding'] = zoomBeside > zoomBelow
    ? { top: side, right: side, bottom: side, left: `${Math.round(right + MARGIN_PX)}px` }
    : { top: `${Math.round(bottom + MARGIN_PX)}px`, right: side, bottom: side, left: side };
  return { ...base, padding };
}

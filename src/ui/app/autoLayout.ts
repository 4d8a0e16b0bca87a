/**
 * Auto-layout with ELK (layered, left to right). elkjs is 1.6 MB, so it is imported on
 * first use only; the graph conversion is pure (model/elkLayout.ts).
 */
import type { JobGraph } from '../../engine';
import { applyElkLayout, toElkGraph, type ElkGraphIn, type ElkGraphOut } from '../model/elkLayout';

interface ElkLike { layout(graph: ElkGraphIn): Promise<ElkGraphOut> }

let elk: Promise<ElkLike> | null = null;

function loadElk(): Promise<ElkLike> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((mod) => new mod.default() as unknown as ElkLike);
  elk.catch(() => {
    elk = null;
  });
  return elk;
}

/** The job with ELK's positions for every operator. */
export async function layoutJob(job: JobGraph, sizes: Record<string, { width: number; height: number }>): Promise<JobGraph> {
  const engine = await loadElk();
  const result = await engine.layout(toElkGraph(job, sizes));
  return applyElkLayout(job, result);
}

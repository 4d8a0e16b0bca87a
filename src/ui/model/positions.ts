/**
 * Canvas positions. A job's `layout` is presentational and may be partial (hand-written and
 * imported jobs often have none), so every reader goes through `positionsFor`, which fills
 * the gaps with a simple left-to-right layering without changing the job.
 */
import type { JobGraph, JobPosition } from '../../engine';

/** Nominal size of an operator node, used for placement and overlap tests. */
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 84;
const COLUMN_GAP = 110;
const ROW_GAP = 50;

/** Longest-path depth of each operator from the sources (cycles are cut, not followed). */
export function depths(job: JobGraph): Map<string, number> {
  const inputs = new Map<string, string[]>();
  for (const op of job.operators) inputs.set(op.id, []);
  for (const edge of job.edges) inputs.get(edge.to)?.push(edge.from);
  const result = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = result.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let depth = 0;
    for (const from of inputs.get(id) ?? []) {
      if (inputs.has(from)) depth = Math.max(depth, depthOf(from) + 1);
    }
    visiting.delete(id);
    result.set(id, depth);
    return depth;
  };
  for (const op of job.operators) depthOf(op.id);
  return result;
}

/** Positions of every operator: the job's own where present, a layered default elsewhere. */
export function positionsFor(job: JobGraph): Record<string, JobPosition> {
  const own = job.layout ?? {};
  const result: Record<string, JobPosition> = {};
  const depth = depths(job);
  const rows = new Map<number, number>();
  for (const op of job.operators) {
    const placed = own[op.id];
    if (placed) {
      result[op.id] = { x: placed.x, y: placed.y };
      continue;
    }
    const column = depth.get(op.id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    result[op.id] = { x: column * (NODE_WIDTH + COLUMN_GAP), y: row * (NODE_HEIGHT + ROW_GAP) };
  }
  return result;
}

function overlaps(a: JobPosition, b: JobPosition, margin: number): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + margin && Math.abs(a.y - b.y) < NODE_HEIGHT + margin;
}

/**
 * A top-left position for a new node near `centre` (the node's centre point), on a 20 px
 * grid, that overlaps no existing node: the nearest free slot on a growing square spiral.
 */
export function findFreeSpot(job: JobGraph, centre: JobPosition): JobPosition {
  const taken = Object.values(positionsFor(job));
  const origin = { x: snap(centre.x - NODE_WIDTH / 2), y: snap(centre.y - NODE_HEIGHT / 2) };
  const free = (p: JobPosition) => taken.every((t) => !overlaps(p, t, 20));
  if (free(origin)) return origin;
  const stepX = NODE_WIDTH / 2 + 10;
  const stepY = NODE_HEIGHT / 2 + 10;
  for (let ring = 1; ring < 60; ring += 1) {
    const candidates: JobPosition[] = [];
    for (let dx = -ring; dx <= ring; dx += 1) {
      for (let dy = -ring; dy <= ring; dy += 1) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        candidates.push({ x: origin.x + dx * stepX, y: origin.y + dy * stepY });
      }
    }
    candidates.sort((a, b) => distance(a, origin) - distance(b, origin));
    const found = candidates.find(free);
    if (found) return { x: snap(found.x), y: snap(found.y) };
  }
  return origin;
}

function distance(a: JobPosition, b: JobPosition): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function snap(v: number): number {
  return Math.round(v / 20) * 20;
}

/** The job with `positions` merged into its layout (only for operators that exist). */
export function withPositions(job: JobGraph, positions: Record<string, JobPosition>): JobGraph {
  const layout = { ...positionsFor(job) };
  for (const [id, p] of Object.entries(positions)) {
    if (layout[id]) layout[id] = { x: Math.round(p.x), y: Math.round(p.y) };
  }
  return { ...job, layout };
}

/**
 * Copy and paste of operators. A clipboard holds the copied operators, the edges among them
 * and their positions; pasting gives every operator a fresh id (edges follow), drops `uid`
 * (a pasted operator is a new operator with its own state) and offsets the positions.
 */
import type { EdgeSpec, JobGraph, JobPosition, OperatorSpec } from '../../engine';
import { freshId, operatorIds } from './ids';
import { NODE_HEIGHT, positionsFor } from './positions';

export interface Clipboard {
  operators: OperatorSpec[];
  edges: EdgeSpec[];
  positions: Record<string, JobPosition>;
}

/** Offset of a paste from the copied operators when none is given. */
export const PASTE_OFFSET: JobPosition = { x: 40, y: 40 };

/** An offset that puts a paste just below the copied operators, so copies never hide originals. */
export function offsetBelow(clip: Clipboard): JobPosition {
  const ys = Object.values(clip.positions).map((p) => p.y);
  const height = ys.length > 0 ? Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT : NODE_HEIGHT;
  return { x: 40, y: height + 40 };
}

/** The operators `ids` with the edges among them, or null when nothing is selected. */
export function copyOperators(job: JobGraph, ids: readonly string[]): Clipboard | null {
  const chosen = new Set(ids);
  const operators = job.operators.filter((op) => chosen.has(op.id));
  if (operators.length === 0) return null;
  const all = positionsFor(job);
  const positions: Record<string, JobPosition> = {};
  for (const op of operators) positions[op.id] = all[op.id] ?? { x: 0, y: 0 };
  return {
    operators: structuredClone(operators),
    edges: structuredClone(job.edges.filter((e) => chosen.has(e.from) && chosen.has(e.to))),
    positions,
  };
}

/** Adds the clipboard's operators (fresh ids, offset positions) and inner edges; returns the new ids. */
export function pasteClipboard(job: JobGraph, clip: Clipboard, offset: JobPosition = PASTE_OFFSET): { job: JobGraph; ids: string[] } {
  const taken = operatorIds(job);
  const rename = new Map<string, string>();
  for (const op of clip.operators) {
    const id = freshId(op.id, taken);
    taken.add(id);
    rename.set(op.id, id);
  }
  const layout = { ...positionsFor(job) };
  const operators = clip.operators.map((op) => {
    const id = rename.get(op.id) as string;
    const p = clip.positions[op.id] ?? { x: 0, y: 0 };
    layout[id] = { x: p.x + offset.x, y: p.y + offset.y };
    const copy: OperatorSpec = { ...structuredClone(op), id };
    delete copy.uid;
    return copy;
  });
  const edges = clip.edges
    .filter((e) => rename.has(e.from) && rename.has(e.to))
    .map((e) => ({ ...e, from: rename.get(e.from) as string, to: rename.get(e.to) as string }));
  return {
    job: { ...job, operators: [...job.operators, ...operators], edges: [...job.edges, ...edges], layout },
    ids: operators.map((op) => op.id),
  };
}

/** The clipboard moved by `offset`, so the next paste lands beside the previous one. */
export function shiftClipboard(clip: Clipboard, offset: JobPosition = PASTE_OFFSET): Clipboard {
  const positions: Record<string, JobPosition> = {};
  for (const [id, p] of Object.entries(clip.positions)) positions[id] = { x: p.x + offset.x, y: p.y + offset.y };
  return { ...clip, positions };
}

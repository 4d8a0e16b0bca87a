/**
 * How the regions preview draws pipelined regions: a colour per region from the Okabe–Ito
 * palette (safe for colour-blind readers, cycled when there are more regions than colours),
 * a text colour with enough contrast, and a lookup from subtask to region. The region number
 * is always written in the cell too, so colour is never the only signal.
 */
export interface RegionLike { id: number; subtasks: readonly { operatorId: string; index: number }[] }

export type Theme = 'light' | 'dark';

const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;
/** Okabe–Ito's black, shown as a light grey on the dark theme so it stays visible. */
const NEUTRAL: Record<Theme, string> = { light: '#000000', dark: '#C8C8C8' };
const LIGHT_TEXT = new Set(['#0072B2', '#000000']);

/** Fill and text colour of region `id` (1-based). */
export function regionColours(id: number, theme: Theme): { fill: string; text: string } {
  const palette = [...OKABE_ITO, NEUTRAL[theme]];
  const fill = palette[(((id - 1) % palette.length) + palette.length) % palette.length] as string;
  return { fill, text: LIGHT_TEXT.has(fill) ? '#FFFFFF' : '#000000' };
}

/** Key of a subtask in the lookup. */
export function subtaskKey(operatorId: string, index: number): string {
  return `${operatorId}#${index}`;
}

/** Region id of every subtask. */
export function regionBySubtask(regions: readonly RegionLike[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const region of regions) {
    for (const s of region.subtasks) map.set(subtaskKey(s.operatorId, s.index), region.id);
  }
  return map;
}

/** Every region of every subtask, ascending (several only for a region-sharable committer). */
export function regionsBySubtask(regions: readonly RegionLike[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const region of [...regions].sort((a, b) => a.id - b.id)) {
    for (const s of region.subtasks) {
      const key = subtaskKey(s.operatorId, s.index);
      const list = map.get(key) ?? [];
      list.push(region.id);
      map.set(key, list);
    }
  }
  return map;
}

/** A shared committer's cell background: one equal stripe per region colour, left to right. */
export function sharedBackground(ids: readonly number[], theme: Theme): string {
  const step = 100 / ids.length;
  const stops = ids.map((id, i) => {
    const fill = regionColours(id, theme).fill;
    return `${fill} ${(i * step).toFixed(2)}% ${((i + 1) * step).toFixed(2)}%`;
  });
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

/** The tooltip of a shared committer's cell. */
export function sharedTitle(ids: readonly number[]): string {
  return `shared by regions ${ids.join(', ')}`;
}

/** Most subtask cells drawn per operator; the rest are summarised as "+N". */
export const MAX_CELLS = 32;

/** The subtask indexes to draw for a parallelism, and how many are left out. */
export function visibleCells(parallelism: number, cap: number = MAX_CELLS): { indexes: number[]; hidden: number } {
  const p = Math.max(0, Math.floor(parallelism));
  const shown = Math.min(p, cap);
  return { indexes: Array.from({ length: shown }, (_, i) => i), hidden: p - shown };
}

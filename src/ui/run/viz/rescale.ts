/**
 * What a rescale did to keyed state, as plain data for the canvas banner and the State panel:
 * the key-group ownership before and after (from `metrics().state`), which ranges changed
 * owner, and how many state rows were written across it (the backend's storage figures). A
 * rescale only reassigns key-group ranges; the rows stay where they are, and the figures are
 * how the UI shows it rather than takes it on trust. Pure: no DOM, no React.
 */
import type { JobGraph } from '../../../engine';
import type { StateMetrics } from '../../../engine/runtime/telemetry';

/** Okabe–Ito colours for subtask bands (colour-blind safe; every band is labelled too). */
export const BAND_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#999999'];
export const bandColour = (index: number): string => BAND_COLOURS[Math.abs(index) % BAND_COLOURS.length] as string;

/** One subtask's share of an operator's key groups. */
export interface OwnershipBand {
  index: number;
  taskManager: number;
  keyGroupStart: number;
  keyGroupEnd: number;
}

/** A run of consecutive key groups that went from one subtask to another. */
export interface OwnershipMove {
  keyGroupStart: number;
  keyGroupEnd: number;
  from: number;
  to: number;
}

export interface RescaleDiff {
  /** Counts up with every rescale seen in the run (keys animations). */
  seq: number;
  operatorId: string;
  operatorName: string;
  virtualTimeMs: number;
  before: OwnershipBand[];
  after: OwnershipBand[];
  /** Ranges whose owner changed, in key-group order. */
  moves: OwnershipMove[];
  /** Key groups whose owner changed. */
  movedKeyGroups: number;
  /**
   * State rows written to storage across the rescale; null when the backend keeps no storage
   * figures (memory) or none were seen before it.
   */
  rowsWritten: number | null;
}

/** Last ownership and storage counter seen, per run: what the next frame is compared with. */
export interface OwnershipMemory {
  bands: Record<string, OwnershipBand[]>;
  /** `figures.idbRowsWritten` at that time (null: memory backend or not sampled). */
  rowsWritten: number | null;
}

export const EMPTY_OWNERSHIP: OwnershipMemory = Object.freeze({ bands: {}, rowsWritten: null }) as OwnershipMemory;

function bandsOf(state: StateMetrics): Record<string, OwnershipBand[]> {
  const out: Record<string, OwnershipBand[]> = {};
  for (const op of state.operators) {
    out[op.operatorId] = [...op.subtasks]
      .sort((a, b) => a.index - b.index)
      .map((s) => ({ index: s.index, taskManager: s.taskManager, keyGroupStart: s.keyGroupStart, keyGroupEnd: s.keyGroupEnd }));
  }
  return out;
}

const sameBands = (a: readonly OwnershipBand[], b: readonly OwnershipBand[]) =>
  a.length === b.length && a.every((x, i) => x.index === b[i]?.index && x.keyGroupStart === b[i]?.keyGroupStart && x.keyGroupEnd === b[i]?.keyGroupEnd);

/** The subtask of `bands` owning `keyGroup` (-1 when none does). */
export function ownerOf(bands: readonly OwnershipBand[], keyGroup: number): number {
  for (const b of bands) if (keyGroup >= b.keyGroupStart && keyGroup <= b.keyGroupEnd) return b.index;
  return -1;
}

/** The ranges whose owner differs between `before` and `after`, merged where consecutive. */
export function ownershipMoves(before: readonly OwnershipBand[], after: readonly OwnershipBand[]): OwnershipMove[] {
  // Both sides are contiguous ranges: cut at every boundary of either, compare owners per piece.
  const cuts = new Set<number>();
  for (const b of [...before, ...after]) {
    cuts.add(b.keyGroupStart);
    cuts.add(b.keyGroupEnd + 1);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const moves: OwnershipMove[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = (points[i + 1] as number) - 1;
    const from = ownerOf(before, start);
    const to = ownerOf(after, start);
    if (to < 0 || from === to) continue;
    const last = moves[moves.length - 1];
    if (last && last.from === from && last.to === to && last.keyGroupEnd + 1 === start) last.keyGroupEnd = end;
    else moves.push({ keyGroupStart: start, keyGroupEnd: end, from, to });
  }
  return moves;
}

/**
 * Rows written across a rescale. The storage counters are per TaskManager and a rescale deploys
 * the job again, so they either went on counting (the delta) or started again from zero (then
 * everything counted since was written after the rescale began, restores included).
 */
export function rowsWrittenAcross(before: number | null, after: number | null): number | null {
  if (before === null || after === null) return null;
  return after >= before ? after - before : after;
}

const rowsWrittenOf = (state: StateMetrics): number | null => (state.backend === 'idb' ? state.figures.idbRowsWritten : null);

/**
 * Compares a frame's state figures with what was seen last: one diff per keyed operator whose
 * ownership changed. Frames without state figures change nothing (they are sampled less often).
 */
export function detectRescales(
  memory: OwnershipMemory,
  state: StateMetrics | undefined,
  virtualTimeMs: number,
  job: JobGraph | null,
  nextSeq: number,
): { memory: OwnershipMemory; diffs: RescaleDiff[] } {
  if (!state) return { memory, diffs: [] };
  const bands = bandsOf(state);
  const rowsWritten = rowsWrittenOf(state);
  const diffs: RescaleDiff[] = [];
  for (const [operatorId, after] of Object.entries(bands)) {
    const before = memory.bands[operatorId];
    if (!before || before.length === 0 || after.length === 0 || sameBands(before, after)) continue;
    const moves = ownershipMoves(before, after);
    diffs.push({
      seq: nextSeq + diffs.length,
      operatorId,
      operatorName: job?.operators.find((o) => o.id === operatorId)?.name ?? operatorId,
      virtualTimeMs,
      before,
      after,
      moves,
      movedKeyGroups: moves.reduce((n, m) => n + m.keyGroupEnd - m.keyGroupStart + 1, 0),
      rowsWritten: rowsWrittenAcross(memory.rowsWritten, rowsWritten),
    });
  }
  return { memory: { bands: { ...memory.bands, ...bands }, rowsWritten }, diffs };
}

/** "no state copied", "0 state rows moved", "≤ 12 state rows written since". */
export function rowsText(diff: RescaleDiff): string {
  if (diff.rowsWritten === null) return 'no state copied';
  if (diff.rowsWritten === 0) return '0 state rows moved';
  return `at most ${diff.rowsWritten} state ${diff.rowsWritten === 1 ? 'row' : 'rows'} written across it (checkpoint flushes included)`;
}

/** "Count rescaled 2 → 4: key groups reassigned, 0 state rows moved". */
export function rescaleCaption(diff: RescaleDiff): string {
  return `${diff.operatorName} rescaled ${diff.before.length} → ${diff.after.length}: key groups reassigned, ${rowsText(diff)}`;
}

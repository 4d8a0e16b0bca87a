/**
 * The latest metrics snapshot indexed for the canvas: per operator, the subtasks of each
 * operator in index order, and per-edge totals summed over its channels.
 *
 * Indexing shares structure with the previous index: an entry whose figures did not change
 * keeps its old object, so a node or edge that reads its own entry with a narrow selector
 * re-renders only when its own numbers move, not on every telemetry frame.
 */
import type {
  ChannelMetrics, MetricsSnapshot, OperatorMetrics, SubtaskMetrics,
} from '../../engine/runtime/telemetry';

/** One logical edge's figures: its channels summed. */
export interface EdgeFigures {
  edgeId: string;
  recordsOut: number;
  recordsPerSecond: number;
  /** Buffers queued at the senders of all its channels. */
  backlog: number;
  /** Largest backlog of one channel (where a straggler shows). */
  maxChannelBacklog: number;
  channels: number;
}

export interface MetricsIndex {
  virtualTimeMs: number;
  operators: ReadonlyMap<string, OperatorMetrics>;
  /** Subtasks of each operator, by index. */
  subtasks: ReadonlyMap<string, readonly SubtaskMetrics[]>;
  edges: ReadonlyMap<string, EdgeFigures>;
}

/** Do two flat records hold the same primitive values? (Nested objects compare by identity.) */
export function sameFlat(a: object, b: object): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.is(ra[k], rb[k]) || (isRef(ra[k]) && isRef(rb[k]) && sameFlat(ra[k] as object, rb[k] as object)));
}

function isRef(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keep<T extends object>(previous: T | undefined, next: T): T {
  return previous !== undefined && sameFlat(previous, next) ? previous : next;
}

function edgeTotals(channels: readonly ChannelMetrics[]): Map<string, EdgeFigures> {
  const edges = new Map<string, EdgeFigures>();
  for (const c of channels) {
    const e = edges.get(c.edgeId) ?? { edgeId: c.edgeId, recordsOut: 0, recordsPerSecond: 0, backlog: 0, maxChannelBacklog: 0, channels: 0 };
    e.recordsOut += c.recordsOut;
    e.recordsPerSecond += c.recordsPerSecond;
    e.backlog += c.backlog;
    e.maxChannelBacklog = Math.max(e.maxChannelBacklog, c.backlog);
    e.channels += 1;
    edges.set(c.edgeId, e);
  }
  return edges;
}

/** Indexes `snapshot`, reusing every entry of `previous` whose figures are unchanged. */
export function indexMetrics(snapshot: MetricsSnapshot, previous: MetricsIndex | null): MetricsIndex {
  const operators = new Map<string, OperatorMetrics>();
  for (const op of snapshot.operators) operators.set(op.operatorId, keep(previous?.operators.get(op.operatorId), op));

  const grouped = new Map<string, SubtaskMetrics[]>();
  for (const s of snapshot.subtasks) {
    const list = grouped.get(s.operatorId) ?? [];
    list.push(s);
    grouped.set(s.operatorId, list);
  }
  const subtasks = new Map<string, readonly SubtaskMetrics[]>();
  for (const [id, list] of grouped) {
    list.sort((a, b) => a.index - b.index);
    const before = previous?.subtasks.get(id);
    const shared = list.map((s, i) => keep(before?.[i]?.index === s.index ? before[i] : undefined, s));
    const unchanged = before !== undefined && before.length === shared.length && shared.every((s, i) => s === before[i]);
    subtasks.set(id, unchanged ? before : shared);
  }

  const edges = new Map<string, EdgeFigures>();
  for (const [id, figures] of edgeTotals(snapshot.channels)) edges.set(id, keep(previous?.edges.get(id), figures));

  return { virtualTimeMs: snapshot.virtualTimeMs, operators, subtasks, edges };
}

/** An operator's overall state from its subtasks: failed if any failed, finished if all finished. */
export function operatorRunState(subtasks: readonly SubtaskMetrics[] | undefined): 'failed' | 'finished' | 'running' | 'unknown' {
  if (!subtasks || subtasks.length === 0) return 'unknown';
  if (subtasks.some((s) => s.state === 'failed')) return 'failed';
  if (subtasks.every((s) => s.state === 'finished')) return 'finished';
  return 'running';
}

/**
 * Per-channel figures of one edge, grouped by receiving subtask: what the straggler view and
 * the edge's backlog bars draw. A p×q all-to-all edge has p·q channels; grouping by receiver
 * keeps it to q bars, and the straggler stands out as the receiver whose channels queue.
 */
import type { ChannelMetrics, MetricsSnapshot } from '../../../engine/runtime/telemetry';

export interface ReceiverFigures {
  /** Receiving subtask index. */
  index: number;
  recordsPerSecond: number;
  /** Buffers queued at the senders for this receiver. */
  backlog: number;
  /** Credits the senders hold for this receiver. */
  credit: number;
  channels: number;
}

/** Channels of every edge, by edge id (one pass over the snapshot). */
export function channelsByEdge(metrics: MetricsSnapshot | null): Map<string, ChannelMetrics[]> {
  const out = new Map<string, ChannelMetrics[]>();
  for (const c of metrics?.channels ?? []) {
    const list = out.get(c.edgeId);
    if (list) list.push(c);
    else out.set(c.edgeId, [c]);
  }
  return out;
}

/** An edge's channels summed per receiving subtask, by index. */
export function receiverFigures(channels: readonly ChannelMetrics[] | undefined): ReceiverFigures[] {
  const by = new Map<number, ReceiverFigures>();
  for (const c of channels ?? []) {
    const r = by.get(c.to.index) ?? { index: c.to.index, recordsPerSecond: 0, backlog: 0, credit: 0, channels: 0 };
    r.recordsPerSecond += Math.max(0, c.recordsPerSecond);
    r.backlog += c.backlog;
    r.credit += c.credit;
    r.channels += 1;
    by.set(c.to.index, r);
  }
  return [...by.values()].sort((a, b) => a.index - b.index);
}

/** A compact signature of receiver figures (rounded), so React can skip unchanged bars. */
export function receiversSignature(list: readonly ReceiverFigures[]): string {
  return list.map((r) => `${r.index}:${Math.round(r.recordsPerSecond)}:${r.backlog}`).join(',');
}

/**
 * How uneven an edge is: the largest receiver backlog over the mean (1 = even). The straggler
 * view reports it so round-robin and backlog-based selection compare at a glance.
 */
export function backlogSkew(list: readonly ReceiverFigures[]): number {
  if (list.length === 0) return 1;
  const total = list.reduce((n, r) => n + r.backlog, 0);
  if (total === 0) return 1;
  const max = Math.max(...list.map((r) => r.backlog));
  return max / (total / list.length);
}

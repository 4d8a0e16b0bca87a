/**
 * Which TaskManagers a TaskManager exchanges anything with: those hosting the other end of at
 * least one of its channels (buffers and backlog go one way, credit the other). Between two
 * TaskManagers with no channel every batch would be empty, so they skip the exchange — no
 * message, no wait — which is what makes a forward-only pipeline cost no peer messages at
 * all. Both sides compute the same answer from the deploy message, so neither waits for a
 * batch the other never sends.
 */
import { allChannels, buildExecutionGraph, subtaskKey } from '../../engine/plan/executionGraph';
import type { PlanSlice } from '../../engine/runtime/protocol';

export function linkedTaskManagers(plan: PlanSlice, taskManager: number): Set<number> {
  const tmOf = new Map(plan.placement.map((p) => [subtaskKey(p), p.taskManager]));
  const linked = new Set<number>();
  for (const channel of allChannels(buildExecutionGraph(plan.job))) {
    const from = tmOf.get(subtaskKey(channel.from));
    const to = tmOf.get(subtaskKey(channel.to));
    if (from === undefined || to === undefined || from === to) continue;
    if (from === taskManager) linked.add(to);
    if (to === taskManager) linked.add(from);
  }
  return linked;
}

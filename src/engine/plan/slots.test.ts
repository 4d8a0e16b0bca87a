import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph } from './executionGraph';
import { assignSlots } from './slots';

const job: JobGraph = {
  sluice: 'job/1',
  name: 'slots',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Src', parallelism: 2 },
    { id: 'agg', kind: 'aggregate', name: 'Agg', parallelism: 4 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [
    { from: 'src', to: 'agg', partitioner: 'hash', key: 'key' },
    { from: 'agg', to: 'out', partitioner: 'rebalance' },
  ],
};
const graph = buildExecutionGraph(job);

describe('assignSlots', () => {
  it('needs as many slots as the highest parallelism and shares slot i among subtasks i', () => {
    const decision = assignSlots(graph, { taskManagers: 2, slotsPerTaskManager: 2 });
    if (!decision.ok) throw new Error(decision.message);
    expect(decision.assignment.slotsNeeded).toBe(4);
    expect(decision.assignment.placement.get('src#0')).toEqual({ taskManager: 0, slot: 0 });
    expect(decision.assignment.placement.get('agg#0')).toEqual({ taskManager: 0, slot: 0 });
    expect(decision.assignment.placement.get('out#0')).toEqual({ taskManager: 0, slot: 0 });
    expect(decision.assignment.placement.get('src#1')).toEqual({ taskManager: 1, slot: 0 });
    expect(decision.assignment.placement.get('agg#2')).toEqual({ taskManager: 0, slot: 1 });
    expect(decision.assignment.placement.get('agg#3')).toEqual({ taskManager: 1, slot: 1 });
    expect(decision.assignment.byTaskManager.map((subtasks) => subtasks.length)).toEqual([4, 3]);
  });

  it('spreads shared slots evenly over the TaskManagers, even when one could hold them all', () => {
    const decision = assignSlots(graph, { taskManagers: 3, slotsPerTaskManager: 4 });
    if (!decision.ok) throw new Error(decision.message);
    expect(decision.assignment.byTaskManager.map((subtasks) => subtasks.length)).toEqual([4, 2, 1]);
    expect(decision.assignment.placement.get('agg#3')).toEqual({ taskManager: 0, slot: 1 });
  });

  it('puts one subtask per TaskManager with one slot each', () => {
    const decision = assignSlots(graph, { taskManagers: 4, slotsPerTaskManager: 1 });
    if (!decision.ok) throw new Error(decision.message);
    expect(decision.assignment.placement.get('agg#2')).toEqual({ taskManager: 2, slot: 0 });
  });

  it('refuses a cluster that is too small, saying what to change', () => {
    const decision = assignSlots(graph, { taskManagers: 1, slotsPerTaskManager: 3 });
    expect(decision).toMatchObject({ ok: false, code: 'slots.notEnough' });
    if (!decision.ok) expect(decision.message).toContain('needs 4 slots');
  });

  it.each([
    [{ taskManagers: 0, slotsPerTaskManager: 2 }],
    [{ taskManagers: 1.5, slotsPerTaskManager: 2 }],
    [{ taskManagers: 17, slotsPerTaskManager: 2 }],
    [{ taskManagers: 2, slotsPerTaskManager: 0 }],
    [{ taskManagers: 2, slotsPerTaskManager: 65 }],
  ])('refuses an impossible cluster shape %j', (shape) => {
    expect(assignSlots(graph, shape)).toMatchObject({ ok: false, code: 'slots.badShape' });
  });
});

import { describe, expect, it } from 'vitest';
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import { CheckpointCoordinator } from './CheckpointCoordinator';
import { CheckpointIdCounter } from './CheckpointIdCounter';
import { ackOf, oneRegion, pipelines, ref, twoPipelines } from './testing/topologies';
import type { CheckpointTopology } from './topology';
import type { CheckpointConfig, CheckpointDecision } from './types';

type Coordinator = CheckpointCoordinator<string>;

function coordinator(topology: CheckpointTopology, config: Partial<CheckpointConfig> = {}): Coordinator {
  return new CheckpointCoordinator<string>({ intervalMs: 100, timeoutMs: 1_000, ...config }, topology);
}

const kinds = (decisions: readonly CheckpointDecision[]) => decisions.map((d) => d.kind);
const keys = (refs: readonly SubtaskRef[]) => refs.map(subtaskKey);

/** Acks checkpoint `id` from every listed subtask at `nowMs`; returns every decision. */
function ackAll(c: Coordinator, id: number, refs: readonly SubtaskRef[], nowMs: number, stateSize = 10): CheckpointDecision[] {
  return refs.flatMap((r) => c.acknowledge(ackOf(id, r, { stateSize }), nowMs));
}

function triggerOf(decisions: readonly CheckpointDecision[]): Extract<CheckpointDecision, { kind: 'trigger' }> {
  const trigger = decisions.find((d) => d.kind === 'trigger');
  if (trigger?.kind !== 'trigger') throw new Error(`no trigger in ${kinds(decisions).join(',')}`);
  return trigger;
}

describe('CheckpointCoordinator: triggering', () => {
  it('triggers at the interval, ids from 1, barriers at the sources in plan order', () => {
    const topology = oneRegion();
    const c = coordinator(topology);
    expect(c.onTick(0)).toEqual([]);
    expect(c.onTick(90)).toEqual([]);
    const trigger = triggerOf(c.onTick(100));
    expect(trigger).toMatchObject({ checkpointId: 1, timestampMs: 100, checkpointType: 'incremental' });
    expect(keys(trigger.sources)).toEqual(['src#0', 'src#1']);
  });

  it('keeps one checkpoint in flight, then waits for the min pause and the interval', () => {
    const topology = oneRegion();
    const c = coordinator(topology, { minPauseMs: 150 });
    triggerOf(c.onTick(100));
    expect(c.onTick(200)).toEqual([]);
    expect(kinds(ackAll(c, 1, topology.subtasks, 250))).toEqual(['notify-complete']);
    expect(c.onTick(300)).toEqual([]);
    expect(triggerOf(c.onTick(400)).checkpointId).toBe(2);
  });

  it('periodic checkpoints off: only manual triggers, still one at a time', () => {
    const c = coordinator(oneRegion(), { intervalMs: 0 });
    expect(c.onTick(10_000)).toEqual([]);
    expect(c.triggerNow(5)).toMatchObject({ ok: true, checkpointId: 1 });
    expect(c.triggerNow(6)).toMatchObject({ ok: false, reason: 'too-many-concurrent' });
  });

  it('continues ids from an injected counter and never goes back', () => {
    const counter = new CheckpointIdCounter(41);
    const c = new CheckpointCoordinator<string>({ intervalMs: 100 }, oneRegion(), { idCounter: counter });
    expect(triggerOf(c.onTick(100)).checkpointId).toBe(41);
    counter.advanceTo(10);
    expect(counter.next).toBe(42);
    expect(() => new CheckpointIdCounter(0)).toThrow(RangeError);
  });

  it('global mode does not trigger while a subtask is down, and resumes after its restart', () => {
    const topology = oneRegion();
    const c = coordinator(topology);
    c.onSubtaskFailed(ref('agg', 1), 50);
    expect(c.onTick(100)).toEqual([]);
    expect(c.triggerNow(100)).toMatchObject({ ok: false, reason: 'tasks-down' });
    c.onSubtaskRestarted(ref('agg', 1));
    expect(triggerOf(c.onTick(110)).checkpointId).toBe(1);
  });

  it('after sources finish, barriers start at the first running subtasks; finished ones are not awaited', () => {
    const topology = oneRegion();
    const c = coordinator(topology);
    c.onSubtaskFinished(ref('src', 0));
    c.onSubtaskFinished(ref('src', 1));
    const trigger = triggerOf(c.onTick(100));
    expect(keys(trigger.sources)).toEqual(['agg#0', 'agg#1']);
    const running = topology.subtasks.filter((s) => s.operatorId !== 'src');
    const done = ackAll(c, 1, running, 120);
    expect(kinds(done)).toEqual(['notify-complete']);
    expect(c.stats()[0]).toMatchObject({ acknowledged: 4, total: 4, status: 'completed' });
  });

  it('refuses configs that cannot work', () => {
    expect(() => coordinator(oneRegion(), { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => coordinator(oneRegion(), { regionalFailureThreshold: 0 })).toThrow(/regionalFailureThreshold/);
    expect(() => coordinator(oneRegion(), { maxConcurrent: 0 })).toThrow(/maxConcurrent/);
  });
});

describe('CheckpointCoordinator: global mode', () => {
  it('completes when every subtask acked and notifies every subtask in plan order', () => {
    const topology = twoPipelines();
    const c = coordinator(topology);
    triggerOf(c.onTick(100));
    const decisions = ackAll(c, 1, [...topology.subtasks].reverse(), 130);
    expect(kinds(decisions)).toEqual(['notify-complete']);
    const done = decisions[0] as Extract<CheckpointDecision, { kind: 'notify-complete' }>;
    expect(keys(done.subtasks)).toEqual(keys(topology.subtasks));
    expect(done.checkpoint.regions).toEqual([
      { region: 1, status: 'acknowledged', snapshotId: 1 }, { region: 2, status: 'acknowledged', snapshotId: 1 },
    ]);
    expect(c.latestCompleted()).toMatchObject({ id: 1, triggerMs: 100, completedMs: 130, stateSize: 60, changedSize: 18 });
  });

  it('fails the whole checkpoint on the first decline, and the job past the tolerable count', () => {
    const topology = twoPipelines();
    const c = coordinator(topology, { tolerableConsecutiveFailures: 1 });
    triggerOf(c.onTick(100));
    const first = c.decline(1, ref('map', 1), 'disk full', 110);
    expect(first).toEqual([expect.objectContaining({ kind: 'abort', checkpointId: 1, whole: true, regions: [1, 2] })]);
    expect(c.acknowledge(ackOf(1, ref('src', 0)), 111)).toEqual([]);
    triggerOf(c.onTick(200));
    const second = c.failRegion(1, 'injected fail-checkpoint', 210);
    expect(kinds(second)).toEqual(['abort', 'fail-job']);
    const failJob = second[1] as Extract<CheckpointDecision, { kind: 'fail-job' }>;
    expect(failJob.failure).toMatchObject({
      code: 'checkpoint.tolerableFailuresExceeded',
      cause: { code: 'checkpoint.declined', message: 'Checkpoint 2: injected fail-checkpoint' },
    });
    expect(c.onTick(1_000)).toEqual([]);
  });

  it('a completed checkpoint resets the failure count; task failures do not count', () => {
    const topology = twoPipelines();
    const c = coordinator(topology, { tolerableConsecutiveFailures: 1 });
    triggerOf(c.onTick(100));
    expect(kinds(c.onTick(1_100))).toEqual(['abort', 'trigger']);
    ackAll(c, 2, topology.subtasks, 1_110);
    triggerOf(c.onTick(1_200));
    expect(kinds(c.onSubtaskFailed(ref('out', 0), 1_210))).toEqual(['abort']);
    c.onSubtaskRestarted(ref('out', 0));
    expect(triggerOf(c.onTick(1_300)).checkpointId).toBe(4);
    expect(kinds(c.onTick(2_300))).toEqual(['abort', 'trigger']);
    expect(c.summary()).toMatchObject({ completed: 1, failed: 3, latestCompletedId: 2, latestFailedId: 4 });
  });

  it('expires a checkpoint at its timeout', () => {
    const c = coordinator(oneRegion(), { tolerableConsecutiveFailures: 5 });
    triggerOf(c.onTick(100));
    expect(c.onTick(1_099)).toEqual([]);
    const [abort] = c.onTick(1_100);
    expect(abort).toMatchObject({ kind: 'abort', whole: true, failure: { reason: 'expired' } });
    expect(c.stats()[0]).toMatchObject({ status: 'failed', durationMs: 1_000 });
  });

  it('rejects acks it never asked for, ignores late ones', () => {
    const topology = oneRegion();
    const c = coordinator(topology);
    expect(() => c.acknowledge(ackOf(1, ref('src', 0)), 0)).toThrow(/never triggered/);
    triggerOf(c.onTick(100));
    c.acknowledge(ackOf(1, ref('src', 0)), 101);
    expect(() => c.acknowledge(ackOf(1, ref('src', 0)), 102)).toThrow(/twice/);
    expect(() => c.acknowledge(ackOf(1, ref('nope', 0)), 102)).toThrow(/not part of the plan|did not expect/);
    c.onTick(1_100);
    expect(c.acknowledge(ackOf(1, ref('src', 1)), 1_101)).toEqual([]);
  });

  it('with two in flight, completing the newer one subsumes the older', () => {
    const topology = oneRegion();
    const c = coordinator(topology, { maxConcurrent: 2 });
    triggerOf(c.onTick(100));
    triggerOf(c.onTick(200));
    expect(c.pendingIds).toEqual([1, 2]);
    const decisions = ackAll(c, 2, topology.subtasks, 250);
    expect(decisions.map((d) => [d.kind, d.kind === 'abort' ? d.failure.reason : ''])).toEqual([
      ['abort', 'subsumed'], ['notify-complete', ''],
    ]);
    expect(c.pendingIds).toEqual([]);
  });
});

describe('CheckpointCoordinator: regional mode', () => {
  const regional = { mode: 'regional' as const, regionalFailureThreshold: 0.75, tolerableConsecutiveFailures: 10 };

  it('a failing region does not fail the others: it maps to its latest successful snapshot', () => {
    const topology = pipelines(4);
    const c = coordinator(topology, regional);
    triggerOf(c.onTick(100));
    ackAll(c, 1, topology.subtasks, 110);
    triggerOf(c.onTick(200));
    const abort = c.failRegion(3, 'fail-checkpoint', 205);
    expect(abort).toEqual([expect.objectContaining({ kind: 'abort', whole: false, regions: [3] })]);
    expect(keys((abort[0] as Extract<CheckpointDecision, { kind: 'abort' }>).subtasks)).toEqual(['src#2', 'out#2']);
    const others = topology.subtasks.filter((s) => s.index !== 2);
    const decisions = ackAll(c, 2, others, 220);
    expect(kinds(decisions)).toEqual(['notify-complete']);
    const done = decisions[0] as Extract<CheckpointDecision, { kind: 'notify-complete' }>;
    expect(keys(done.subtasks)).toEqual(['src#0', 'src#1', 'src#3', 'out#0', 'out#1', 'out#3']);
    expect(done.checkpoint.regions.map((r) => [r.region, r.status, r.snapshotId])).toEqual([
      [1, 'acknowledged', 2], [2, 'acknowledged', 2], [3, 'failed', 1], [4, 'acknowledged', 2],
    ]);
    expect(c.restoreRegion(3)).toEqual([
      { subtask: ref('src', 2), snapshotId: 1, handle: 'src#2@1' }, { subtask: ref('out', 2), snapshotId: 1, handle: 'out#2@1' },
    ]);
    expect(c.restoreSubtask(ref('out', 0))).toEqual({ subtask: ref('out', 0), snapshotId: 2, handle: 'out#0@2' });
    expect(c.referencedCheckpointIds()).toEqual([1, 2]);
  });

  it('a region without any snapshot maps to 0: start from the beginning', () => {
    const topology = pipelines(2);
    const c = coordinator(topology, regional);
    triggerOf(c.onTick(100));
    c.onSubtaskFailed(ref('out', 1), 105);
    const decisions = ackAll(c, 1, [ref('src', 0), ref('out', 0)], 110);
    expect(kinds(decisions)).toEqual(['notify-complete']);
    expect(c.restoreAll().map((p) => [subtaskKey(p.subtask), p.snapshotId, p.handle])).toEqual([
      ['src#0', 1, 'src#0@1'], ['src#1', 0, undefined], ['out#0', 1, 'out#0@1'], ['out#1', 0, undefined],
    ]);
  });

  it('fails the whole checkpoint once the failed fraction reaches the threshold', () => {
    const topology = pipelines(4);
    const c = coordinator(topology, { ...regional, regionalFailureThreshold: 0.5, tolerableConsecutiveFailures: 0 });
    triggerOf(c.onTick(100));
    expect(kinds(c.failRegion(1, 'x', 101))).toEqual(['abort']);
    const whole = c.onTick(1_100);
    expect(whole[0]).toMatchObject({ kind: 'abort', whole: true, failure: { reason: 'too-many-failed-regions' } });
    expect(kinds(whole)).toEqual(['abort', 'fail-job']);
  });

  it('regions that time out fail alone; the rest complete', () => {
    const topology = pipelines(4);
    const c = coordinator(topology, regional);
    triggerOf(c.onTick(100));
    ackAll(c, 1, topology.subtasks.filter((s) => s.index !== 0), 150);
    const decisions = c.onTick(1_100);
    expect(kinds(decisions)).toEqual(['abort', 'notify-complete', 'trigger']);
    expect(c.latestCompleted()?.regions[0]).toMatchObject({ region: 1, status: 'failed', snapshotId: 0, failure: { reason: 'expired' } });
  });

  it('a down subtask fails its region at trigger time; a failover fails the restarted regions', () => {
    const topology = pipelines(3);
    const c = coordinator(topology, regional);
    c.onSubtaskFailed(ref('src', 1), 90);
    const started = c.onTick(100);
    expect(kinds(started)).toEqual(['trigger', 'abort']);
    expect(keys(triggerOf(started).sources)).toEqual(['src#0', 'src#2']);
    const failover = c.onFailover([ref('src', 2), ref('out', 2)], 105);
    expect(failover).toEqual([expect.objectContaining({ kind: 'abort', whole: false, regions: [3] })]);
    expect(kinds(ackAll(c, 1, [ref('src', 0), ref('out', 0)], 110))).toEqual(['notify-complete']);
  });

  it('a region failing too many checkpoints in a row fails the job', () => {
    const topology = pipelines(4);
    const c = coordinator(topology, { ...regional, tolerableConsecutiveFailures: 1 });
    for (const [id, at] of [[1, 100], [2, 200]] as const) {
      triggerOf(c.onTick(at));
      c.failRegion(2, 'always', at + 1);
      const decisions = ackAll(c, id, topology.subtasks.filter((s) => s.index !== 1), at + 10);
      expect(kinds(decisions)).toEqual(id === 1 ? ['notify-complete'] : ['notify-complete', 'fail-job']);
    }
  });

  it('a fail-checkpoint with nothing in flight hits the next checkpoint', () => {
    const topology = pipelines(2);
    const c = coordinator(topology, regional);
    expect(c.failRegion(2, 'armed', 50)).toEqual([]);
    const decisions = c.onTick(100);
    expect(kinds(decisions)).toEqual(['trigger', 'abort']);
    expect(decisions[1]).toMatchObject({ regions: [2], failure: { reason: 'declined', message: 'armed' } });
  });
});

describe('CheckpointCoordinator: retention, history and persistence', () => {
  it('full checkpoints reference only themselves; retention drops the oldest', () => {
    const topology = oneRegion();
    const c = coordinator(topology, { type: 'full', retained: 2 });
    for (let id = 1; id <= 4; id++) {
      triggerOf(c.onTick(id * 100));
      ackAll(c, id, topology.subtasks, id * 100 + 10 * id, 10 * id);
    }
    expect(c.completedCheckpoints().map((cp) => cp.id)).toEqual([3, 4]);
    expect(c.referencedCheckpointIds()).toEqual([3, 4]);
    expect(c.releasableBefore()).toBe(3);
    const rows = c.stats();
    expect(rows.map((r) => [r.id, r.size, r.durationMs])).toEqual([[1, 60, 10], [2, 120, 20], [3, 180, 30], [4, 240, 40]]);
    expect(c.summary()).toMatchObject({ completed: 4, durationMs: { min: 10, avg: 25, max: 40 }, size: { min: 60, max: 240 } });
  });

  it('incremental checkpoints keep their chain unless the backend lists what it reuses', () => {
    const topology = oneRegion();
    const c = coordinator(topology, { retained: 1 });
    for (let id = 1; id <= 3; id++) {
      triggerOf(c.onTick(id * 100));
      ackAll(c, id, topology.subtasks, id * 100 + 5);
    }
    expect(c.referencedCheckpointIds()).toEqual([1, 2, 3]);
    expect(c.stats()[2]).toMatchObject({ size: 18, stateSize: 60, changedSize: 18 });
    triggerOf(c.onTick(400));
    for (const s of topology.subtasks) c.acknowledge(ackOf(4, s, { referencedCheckpointIds: [2] }), 405);
    expect(c.referencedCheckpointIds()).toEqual([2, 4]);
    expect(c.releasableBefore()).toBe(2);
  });

  it('exports and restores: the same latest checkpoint, restore points and next id', () => {
    const topology = pipelines(2);
    const c = coordinator(topology, { mode: 'regional' });
    triggerOf(c.onTick(100));
    ackAll(c, 1, topology.subtasks, 110);
    triggerOf(c.onTick(200));
    const exported = structuredClone(c.exportState());
    const revived = new CheckpointCoordinator<string>({ mode: 'regional' }, topology, { restored: exported.store });
    expect(revived.latestCompleted()).toEqual(c.latestCompleted());
    expect(revived.restoreAll()).toEqual(c.restoreAll());
    expect(revived.nextCheckpointId).toBe(2);
    expect(exported.nextCheckpointId).toBe(3);
  });
});

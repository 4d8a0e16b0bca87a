/**
 * Maintenance drain (drain.ts, LocalCluster.drainTaskManager): the placement decision as a
 * pure function, and a drain in a running word count — every subtask leaves the drained
 * TaskManager, keyed state is restored as checkpointed, and the committed output equals the
 * failure-free run record for record (exactly once). Refusals say why and how many slots.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import type { SubtaskRef } from '../plan/executionGraph';
import { resolveRunConfig, type RunConfig } from '../runtime/runConfig';
import type { StreamRecord } from '../runtime/types';
import type { KeyedStateBackend } from '../state/types';
import { drainMessage, drainPlacement, planDrain, planUndrain, type DrainFacts } from './drain';
import { LocalCluster } from './LocalCluster';
import type { CheckpointObserver } from './OperatorTask';
import { planRun } from './planRun';
import { nodeClock } from './testing/nodeClock';
import { RESCALE_JOB } from './testing/rescaleJob';

const JOB: JobGraph = { ...RESCALE_JOB, operators: RESCALE_JOB.operators.map((op) => (op.id === 'count' ? { ...op, parallelism: 4 } : op)) };
const CONFIG: Partial<RunConfig> = { taskManagers: 3, slotsPerTaskManager: 2, seed: 9, checkpointIntervalMs: 1000, failover: 'region', paused: true };

function factsOf(job: JobGraph, config: Partial<RunConfig>): DrainFacts {
  const plan = planRun(job, config);
  if (!plan.ok) throw new Error(plan.errors[0]?.message);
  return { job: plan.job, config: plan.config, graph: plan.graph, placement: plan.placement, alive: [true, true, true] };
}

const tmOf = (facts: { placement: readonly { operatorId: string; index: number; taskManager: number }[] }) =>
  Object.fromEntries(facts.placement.map((p) => [`${p.operatorId}#${p.index}`, p.taskManager]));

describe('drain placement (pure)', () => {
  it('moves only the drained TaskManager’s slots, whole, to the TaskManagers with the most free slots', () => {
    const facts = factsOf(JOB, CONFIG);
    // Shared slots 0..3 over TaskManagers 0, 1, 2, 0.
    expect(tmOf(facts)).toMatchObject({ 'count#0': 0, 'count#1': 1, 'count#2': 2, 'count#3': 0, 'words#0': 0, 'out#0': 0 });
    const decision = planDrain(facts, 1);
    if (!decision.ok) throw new Error(decision.message);
    const { plan, moves } = decision.drain;
    expect(plan.placement.filter((p) => p.taskManager === 1)).toEqual([]);
    expect(moves).toEqual([{ operatorId: 'count', index: 1, fromTaskManager: 1, toTaskManager: 2 }]);
    expect(plan.placement.find((p) => p.operatorId === 'count' && p.index === 1)).toMatchObject({ taskManager: 2, slot: 1 });
    expect(plan.config.drainedTaskManagers).toEqual([1]);
    expect(plan.graph).toBe(facts.graph);
  });

  it('keeps slot sharing: subtasks that shared a slot move to one slot together', () => {
    const facts = factsOf(JOB, { ...CONFIG, taskManagers: 2, slotsPerTaskManager: 4 });
    const placed = drainPlacement(facts.placement, facts.config, 0, [1]);
    if (!placed.ok) throw new Error('refused');
    const slots = new Map<number, Set<string>>();
    for (const p of placed.placement) {
      expect(p.taskManager).toBe(1);
      const set = slots.get(p.slot) ?? new Set<string>();
      expect(set.has(p.operatorId)).toBe(false);
      set.add(p.operatorId);
      slots.set(p.slot, set);
    }
    expect([...slots.keys()].sort()).toEqual([0, 1, 2, 3]);
  });

  it('refuses when the other TaskManagers lack free slots, saying how many are needed and free', () => {
    const facts = factsOf(JOB, { ...CONFIG, taskManagers: 2, slotsPerTaskManager: 2 });
    const decision = planDrain(facts, 0);
    expect(decision).toMatchObject({ ok: false, code: 'drain.notEnoughSlots' });
    expect(!decision.ok && decision.message).toMatch(/needs 2 free slots elsewhere \(for its 4 subtasks\), but the other TaskManager has 0 free/);
  });

  it('refuses an unknown, drained or lost TaskManager, and undrain of one in service', () => {
    const facts = factsOf(JOB, CONFIG);
    expect(planDrain(facts, 3)).toMatchObject({ ok: false, code: 'drain.unknownTaskManager' });
    expect(planDrain(facts, 1.5)).toMatchObject({ ok: false, code: 'drain.unknownTaskManager' });
    expect(planDrain({ ...facts, alive: [true, false, true] }, 1)).toMatchObject({ ok: false, code: 'drain.lost' });
    expect(planUndrain(facts, 1)).toMatchObject({ ok: false, code: 'drain.notDrained' });
    const drained = planDrain(facts, 1);
    if (!drained.ok) throw new Error(drained.message);
    expect(planDrain({ ...facts, ...drained.drain.plan }, 1)).toMatchObject({ ok: false, code: 'drain.alreadyDrained' });
    expect(planUndrain({ ...facts, ...drained.drain.plan, alive: [true, false, true] }, 1)).toMatchObject({ ok: false, code: 'drain.lost' });
  });

  it('returns to service by spreading the job evenly again', () => {
    const facts = factsOf(JOB, CONFIG);
    const drained = planDrain(facts, 1);
    if (!drained.ok) throw new Error(drained.message);
    const back = planUndrain({ ...facts, ...drained.drain.plan }, 1);
    if (!back.ok) throw new Error(back.message);
    expect(back.drain.plan.placement).toEqual(facts.placement);
    expect(back.drain.plan.config.drainedTaskManagers).toBeUndefined();
    expect(back.drain.moves).toEqual([{ operatorId: 'count', index: 1, fromTaskManager: 2, toTaskManager: 1 }]);
  });

  it('planRun places nothing on drained TaskManagers and checks the list', () => {
    const facts = factsOf(JOB, { ...CONFIG, drainedTaskManagers: [0] });
    expect(facts.placement.every((p) => p.taskManager !== 0)).toBe(true);
    expect(new Set(facts.placement.map((p) => p.taskManager))).toEqual(new Set([1, 2]));
    const bad = planRun(JOB, { ...CONFIG, drainedTaskManagers: [5] });
    expect(bad).toMatchObject({ ok: false, errors: [{ path: '$.drainedTaskManagers', code: 'slots.badDrained' }] });
    const full = planRun(JOB, { ...CONFIG, drainedTaskManagers: [0, 1] });
    expect(!full.ok && full.errors[0]?.message).toMatch(/needs 4 slots .* has 2 \(1 TaskManagers besides the 2 drained/);
    expect(resolveRunConfig({ drainedTaskManagers: [1, 1] }).ok).toBe(false);
  });

  it('says what moved, via which checkpoint, and that nothing was lost', () => {
    expect(drainMessage('drain', 2, 5, 4)).toMatch(/^TaskManager 2 drained: 5 subtasks moved via checkpoint 4, nothing lost\./);
    expect(drainMessage('undrain', 2, 1, 7)).toBe('TaskManager 2 back in service: 1 subtask moved back via checkpoint 7, nothing lost.');
  });
});

/** Rows of the `count` subtasks at each snapshot and after each restore. */
class StateRecorder implements CheckpointObserver {
  readonly snapshots = new Map<number, Map<string, string>>();
  readonly restores = new Map<number, Map<string, string>>();
  snapshotted(ref: SubtaskRef, checkpointId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId === 'count') rowsOf(backend, this.snapshots, checkpointId);
  }
  restored(ref: SubtaskRef, snapshotId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId === 'count') rowsOf(backend, this.restores, snapshotId);
  }
}

function rowsOf(backend: KeyedStateBackend, into: Map<number, Map<string, string>>, id: number): void {
  const rows = into.get(id) ?? new Map<string, string>();
  const { start, end } = backend.keyGroupRange;
  for (let kg = start; kg <= end; kg++) {
    for (const [row, value] of backend.scan(kg, 'aggregate-acc')) rows.set(`${kg}|${row}`, JSON.stringify(value));
  }
  into.set(id, rows);
}

async function runToEnd(cluster: LocalCluster): Promise<void> {
  for (let i = 0; i < 100 && (await cluster.status()).state === 'paused'; i++) await cluster.advance(1_000);
  expect((await cluster.status()).state).toBe('finished');
}

const sorted = (records: readonly StreamRecord[]): string[] => records.map((r) => `${String(r.key)}=${String(r.value)}`).sort();

describe('drainTaskManager (LocalCluster)', () => {
  it('moves every subtask off the TaskManager, restores keyed state as checkpointed, output exactly once', async () => {
    const reference = new LocalCluster({ clock: nodeClock });
    await reference.start(JOB, CONFIG);
    await runToEnd(reference);
    const expected = await reference.output('out');

    const recorder = new StateRecorder();
    const cluster = new LocalCluster({ clock: nodeClock, checkpointTesting: { observer: recorder } });
    await cluster.start(JOB, CONFIG);
    await cluster.advance(2_500);
    const before = (await cluster.metrics()).taskManagers.find((tm) => tm.index === 0)?.subtasks.length ?? 0;
    expect(before).toBeGreaterThan(0);
    expect((await cluster.drainTaskManager(0)).state).toBe('paused');
    await cluster.advance(100);
    const metrics = await cluster.metrics();
    expect(metrics.taskManagers.map((tm) => [tm.index, tm.subtasks.length, tm.drained === true])).toEqual([[0, 0, true], [1, 4, false], [2, 2, false]]);
    const drained = (await cluster.events()).find((e) => e.kind === 'taskmanager-drained');
    expect(drained?.message).toMatch(new RegExp(`^TaskManager 0 drained: ${before} subtasks moved via checkpoint \\d+, nothing lost`));
    const from = Number(/via checkpoint (\d+)/.exec(drained?.message ?? '')?.[1]);
    expect(recorder.restores.get(from)?.size).toBeGreaterThan(0);
    expect(recorder.restores.get(from)).toEqual(recorder.snapshots.get(from));

    await cluster.advance(2_000);
    expect((await cluster.undrainTaskManager(0)).state).toBe('paused');
    expect((await cluster.metrics()).taskManagers.map((tm) => [tm.subtasks.length, tm.drained === true])).toEqual([[4, false], [1, false], [1, false]]);
    await runToEnd(cluster);
    const out = await cluster.output('out');
    expect(out.pendingCount).toBe(0);
    expect(sorted(out.committed)).toEqual(sorted(expected.committed));
    const kinds = (await cluster.events()).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'drain-started')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'taskmanager-undrained')).toHaveLength(1);
  }, 60_000);

  it('a rescale after a drain keeps the drained TaskManager idle', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(JOB, CONFIG);
    await cluster.advance(1_500);
    await cluster.drainTaskManager(2);
    await cluster.rescale('count', 2);
    const tms = (await cluster.metrics()).taskManagers;
    expect(tms[2]).toMatchObject({ drained: true, subtasks: [] });
    await cluster.stop();
  });

  it('is deterministic, and a TaskManager killed after a drain fails over without touching the drained one', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const cluster = new LocalCluster({ clock: nodeClock });
      await cluster.start(JOB, CONFIG);
      await cluster.advance(1_500);
      await cluster.drainTaskManager(1);
      await cluster.advance(1_000);
      await cluster.inject({ kind: 'kill-taskmanager', taskManager: 2 });
      await cluster.advance(3_000);
      const tms = (await cluster.metrics()).taskManagers;
      expect(tms[1]).toMatchObject({ drained: true, subtasks: [] });
      expect((await cluster.recoveries()).length).toBe(1);
      await runToEnd(cluster);
      hashes.push(await cluster.traceHash());
      if (i === 0) {
        const reference = new LocalCluster({ clock: nodeClock });
        await reference.start(JOB, CONFIG);
        await runToEnd(reference);
        expect(sorted((await cluster.output('out')).committed)).toEqual(sorted((await reference.output('out')).committed));
      }
    }
    expect(hashes[0]).toBe(hashes[1]);
  }, 60_000);

  it('a job that finishes while stopping for a drain stays finished, its output exactly once', async () => {
    const reference = new LocalCluster({ clock: nodeClock });
    await reference.start(JOB, CONFIG);
    await runToEnd(reference);
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(JOB, CONFIG);
    // The source has sent its last word; the sink finishes within the stop's ticks.
    await cluster.advance(8_010);
    await expect(cluster.drainTaskManager(0)).rejects.toThrow(/The job finished before it could be redeployed/);
    expect((await cluster.status())).toMatchObject({ state: 'finished' });
    expect((await cluster.status()).failure).toBeUndefined();
    expect(sorted((await cluster.output('out')).committed)).toEqual(sorted((await reference.output('out')).committed));
  });

  it('refuses with the slots needed and free, and the job runs on', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await expect(cluster.drainTaskManager(0)).rejects.toThrow(/No job has been started/);
    await cluster.start(JOB, { ...CONFIG, taskManagers: 2 });
    await cluster.advance(500);
    await expect(cluster.drainTaskManager(1)).rejects.toThrow(/needs 2 free slots elsewhere \(for its 2 subtasks\), but the other TaskManager has 0 free/);
    await expect(cluster.undrainTaskManager(1)).rejects.toThrow(/in service/);
    expect((await cluster.advance(200)).state).toBe('paused');
    await cluster.stop();
  });
});

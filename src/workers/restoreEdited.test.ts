/**
 * Restoring an edited job from a saved run (engine/cluster/restoreEdited.ts), end to end in
 * Node: a run with checkpoints is cut off (no stop, as a crashed tab), the job is edited, and a
 * fresh cluster over the same durable state restores the edited job. Oracle (STYLE.md habit
 * 10): every key's state after the restore equals the saved checkpoint's.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { jobIdOf } from '../engine/cluster/jobId';
import { LocalCluster } from '../engine/cluster/LocalCluster';
import type { CheckpointObserver } from '../engine/cluster/OperatorTask';
import { BOUNDED_SEQUENCE_JOB } from '../engine/cluster/testing/jobs';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { JobGraph } from '../engine/job/types';
import type { SubtaskRef } from '../engine/plan/executionGraph';
import { stableOperatorIds } from '../engine/plan/operatorIds';
import type { RunConfig } from '../engine/runtime/runConfig';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { KeyedStateBackend } from '../engine/state/types';
import { idbCheckpointStore, memoryCheckpointStore } from './checkpointStore';
import { createLocalClusterApi } from './localClusterApi';
import { stateStoragePorts } from './stateStorages';

const JOB = BOUNDED_SEQUENCE_JOB;
const JOB_ID = jobIdOf(JOB);
const CONFIG: Partial<RunConfig> = { taskManagers: 2, slotsPerTaskManager: 2, seed: 4, stateBackend: 'memory', checkpointIntervalMs: 150, paused: true };
/** Saves are chained after each completion: give the last one a moment to commit. */
const settleSaves = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

/** Rows of one operator's subtasks at each snapshot and after each restore, `keyGroup|row` → value. */
class StateRecorder implements CheckpointObserver {
  readonly snapshots = new Map<number, Map<string, string>>();
  readonly restores = new Map<number, Map<string, string>>();
  constructor(private readonly operatorIds: readonly string[]) {}
  snapshotted(ref: SubtaskRef, checkpointId: number, backend: KeyedStateBackend): void {
    if (this.operatorIds.includes(ref.operatorId)) rowsOf(backend, this.snapshots, checkpointId);
  }
  restored(ref: SubtaskRef, snapshotId: number, backend: KeyedStateBackend): void {
    if (this.operatorIds.includes(ref.operatorId)) rowsOf(backend, this.restores, snapshotId);
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

/** The job edited: `sum` at parallelism 3 (was 4) under another canvas id, a new log sink after it, a new collect sink. */
function edited(): JobGraph {
  const job = structuredClone(JOB);
  const sum = job.operators.find((o) => o.id === 'sum');
  Object.assign(sum as object, { id: 'total', parallelism: 3 });
  job.edges = job.edges.map((e) => ({ ...e, from: e.from === 'sum' ? 'total' : e.from, to: e.to === 'sum' ? 'total' : e.to }));
  job.operators.push({ id: 'log', kind: 'log', name: 'Log', parallelism: 1 });
  job.edges.push({ from: 'total', to: 'log', partitioner: 'rebalance' });
  job.operators.push({ id: 'more', kind: 'collect', name: 'More', parallelism: 1 });
  job.edges.push({ from: 'some', to: 'more', partitioner: 'rebalance' });
  return job;
}

/** Runs the original job and cuts it off (a crashed tab); returns the shared ports and its last checkpoint. */
async function crashedRun(recorder: StateRecorder) {
  const storage = createMemoryStateStorage();
  const ports = { clock: nodeClock, checkpointStore: memoryCheckpointStore(), createStateStorage: () => storage, checkpointTesting: { observer: recorder } };
  const crashed = new LocalCluster(ports);
  await crashed.start(JOB, CONFIG);
  await crashed.advance(700);
  await settleSaves();
  const latest = (await crashed.checkpoints()).summary.latestCompletedId as number;
  expect(latest).toBeGreaterThanOrEqual(3);
  return { ports, latest };
}

describe('restore an edited job from a saved run', () => {
  it('parallelism change, renamed canvas id and a new downstream operator: every key’s state equals the checkpoint’s', async () => {
    const recorder = new StateRecorder(['sum', 'total']);
    const { ports, latest } = await crashedRun(recorder);
    expect(stableOperatorIds(edited()).get('total')?.stableId).toBe(stableOperatorIds(JOB).get('sum')?.stableId);

    const restored = new LocalCluster(ports);
    const report = await restored.restoreEdited(JOB_ID, edited(), { paused: true });
    expect(report.ok, JSON.stringify(report)).toBe(true);
    if (!report.ok) return;
    expect(report.mapping.rows.map((r) => [r.operatorId, r.outcome])).toEqual([
      ['numbers', 'matched'], ['double', 'matched'], ['some', 'matched'], ['total', 'matched'], ['out', 'matched'], ['log', 'new'], ['more', 'new'],
    ]);
    expect(report.mapping.rows.find((r) => r.operatorId === 'total')?.rescaled).toEqual({ from: 4, to: 3 });
    await restored.advance(10);
    const rows = recorder.restores.get(latest);
    expect(rows?.size).toBeGreaterThan(0);
    expect(rows).toEqual(recorder.snapshots.get(latest));
    // The run goes on, at the new shape, to its end; checkpoint ids go on upward.
    expect((await restored.advance(20_000)).state).toBe('finished');
    expect((await restored.checkpoints()).history.every((c) => c.id > latest)).toBe(true);
    const events = await restored.events();
    expect(events.some((e) => e.kind === 'recovery-finished' && e.message.includes(`Restored the edited job from checkpoint ${latest}`))).toBe(true);
    const committed = (await restored.output('out')).committed.map((r) => JSON.stringify(r));
    expect(new Set(committed).size).toBe(committed.length);
    // The new sink starts empty at the checkpoint: it commits what `some` emits after it, once.
    const more = (await restored.output('more')).committed.map((r) => JSON.stringify(r));
    expect(more.length).toBeGreaterThan(0);
    expect(new Set(more).size).toBe(more.length);
  }, 60_000);

  it('a changed aggregate takes its state by name only with consent, and its saved id is pinned as its uid', async () => {
    const recorder = new StateRecorder(['sum']);
    const { ports, latest } = await crashedRun(recorder);
    const job = structuredClone(JOB);
    (job.operators.find((o) => o.id === 'sum') as { config: object }).config = { fn: 'max', field: 'value' };

    const refused = await new LocalCluster(ports).restoreEdited(JOB_ID, job, { paused: true });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.map((e) => e.code)).toEqual(['restore.nameMappingNotAccepted']);
    expect(refused.errors[0]?.message).toMatch(/"Sum per key".*accept/);
    expect(refused.mapping?.rows.find((r) => r.operatorId === 'sum')?.outcome).toBe('by-name');

    const restored = new LocalCluster(ports);
    const report = await restored.restoreEdited(JOB_ID, job, { paused: true, acceptNameMapping: true });
    expect(report.ok, JSON.stringify(report)).toBe(true);
    if (!report.ok) return;
    expect(report.job.operators.find((o) => o.id === 'sum')?.uid).toBe(stableOperatorIds(JOB).get('sum')?.stableId);
    await restored.advance(10);
    expect(recorder.restores.get(latest)).toEqual(recorder.snapshots.get(latest));
    await restored.stop();
  }, 60_000);

  it('refuses to drop keyed state silently, and a job under another name', async () => {
    const { ports } = await crashedRun(new StateRecorder([]));
    const job = structuredClone(JOB);
    job.operators = job.operators.filter((o) => o.id !== 'sum');
    job.edges = [...job.edges.filter((e) => e.from !== 'sum' && e.to !== 'sum'), { from: 'some', to: 'out', partitioner: 'rebalance' }];
    const cluster = new LocalCluster(ports);
    const refused = await cluster.restoreEdited(JOB_ID, job, { paused: true });
    expect(refused.ok).toBe(false);
    // The sink's input changed, so its id did too: its unique name proposes it.
    if (!refused.ok) expect(refused.errors.map((e) => e.code)).toEqual(['restore.nameMappingNotAccepted', 'restore.nonRestoredState']);
    if (!refused.ok) expect(refused.errors[1]?.message).toMatch(/state of "Sum per key" \([0-9a-f]{32}\) that no operator of the edited job takes/);
    const allowed = await cluster.restoreEdited(JOB_ID, job, { paused: true, allowNonRestoredState: true, acceptNameMapping: true });
    expect(allowed.ok, JSON.stringify(allowed)).toBe(true);
    expect((await cluster.advance(20_000)).state).toBe('finished');
    await cluster.stop();

    const renamed = await new LocalCluster(ports).restoreEdited(JOB_ID, { ...JOB, name: 'Another name' });
    expect(renamed.ok).toBe(false);
    if (!renamed.ok) expect(renamed.errors[0]?.code).toBe('restore.otherJob');
  }, 60_000);

  it('on IndexedDB too: the edited job restores from the job’s database and runs to its end', async () => {
    const factory = new IDBFactory();
    const crashed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    expect((await crashed.start(JOB, { ...CONFIG, stateBackend: 'idb' })).ok).toBe(true);
    await crashed.advance(700);
    await settleSaves();
    const restored = new LocalCluster({ clock: nodeClock, checkpointStore: idbCheckpointStore(factory), ...stateStoragePorts(factory) });
    const report = await restored.restoreEdited(JOB_ID, edited(), { paused: true });
    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect((await restored.advance(20_000)).state).toBe('finished');
    await restored.stop();
  }, 60_000);
});

/**
 * Resume after a reload (engine/cluster/resume.ts) on fake-indexeddb: a run with checkpoints
 * is dropped mid-run with no stop (the tab crashed), and a fresh cluster over the same
 * IndexedDB resumes it from its last completed checkpoint. Its committed output then equals
 * the failure-free run's (nothing lost, nothing twice), every key's state restores as the
 * checkpoint recorded it, and a checkpoint whose record was never written is never chosen.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadataStore } from '../engine/cluster/clusterPorts';
import { jobIdOf } from '../engine/cluster/jobId';
import type { CheckpointObserver } from '../engine/cluster/OperatorTask';
import { BOUNDED_SEQUENCE_JOB } from '../engine/cluster/testing/jobs';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { SubtaskRef } from '../engine/plan/executionGraph';
import type { RunConfig } from '../engine/runtime/runConfig';
import type { StreamRecord } from '../engine/runtime/types';
import type { KeyedStateBackend } from '../engine/state/types';
import { stateDbName } from '../state-idb/IdbStateStorage';
import { idbCheckpointStore, memoryCheckpointStore } from './checkpointStore';
import { LocalCluster } from '../engine/cluster/LocalCluster';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import { createLocalClusterApi, type HostedClusterApi } from './localClusterApi';
import { readResumable } from './runStore';

const JOB = BOUNDED_SEQUENCE_JOB;
const JOB_ID = jobIdOf(JOB);
const CONFIG: Partial<RunConfig> = { taskManagers: 2, slotsPerTaskManager: 2, seed: 4, stateBackend: 'idb', checkpointIntervalMs: 150, paused: true };

const sorted = (records: readonly StreamRecord[]): string[] => records.map((r) => JSON.stringify(r)).sort();
/** Saves are chained after each completion: give the last one a moment to commit. */
const settleSaves = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

/** Rows of the `sum` subtasks at each snapshot and after each restore, `keyGroup|row` → value. */
class StateRecorder implements CheckpointObserver {
  readonly snapshots = new Map<number, Map<string, string>>();
  readonly restores = new Map<number, Map<string, string>>();
  snapshotted(ref: SubtaskRef, checkpointId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId === 'sum') rowsOf(backend, this.snapshots, checkpointId);
  }
  restored(ref: SubtaskRef, snapshotId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId === 'sum') rowsOf(backend, this.restores, snapshotId);
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

async function failureFree(): Promise<{ final: string[]; at: (ms: number) => Promise<string[]> }> {
  const api = createLocalClusterApi({ clock: nodeClock });
  await api.start(JOB, { ...CONFIG, stateBackend: 'memory' });
  const seen = new Map<number, string[]>();
  let t = 0;
  for (const step of [700, 200]) {
    t += (await api.advance(step)).virtualTimeMs - t;
    seen.set(t, sorted((await api.output('out')).committed));
  }
  expect((await api.advance(20_000)).state).toBe('finished');
  const final = sorted((await api.output('out')).committed);
  await api.stop();
  return { final, at: async (ms) => seen.get(ms) ?? [] };
}

async function runToEnd(api: HostedClusterApi): Promise<void> {
  expect((await api.advance(20_000)).state).toBe('finished');
}

describe('resume after reload', () => {
  it('a crashed run resumes from its last completed checkpoint: committed output as the failure-free run’s at the same time, and exactly once at the end', async () => {
    const reference = await failureFree();
    const factory = new IDBFactory();
    const crashed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    expect((await crashed.start(JOB, CONFIG)).ok).toBe(true);
    await crashed.advance(700);
    await settleSaves();
    const before = await crashed.checkpoints();
    const latest = before.summary.latestCompletedId as number;
    expect(latest).toBeGreaterThanOrEqual(3);
    // The tab crashes: no stop, nothing more happens on this cluster.

    const offer = await readResumable(factory, JOB_ID);
    expect(offer).toMatchObject({ jobId: JOB_ID, jobName: JOB.name, checkpointId: latest });
    const completedAt = before.history.find((c) => c.id === latest);
    expect(offer?.virtualTimeMs).toBe(completedAt?.triggerMs);
    expect(offer?.virtualTimeMs).toBeLessThanOrEqual(700);

    const resumed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    expect(await resumed.resumable()).toEqual(offer);
    const report = await resumed.resumeSaved(JOB_ID, { paused: true });
    expect(report).toMatchObject({ ok: true });
    const status = await resumed.status();
    expect(status).toMatchObject({ state: 'paused', virtualTimeMs: offer?.virtualTimeMs });
    // The committed output shows as it was at the checkpoint (its re-commit follows with the restore).
    const shown = await resumed.output('out');
    expect(shown.committedCount).toBeGreaterThan(0);
    await resumed.advance(900 - (offer?.virtualTimeMs ?? 0));
    expect(sorted((await resumed.output('out')).committed)).toEqual(await reference.at(900));
    const events = await resumed.events();
    expect(events.some((e) => e.kind === 'recovery-finished' && e.message.includes(`checkpoint ${latest}`))).toBe(true);
    // Checkpoint ids go on upward.
    expect((await resumed.checkpoints()).history.every((c) => c.id > latest)).toBe(true);
    await runToEnd(resumed);
    const committed = sorted((await resumed.output('out')).committed);
    expect(new Set(committed).size).toBe(committed.length);
    expect(committed).toEqual(reference.final);
    // A finished run leaves nothing to resume.
    await settleSaves();
    expect(await readResumable(factory, JOB_ID)).toBeNull();
    await resumed.stop();
  }, 60_000);

  it('every key’s state restores as the checkpoint recorded it (durable storage shared by both clusters)', async () => {
    const recorder = new StateRecorder();
    // One storage outlives both clusters, as the job's database outlives a tab.
    const storage = createMemoryStateStorage();
    const checkpointStore = memoryCheckpointStore();
    const ports = { clock: nodeClock, checkpointStore, createStateStorage: () => storage, checkpointTesting: { observer: recorder } };
    const crashed = new LocalCluster(ports);
    await crashed.start(JOB, { ...CONFIG, stateBackend: 'memory' });
    await crashed.advance(700);
    const latest = (await crashed.checkpoints()).summary.latestCompletedId as number;
    const resumed = new LocalCluster(ports);
    expect((await resumed.resumeSaved(JOB_ID, { paused: true })).ok).toBe(true);
    await resumed.advance(10);
    expect(recorder.restores.get(latest)?.size).toBeGreaterThan(0);
    expect(recorder.restores.get(latest)).toEqual(recorder.snapshots.get(latest));
    await resumed.stop();
  }, 60_000);

  it('never chooses a checkpoint whose record was not written: the last written one is resumed', async () => {
    const reference = await failureFree();
    const factory = new IDBFactory();
    const idb = idbCheckpointStore(factory);
    let writes = 0;
    // The third save never commits: the tab died while it was being written.
    const torn: CheckpointMetadataStore = {
      ...idb,
      save: (jobId, metadata, run) => (++writes === 3 ? new Promise<void>(() => undefined) : idb.save(jobId, metadata, run)),
    };
    const crashed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory, checkpointStore: torn });
    await crashed.start(JOB, CONFIG);
    await crashed.advance(700);
    await settleSaves();
    const latest = (await crashed.checkpoints()).summary.latestCompletedId as number;
    expect(latest).toBeGreaterThan(2);
    const offer = await readResumable(factory, JOB_ID);
    expect(offer?.checkpointId).toBe(2);

    const resumed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    expect((await resumed.resumeSaved(undefined, { paused: true })).ok).toBe(true);
    await resumed.advance(10);
    expect((await resumed.events()).some((e) => e.kind === 'subtask-restored' && e.message.includes('from checkpoint 2'))).toBe(true);
    await runToEnd(resumed);
    expect(sorted((await resumed.output('out')).committed)).toEqual(reference.final);
    await resumed.stop();
    idb.close();
  }, 60_000);

  it('refuses, saying why, when the state database was lost; nothing to resume after a stop', async () => {
    const factory = new IDBFactory();
    const crashed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    await crashed.start(JOB, CONFIG);
    await crashed.advance(500);
    await settleSaves();
    await crashed.pause();
    // The browser evicts the job's keyed state.
    const { clearJobStateDatabase } = await import('./stateStorages');
    await clearJobStateDatabase(factory, JOB_ID, 50).catch(() => undefined);
    const names = (await factory.databases()).map((d) => d.name);
    expect(names).not.toContain(stateDbName(JOB_ID));
    const resumed = createLocalClusterApi({ clock: nodeClock, indexedDB: factory });
    const report = await resumed.resumeSaved(JOB_ID, { paused: true });
    expect(report.ok).toBe(false);
    if (!report.ok) {
      expect(report.errors[0]?.code).toBe('state.databaseLost');
      expect(report.errors[0]?.message).toMatch(/deleted or evicted.*start the job afresh/s);
    }
    await resumed.discardSaved(JOB_ID);
    expect(await resumed.resumable(JOB_ID)).toBeNull();

    await resumed.start(JOB, CONFIG);
    await resumed.advance(400);
    await settleSaves();
    expect(await resumed.resumable(JOB_ID)).not.toBeNull();
    await resumed.stop();
    await settleSaves();
    expect(await resumed.resumable(JOB_ID)).toBeNull();
  }, 60_000);
});

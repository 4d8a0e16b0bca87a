/**
 * Rescale (rescale.ts, LocalCluster.rescale): a keyed count rescaled 1 → 3 → 7 → 2 → 1 while
 * it runs. After every rescale the new subtasks together hold exactly the rows the stop
 * checkpoint recorded (key groups reassigned, nothing lost or doubled); at the end every
 * word's count equals the reference model (its occurrences in the failure-free run) and the
 * committed output equals the failure-free run's record for record (exactly once). Refusals
 * say why.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import type { SubtaskRef } from '../plan/executionGraph';
import type { RunConfig } from '../runtime/runConfig';
import type { StreamRecord } from '../runtime/types';
import type { KeyedStateBackend } from '../state/types';
import { LocalCluster } from './LocalCluster';
import type { CheckpointObserver } from './OperatorTask';
import { nodeClock } from './testing/nodeClock';
import { RESCALE_JOB } from './testing/rescaleJob';

const CONFIG: Partial<RunConfig> = { taskManagers: 2, slotsPerTaskManager: 4, seed: 9, checkpointIntervalMs: 1000, failover: 'region', paused: true };

/** Rows of one keyed backend over its key groups, as `keyGroup|row` → value. */
function rowsOf(backend: KeyedStateBackend, into: Map<string, string>): void {
  const { start, end } = backend.keyGroupRange;
  for (let kg = start; kg <= end; kg++) {
    for (const [row, value] of backend.scan(kg, 'aggregate-acc')) into.set(`${kg}|${row}`, JSON.stringify(value));
  }
}

/** Records what the `count` subtasks held at each snapshot and after each restore. */
class StateRecorder implements CheckpointObserver {
  readonly snapshots = new Map<number, Map<string, string>>();
  readonly restores = new Map<number, Map<string, string>>();
  snapshotted(ref: SubtaskRef, checkpointId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId !== 'count') return;
    const rows = this.snapshots.get(checkpointId) ?? new Map<string, string>();
    rowsOf(backend, rows);
    this.snapshots.set(checkpointId, rows);
  }
  restored(ref: SubtaskRef, snapshotId: number, backend: KeyedStateBackend): void {
    if (ref.operatorId !== 'count') return;
    const rows = this.restores.get(snapshotId) ?? new Map<string, string>();
    rowsOf(backend, rows);
    this.restores.set(snapshotId, rows);
  }
}

async function runToEnd(cluster: LocalCluster): Promise<void> {
  for (let i = 0; i < 100 && (await cluster.status()).state === 'paused'; i++) await cluster.advance(1_000);
  expect((await cluster.status()).state).toBe('finished');
}

const sortedRecords = (records: readonly StreamRecord[]): string[] => records.map((r) => `${String(r.key)}=${String(r.value)}`).sort();

describe('rescale', () => {
  it('1 → 3 → 7 → 2 → 1 keeps every key’s state: restored as checkpointed, final counts as the model, output exactly once', async () => {
    const reference = new LocalCluster({ clock: nodeClock });
    await reference.start(RESCALE_JOB, CONFIG);
    await runToEnd(reference);
    const expected = await reference.output('out');
    const model = new Map<string, number>();
    for (const record of expected.committed) model.set(record.key as string, Math.max(model.get(record.key as string) ?? 0, record.value as number));
    expect([...model.values()].reduce((a, b) => a + b, 0)).toBe(8000);

    const recorder = new StateRecorder();
    const cluster = new LocalCluster({ clock: nodeClock, checkpointTesting: { observer: recorder } });
    await cluster.start(RESCALE_JOB, CONFIG);
    for (const parallelism of [3, 7, 2, 1]) {
      await cluster.advance(1_500);
      const status = await cluster.rescale('count', parallelism);
      expect(status.state).toBe('paused');
      // State figures come with the TaskManagers' next sampled report.
      await cluster.advance(100);
      const metrics = await cluster.metrics();
      expect(metrics.subtasks.filter((s) => s.operatorId === 'count')).toHaveLength(parallelism);
      const ranges = metrics.state?.operators.find((op) => op.operatorId === 'count')?.subtasks.map((s) => [s.keyGroupStart, s.keyGroupEnd]);
      expect(ranges).toHaveLength(parallelism);
      expect(ranges?.[0]?.[0]).toBe(0);
      expect(ranges?.[parallelism - 1]?.[1]).toBe(127);
      const finished = (await cluster.events()).filter((e) => e.kind === 'rescale-finished').at(-1);
      const from = Number(/from checkpoint (\d+)/.exec(finished?.message ?? '')?.[1]);
      expect(from).toBeGreaterThan(0);
      expect(recorder.restores.get(from)?.size).toBeGreaterThan(0);
      expect(recorder.restores.get(from)).toEqual(recorder.snapshots.get(from));
    }
    await runToEnd(cluster);
    const out = await cluster.output('out');
    expect(out.pendingCount).toBe(0);
    const counts = new Map<string, number>();
    for (const record of out.committed) counts.set(record.key as string, Math.max(counts.get(record.key as string) ?? 0, record.value as number));
    expect(counts).toEqual(model);
    expect(sortedRecords(out.committed)).toEqual(sortedRecords(expected.committed));
    const kinds = (await cluster.events()).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'rescale-started')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'rescale-finished')).toHaveLength(4);
  }, 60_000);

  it('is deterministic: the same rescales at the same times give the same trace hash', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const cluster = new LocalCluster({ clock: nodeClock });
      await cluster.start(RESCALE_JOB, CONFIG);
      await cluster.advance(2_000);
      await cluster.rescale(null, 3);
      await cluster.advance(2_000);
      hashes.push(await cluster.traceHash());
      await cluster.stop();
    }
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('refuses with a reason, and the job runs on', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await expect(cluster.rescale('count', 2)).rejects.toThrow(/No job has been started/);
    await cluster.start(RESCALE_JOB, CONFIG);
    await cluster.advance(500);
    await expect(cluster.rescale('nope', 2)).rejects.toThrow(/'nope' is not in this job/);
    await expect(cluster.rescale('count', 0)).rejects.toThrow(/at least 1/);
    await expect(cluster.rescale('count', 129)).rejects.toThrow(/max parallelism 128/);
    await expect(cluster.rescale('out', 2)).rejects.toThrow(/collect sink/);
    await expect(cluster.rescale('count', 1)).rejects.toThrow(/already runs at parallelism 1/);
    const forward: JobGraph = { ...RESCALE_JOB, edges: RESCALE_JOB.edges.map((e) => (e.from === 'count' ? { ...e, partitioner: 'forward' } : e)) };
    const other = new LocalCluster({ clock: nodeClock });
    await other.start(forward, CONFIG);
    await other.advance(200);
    await expect(other.rescale('count', 3)).rejects.toThrow(/forward edge, which needs equal parallelism/);
    expect((await other.status()).state).toBe('paused');
    await other.stop();
    expect((await cluster.status()).state).toBe('paused');
    expect((await cluster.advance(200)).state).toBe('paused');
    await cluster.stop();
  });
});

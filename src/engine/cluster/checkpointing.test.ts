import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../runtime/types';
import type { JobGraph } from '../job/types';
import { BOUNDED_SEQUENCE_JOB, runFor } from './testing/jobs';

/** The bounded job, longer: about 8 virtual seconds. */
const LONGER: JobGraph = {
  ...BOUNDED_SEQUENCE_JOB,
  operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => (op.id === 'numbers' ? { ...op, config: { ...op.config, to: 24_000 } } : op)),
};

const key = (r: StreamRecord): string => JSON.stringify(r);
const sorted = (records: readonly StreamRecord[]): string[] => records.map(key).sort();

describe('checkpoints in the running cluster', () => {
  it('completes periodic checkpoints and commits collect sink output per checkpoint', async () => {
    const { cluster } = await runFor(BOUNDED_SEQUENCE_JOB, { stateBackend: 'memory', checkpointIntervalMs: 500, speed: 'max' }, 2_000);
    const report = await cluster.checkpoints();
    expect(report.enabled).toBe(true);
    expect(report.summary.completed).toBeGreaterThanOrEqual(2);
    expect(report.history.filter((c) => c.status === 'failed')).toEqual([]);
    const out = await cluster.output('out');
    expect(out.committedCount).toBeGreaterThan(0);
    const events = (await cluster.events()).map((e) => e.kind);
    expect(events).toContain('checkpoint-completed');
    await cluster.stop();
  });

  it('commits the same output as a run without checkpoints once the bounded job finishes', async () => {
    const base = await runFor(BOUNDED_SEQUENCE_JOB, { stateBackend: 'memory', checkpointIntervalMs: 0 }, 10_000);
    const withCp = await runFor(BOUNDED_SEQUENCE_JOB, { stateBackend: 'memory', checkpointIntervalMs: 300 }, 10_000);
    expect(base.status.state).toBe('finished');
    expect(withCp.status.state).toBe('finished');
    const a = await base.cluster.output('out');
    const b = await withCp.cluster.output('out');
    expect(b.committedCount).toBe(a.committedCount);
    expect(sorted(b.committed)).toEqual(sorted(a.committed));
  });

  it('recovers from kill-task and kill-taskmanager: the committed output is exactly once', async () => {
    const base = await runFor(LONGER, { stateBackend: 'memory', checkpointIntervalMs: 0 }, 30_000);
    for (const failover of ['full', 'region'] as const) {
      const { LocalCluster } = await import('./LocalCluster');
      const { nodeClock } = await import('./testing/nodeClock');
      const cluster = new LocalCluster({ clock: nodeClock });
      await cluster.start(LONGER, { stateBackend: 'memory', checkpointIntervalMs: 300, failover, restartDelayMs: 100, paused: true });
      await cluster.advance(1_250);
      await cluster.inject({ kind: 'kill-task', operator: 'sum', subtask: 1 });
      await cluster.advance(1_000);
      await cluster.inject({ kind: 'kill-taskmanager', taskManager: 1 });
      const status = await cluster.advance(30_000);
      expect(status.state).toBe('finished');
      const recoveries = await cluster.recoveries();
      expect(recoveries.length).toBe(2);
      const a = await base.cluster.output('out');
      const b = await cluster.output('out');
      expect(b.committedCount).toBe(a.committedCount);
      expect(sorted(b.committed)).toEqual(sorted(a.committed));
    }
  }, 60_000);
});

describe('restart strategy, determinism, regional checkpoints', () => {
  it('a user expression that throws: restarts, then fails the job with the whole cause chain once attempts run out', async () => {
    const job: JobGraph = {
      ...BOUNDED_SEQUENCE_JOB,
      operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => (op.id === 'double' ? { ...op, config: { field: 'value', expr: 'key - 1' } } : op)),
    };
    const { cluster, status } = await runFor(job, { stateBackend: 'memory', restartAttempts: 2, restartDelayMs: 100 }, 2_000);
    expect(status.state).toBe('failed');
    expect(status.failure?.code).toBe('job.restartsExhausted');
    expect(status.failure?.message).toMatch(/after 2 restarts/);
    expect(status.failure?.cause?.code).toBe('task.userFunction');
    expect(status.failure?.cause?.cause?.code).toMatch(/^expr\./);
    expect((await cluster.recoveries()).map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('kill-task with checkpoints: the same trace hash and committed output on 1, 2 and 4 TaskManagers, and between runs', async () => {
    const { LocalCluster } = await import('./LocalCluster');
    const { nodeClock } = await import('./testing/nodeClock');
    const results: { hash: string; committed: number }[] = [];
    for (const shape of [{ taskManagers: 1, slotsPerTaskManager: 4 }, { taskManagers: 2, slotsPerTaskManager: 2 }, { taskManagers: 4, slotsPerTaskManager: 1 }, { taskManagers: 2, slotsPerTaskManager: 2 }]) {
      const cluster = new LocalCluster({ clock: nodeClock });
      await cluster.start(LONGER, { ...shape, stateBackend: 'memory', checkpointIntervalMs: 400, restartDelayMs: 200, paused: true });
      await cluster.advance(900);
      await cluster.inject({ kind: 'kill-task', operator: 'sum', subtask: 3 });
      await cluster.advance(1_500);
      await cluster.inject({ kind: 'kill-task', operator: 'numbers', subtask: 0 });
      await cluster.advance(2_000);
      results.push({ hash: await cluster.traceHash(), committed: (await cluster.output('out')).committedCount });
      await cluster.stop();
    }
    expect(new Set(results.map((r) => r.hash)).size).toBe(1);
    expect(new Set(results.map((r) => r.committed)).size).toBe(1);
  }, 60_000);

  it('regional checkpoints: a region failing checkpoints (fail-checkpoint) does not fail them for the others', async () => {
    const { LocalCluster } = await import('./LocalCluster');
    const { nodeClock } = await import('./testing/nodeClock');
    const { galleryJob } = await import('./testing/jobs');
    const cluster = new LocalCluster({ clock: nodeClock });
    // Four independent forward pipelines: four regions.
    await cluster.start(galleryJob('parallel-pipeline'), {
      taskManagers: 2, slotsPerTaskManager: 2, stateBackend: 'memory', checkpointMode: 'regional', checkpointIntervalMs: 500,
      tolerableCheckpointFailures: 5, paused: true,
    });
    await cluster.advance(700);
    await cluster.inject({ kind: 'fail-checkpoint', region: 2 });
    await cluster.advance(500);
    await cluster.inject({ kind: 'fail-checkpoint', region: 2 });
    const status = await cluster.advance(800);
    expect(status.state).toBe('paused');
    const report = await cluster.checkpoints();
    const failedForRegion2 = report.history.filter((c) => c.regions.some((r) => r.region === 2 && r.status === 'failed'));
    expect(failedForRegion2.length).toBe(2);
    for (const c of failedForRegion2) {
      expect(c.status).toBe('completed');
      expect(c.regions.filter((r) => r.region !== 2).every((r) => r.status === 'acknowledged')).toBe(true);
      // Region 2 maps to its latest successful regional snapshot.
      expect(c.regions.find((r) => r.region === 2)?.snapshotId).toBeLessThan(c.id);
    }
    expect((await cluster.events()).some((e) => e.kind === 'checkpoint-region-failed')).toBe(true);
    await cluster.stop();

    // Global mode: the same fault fails the checkpoint as a whole.
    await cluster.start(galleryJob('parallel-pipeline'), {
      taskManagers: 2, slotsPerTaskManager: 2, stateBackend: 'memory', checkpointMode: 'global', checkpointIntervalMs: 500,
      tolerableCheckpointFailures: 5, paused: true,
    });
    await cluster.advance(700);
    await cluster.inject({ kind: 'fail-checkpoint', region: 2 });
    await cluster.advance(800);
    expect((await cluster.checkpoints()).history.some((c) => c.status === 'failed')).toBe(true);
    await cluster.stop();
  });
});

describe('telemetry of fault tolerance', () => {
  it('frames carry the checkpoint report and the recovery once it resumed; status says restarting meanwhile', async () => {
    const { LocalCluster } = await import('./LocalCluster');
    const { nodeClock } = await import('./testing/nodeClock');
    const cluster = new LocalCluster({ clock: nodeClock });
    const frames: import('../runtime/telemetry').TelemetryFrame[] = [];
    await cluster.subscribe((frame) => frames.push(frame));
    await cluster.start(LONGER, { stateBackend: 'memory', checkpointIntervalMs: 300, restartDelayMs: 500, paused: true });
    await cluster.advance(700);
    await cluster.inject({ kind: 'kill-task', operator: 'sum', subtask: 0 });
    const down = await cluster.advance(200);
    expect(down.state).toBe('restarting');
    expect((await cluster.metrics()).subtasks.filter((s) => s.state === 'restarting').length).toBeGreaterThan(0);
    await cluster.advance(1_000);
    await nodeClock.sleep(250);
    const withCheckpoints = frames.filter((f) => f.checkpoints !== undefined);
    expect(withCheckpoints.length).toBeGreaterThan(0);
    expect(withCheckpoints.at(-1)?.checkpoints?.summary.completed).toBeGreaterThan(0);
    const recoveries = frames.flatMap((f) => f.recoveries ?? []);
    expect(recoveries.some((r) => r.resumedMs !== undefined && r.restoredFrom.length > 0)).toBe(true);
    await cluster.stop();
  });
});

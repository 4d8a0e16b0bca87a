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

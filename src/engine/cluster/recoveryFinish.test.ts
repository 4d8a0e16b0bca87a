/**
 * Regression: after a `kill-taskmanager` recovery the bounded job used to stay paused with
 * out#0 running forever. The completion of checkpoint 5 (notify) and the trigger of
 * checkpoint 6 reached the collect sinks in the same tick, in that order: out#1 finished at the
 * notify, ignored the trigger, and checkpoint 6, which out#0 needed as its final checkpoint,
 * waited for out#1's ack until the timeout.
 */
import { describe, expect, it } from 'vitest';
import { BOUNDED_SEQUENCE_JOB } from './testing/jobs';
import { LocalCluster } from './LocalCluster';
import { nodeClock } from './testing/nodeClock';

async function committed(failover: 'region' | 'full', fault: 'kill-taskmanager' | 'none'): Promise<{ state: string; running: string[]; out: string[]; count: number }> {
  const cluster = new LocalCluster({ clock: nodeClock });
  await cluster.start(BOUNDED_SEQUENCE_JOB, { taskManagers: 2, slotsPerTaskManager: 2, seed: 3, paused: true, checkpointIntervalMs: 200, restartDelayMs: 100, failover });
  await cluster.advance(460);
  if (fault === 'kill-taskmanager') await cluster.inject({ kind: 'kill-taskmanager', taskManager: 1 });
  const status = await cluster.advance(20_000);
  const metrics = await cluster.metrics();
  const output = await cluster.output('out');
  await cluster.stop();
  return {
    state: status.state,
    running: metrics.subtasks.filter((s) => s.state !== 'finished').map((s) => `${s.operatorId}#${s.index}:${s.state}`),
    out: output.committed.map((r) => JSON.stringify(r)).sort(),
    count: output.committedCount,
  };
}

describe('a bounded job recovered from a lost TaskManager', () => {
  for (const failover of ['region', 'full'] as const) {
    it(`finishes after kill-taskmanager with ${failover} failover, committed output exactly once`, async () => {
      const expected = await committed(failover, 'none');
      expect(expected.state).toBe('finished');
      const recovered = await committed(failover, 'kill-taskmanager');
      expect(recovered.running).toEqual([]);
      expect(recovered.state).toBe('finished');
      expect(recovered.count).toBe(expected.count);
      expect(recovered.out).toEqual(expected.out);
    }, 60_000);
  }
});

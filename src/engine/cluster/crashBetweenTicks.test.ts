/**
 * A TaskManager that dies between ticks (a worker crash while the run is paused) is lost at the
 * next tick's start, like kill-taskmanager, and the failover strategy recovers it: the job goes
 * on and its committed output is exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { FailureInfo } from '../runtime/telemetry';
import { LocalCluster } from './LocalCluster';
import { InProcessTaskManagers, type TaskManagerHost } from './TaskManagerHost';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import { BASE_CONFIG, ORACLE_JOB, SINKS, compareOutputs, type SinkContents } from './testing/faultOracle';
import { nodeClock } from './testing/nodeClock';

/** In-process TaskManagers whose `crash(tm)` behaves like a worker dying while paused. */
function crashableHost(): { factory: () => TaskManagerHost; crash: (tm: number) => void } {
  let host: InProcessTaskManagers | undefined;
  let listener: (failure: FailureInfo) => void = () => undefined;
  const factory = (): TaskManagerHost => {
    const storage = createMemoryStateStorage();
    const inner = new InProcessTaskManagers({ createStateStorage: () => storage, releaseStateStorage: () => undefined });
    host = inner;
    // In-process TaskManagers never fail between ticks on their own: this host can.
    return Object.assign(Object.create(inner) as TaskManagerHost, {
      setFailureListener: (l: (failure: FailureInfo) => void): void => {
        listener = l;
      },
    });
  };
  const crash = (tm: number): void => {
    host?.lose(tm);
    listener({ code: 'taskmanager.lost', message: `TaskManager ${tm} crashed: boom.`, taskManager: tm });
  };
  return { factory, crash };
}

async function run(crashAtMs?: number): Promise<{ state: string; committed: SinkContents; events: string[] }> {
  const { factory, crash } = crashableHost();
  const cluster = new LocalCluster({ clock: nodeClock, taskManagers: factory });
  // 'idb': the host's shared storage stands in for the job's database, which outlives a worker.
  await cluster.start(ORACLE_JOB, { ...BASE_CONFIG, stateBackend: 'idb', checkpointMode: 'global', failover: 'region' });
  if (crashAtMs !== undefined) {
    await cluster.advance(crashAtMs);
    crash(1);
  }
  const status = await cluster.advance(60_000);
  const committed: SinkContents = {};
  for (const sink of SINKS) committed[sink] = (await cluster.output(sink)).committed.map((r) => JSON.stringify(r)).sort();
  const events = (await cluster.events()).map((e) => `${e.kind}: ${e.message}`);
  await cluster.stop();
  return { state: status.state, committed, events };
}

describe('a TaskManager lost between ticks', () => {
  it('is recovered by the failover strategy, exactly once', async () => {
    const baseline = await run();
    const crashed = await run(500);
    expect(crashed.state).toBe('finished');
    expect(crashed.events.some((e) => e.startsWith('taskmanager-lost: TaskManager 1 was lost between ticks (TaskManager 1 crashed: boom.)'))).toBe(true);
    expect(crashed.events.some((e) => e.startsWith('recovery-finished'))).toBe(true);
    expect(compareOutputs(baseline.committed, crashed.committed)).toEqual([]);
  });
});

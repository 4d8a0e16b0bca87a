/**
 * A region-sharable committer on worker TaskManagers (every message over a real
 * MessageChannel): with a pipeline task killed under region failover, the per-region sink
 * deltas and the committer's `rewind-region` cross the worker boundary and the run keeps the
 * in-process trace hash and output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobManagerCore } from '../engine/cluster/JobManagerCore';
import { LocalCluster } from '../engine/cluster/LocalCluster';
import { planRun } from '../engine/cluster/planRun';
import { galleryJob } from '../engine/cluster/testing/jobs';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import type { RunConfig } from '../engine/runtime/runConfig';
import type { Fault } from '../engine/runtime/telemetry';
import { channelWorkers } from './testing/channelWorkers';
import { WorkerTaskManagers } from './WorkerTaskManagers';

const JOB = galleryJob('shared-committer');
const CONFIG: Partial<RunConfig> = {
  taskManagers: 2, slotsPerTaskManager: 4, seed: 5, stateBackend: 'memory', checkpointIntervalMs: 300,
  checkpointMode: 'regional', failover: 'region', restartDelayMs: 200,
};
const KILL: Fault = { kind: 'kill-task', operator: 'tag_orders', subtask: 1 };
const KILL_AT_MS = 700;
const END_MS = 2_000;

const hosts: WorkerTaskManagers[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
});

async function inProcess() {
  const cluster = new LocalCluster({ clock: nodeClock });
  await cluster.start(JOB, { ...CONFIG, paused: true });
  await cluster.advance(KILL_AT_MS);
  await cluster.inject(KILL);
  await cluster.advance(END_MS - KILL_AT_MS);
  const result = { hash: await cluster.traceHash(), output: await cluster.output('commit'), recoveries: await cluster.recoveries() };
  await cluster.stop();
  return result;
}

async function onWorkers() {
  const plan = planRun(JOB, { ...CONFIG, paused: true });
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const host = new WorkerTaskManagers({ spawn: channelWorkers().spawn, progressCells: false });
  hosts.push(host);
  const jm = new JobManagerCore(plan);
  jm.onDeployed(await host.deploy(jm.deployMessages()));
  let injected = false;
  while (jm.outcome === 'running' && jm.nextTickEndMs <= END_MS) {
    if (!injected && jm.virtualTimeMs >= KILL_AT_MS) {
      expect(jm.inject(KILL)).toBeNull();
      injected = true;
    }
    const messages = jm.beginTick();
    if (messages === null) break;
    const result = await host.runTick(messages, jm.liveTaskManagers);
    if (!result.ok) throw new Error(result.failure.message);
    jm.completeTick(result.reports, result.lost);
  }
  return { hash: jm.traceHash(), output: jm.output('commit'), recoveries: jm.recoveries(), events: jm.eventsSince(0) };
}

describe('region-sharable committer on worker TaskManagers', () => {
  it('a pipeline kill restarts its region only, with the in-process trace and output', async () => {
    const expected = await inProcess();
    expect(expected.recoveries.map((r) => r.restarted.map((s) => `${s.operatorId}#${s.index}`))).toEqual([['orders#1', 'tag_orders#1']]);
    const run = await onWorkers();
    expect(run.recoveries).toEqual(expected.recoveries);
    expect(run.output).toEqual(expected.output);
    expect(run.hash).toBe(expected.hash);
    expect(run.events.some((e) => e.kind === 'committer-region-rewound' && /region 2 restarts/.test(e.message))).toBe(true);
  });
});

/**
 * The worker TaskManager host against the in-process cluster: same reports, same output, same
 * trace hash, with every message crossing a real MessageChannel (channelWorkers); and its
 * failure paths: tick deadline, crash, internal error, kill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobManagerCore } from '../engine/cluster/JobManagerCore';
import { LocalCluster } from '../engine/cluster/LocalCluster';
import { nodeClock } from '../engine/cluster/testing/nodeClock';
import { planRun } from '../engine/cluster/planRun';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { TaskManagerHost } from '../engine/cluster/TaskManagerHost';
import { BOUNDED_SEQUENCE_JOB, fitShape, galleryJob, galleryJobs, runFor } from '../engine/cluster/testing/jobs';
import type { JobGraph } from '../engine/job/types';
import type { StartTickMessage } from '../engine/runtime/protocol';
import type { RunConfig } from '../engine/runtime/runConfig';
import type { Fault, FailureInfo } from '../engine/runtime/telemetry';
import { channelWorkers, type ChannelWorkerFaults } from './testing/channelWorkers';
import { CRASH_GRACE_MS, WorkerTaskManagers } from './WorkerTaskManagers';

const hosts: TaskManagerHost[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
});

interface Drive {
  faults?: { atMs: number; fault: Fault }[];
  host?: WorkerTaskManagers;
}

/** LocalCluster's loop, reduced: deploy, then ticks until `ms` or the end, with a worker host. */
async function driveWithWorkers(job: JobGraph, config: Partial<RunConfig>, ms: number, options: Drive = {}) {
  const plan = planRun(job, { ...config, paused: true });
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const workers = channelWorkers();
  const host = options.host ?? new WorkerTaskManagers({ spawn: workers.spawn, progressCells: false });
  hosts.push(host);
  const jm = new JobManagerCore(plan);
  const outOfBand: FailureInfo[] = [];
  host.setFailureListener((failure) => outOfBand.push(failure));
  jm.onDeployed(await host.deploy(jm.deployMessages()));
  let live = jm.liveTaskManagers;
  const faults = [...(options.faults ?? [])];
  while (jm.outcome === 'running' && jm.nextTickEndMs <= ms) {
    while (faults.length > 0 && (faults[0]?.atMs ?? Infinity) <= jm.virtualTimeMs) {
      const problem = jm.inject((faults.shift() as { fault: Fault }).fault);
      if (problem !== null) throw new Error(problem);
    }
    const messages = jm.beginTick();
    for (const tm of live) if (!jm.liveTaskManagers.includes(tm)) host.lose(tm);
    live = jm.liveTaskManagers;
    if (messages === null) break;
    const result = await host.runTick(messages, live);
    if (!result.ok) {
      jm.onTaskManagerFailure(result.failure);
      break;
    }
    jm.completeTick(result.reports, result.lost);
    live = jm.liveTaskManagers;
  }
  if (jm.outcome !== 'running') host.cancel();
  const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
  return { jm, host, workers, outOfBand, hash: jm.traceHash(), outputs: sinks.map((id) => jm.output(id)) };
}

async function inProcess(job: JobGraph, config: Partial<RunConfig>, ms: number) {
  const { cluster, status } = await runFor(job, config, ms);
  const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
  return { status, hash: await cluster.traceHash(), outputs: await Promise.all(sinks.map((id) => cluster.output(id))) };
}

const SHAPES = [
  { taskManagers: 1, slotsPerTaskManager: 4 },
  { taskManagers: 2, slotsPerTaskManager: 2 },
  { taskManagers: 4, slotsPerTaskManager: 1 },
];

describe('WorkerTaskManagers', () => {
  it('a bounded job finishes with the in-process output and trace hash on 1, 2 and 4 worker TaskManagers', async () => {
    const expected = await inProcess(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 }, 20_000);
    expect(expected.status.state).toBe('finished');
    for (const shape of SHAPES) {
      const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...shape, seed: 3 }, 20_000);
      expect(run.jm.outcome, `${shape.taskManagers} TMs`).toBe('finished');
      expect(run.hash, `${shape.taskManagers} TMs`).toBe(expected.hash);
      expect(run.outputs).toEqual(expected.outputs);
    }
  });

  it('the clone encoding gives the same trace as the packed one', async () => {
    const expected = await inProcess(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 9 }, 3_000);
    const workers = channelWorkers();
    const host = new WorkerTaskManagers({ spawn: workers.spawn, encoding: 'clone', progressCells: false });
    const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 9 }, 3_000, { host });
    expect(run.hash).toBe(expected.hash);
  });

  it('an unbounded gallery job with event time keeps the in-process trace on 4 workers', async () => {
    const job = galleryJob('straggler-rebalance');
    const expected = await inProcess(job, { ...SHAPES[2], seed: 11 }, 1_500);
    const run = await driveWithWorkers(job, { ...SHAPES[2], seed: 11 }, 1_500);
    expect(run.hash).toBe(expected.hash);
    expect(run.outputs).toEqual(expected.outputs);
  });

  for (const { name, job } of galleryJobs()) {
    it(`gallery job ${name}: the in-process trace and output on 2 and 4 workers`, async () => {
      for (const shape of SHAPES.slice(1)) {
        const expected = await inProcess(job, { ...fitShape(job, shape), seed: 5 }, 800);
        const run = await driveWithWorkers(job, { ...fitShape(job, shape), seed: 5 }, 800);
        expect(run.hash, `${shape.taskManagers} TMs`).toBe(expected.hash);
        expect(run.outputs).toEqual(expected.outputs);
      }
    });
  }

  it('kill-taskmanager terminates that worker for real, starts a fresh one, and the job fails with taskmanager.lost', async () => {
    const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, restartAttempts: 0 }, 2_000, {
      faults: [{ atMs: 500, fault: { kind: 'kill-taskmanager', taskManager: 1 } }],
    });
    expect(run.jm.outcome).toBe('failed');
    expect(run.jm.failure?.code).toBe('taskmanager.lost');
    expect(run.jm.failure?.taskManager).toBe(1);
    const ofTm1 = run.workers.spawned.filter((w) => w.taskManager === 1);
    expect(ofTm1.length).toBe(2);
    expect(ofTm1[0]?.terminated).toBe(true);
    expect(ofTm1[1]?.terminated).toBe(false);
    expect(run.host.workerOf(1)).toBe(ofTm1[1]);
  });

  it('a TaskManager that stops answering misses the tick deadline: its worker is terminated, the tick completes without it, and with no restarts the failure names its subtasks', async () => {
    const workers = channelWorkers((tm, generation) => (tm === 1 && generation === 0 ? { hangAtTick: 20 } : {}) as ChannelWorkerFaults);
    const host = new WorkerTaskManagers({ spawn: workers.spawn, tickDeadlineMs: 150, progressCells: false });
    const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, restartAttempts: 0 }, 2_000, { host });
    expect(run.jm.outcome).toBe('failed');
    const failure = run.jm.failure as FailureInfo;
    expect(failure.code).toBe('taskmanager.tickDeadline');
    expect(failure.taskManager).toBe(1);
    expect(failure.message).toMatch(/tick 20 did not finish within 150 ms/);
    expect(failure.message).toMatch(/Double #/);
    expect(run.jm.virtualTimeMs).toBe(210);
    expect(workers.spawned.find((w) => w.taskManager === 1)?.terminated).toBe(true);
  });

  it('with a progress cell, a TaskManager waiting for a hung peer is not blamed', async () => {
    const workers = channelWorkers((tm, generation) => (tm === 2 && generation === 0 ? { hangAtTick: 5 } : {}));
    const host = new WorkerTaskManagers({ spawn: workers.spawn, tickDeadlineMs: 150, progressCells: true });
    const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 3, restartAttempts: 0 }, 2_000, { host });
    expect(run.jm.failure?.code).toBe('taskmanager.tickDeadline');
    expect(run.jm.failure?.taskManager).toBe(2);
  });

  it('a worker error during a tick loses that TaskManager with taskmanager.lost and the message; the tick completes with the others', async () => {
    const workers = channelWorkers();
    const host = new WorkerTaskManagers({ spawn: workers.spawn, progressCells: false });
    const plan = planRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 });
    if (!plan.ok) throw new Error('plan');
    hosts.push(host);
    const jm = new JobManagerCore(plan);
    jm.onDeployed(await host.deploy(jm.deployMessages()));
    const messages = jm.beginTick() ?? [];
    const result = host.runTick(messages, jm.liveTaskManagers);
    workers.spawned[0]?.crash('boom');
    const outcome = await result;
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.reports.map((r) => r.taskManager)).toEqual([1]);
      expect(outcome.lost?.map((f) => [f.code, f.taskManager])).toEqual([['taskmanager.lost', 0]]);
      expect(outcome.lost?.[0]?.message).toMatch(/crashed: boom \(taskmanager\.worker\.ts:1\)/);
    }
    expect(workers.spawned[0]?.terminated).toBe(true);
  });

  it('a worker error between ticks goes to the failure listener', async () => {
    const run = await driveWithWorkers(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 }, 100);
    run.workers.spawned[1]?.crash('while paused');
    // The host gives a crashed worker's last reports CRASH_GRACE_MS to arrive before it decides.
    await new Promise((resolve) => setTimeout(resolve, CRASH_GRACE_MS + 20));
    expect(run.outOfBand).toHaveLength(1);
    expect(run.outOfBand[0]?.code).toBe('taskmanager.lost');
    expect(run.outOfBand[0]?.taskManager).toBe(1);
  });

  it('a deploy that never answers fails with taskmanager.lost after the deploy deadline', async () => {
    const host = new WorkerTaskManagers({
      spawn: (tm) => {
        const worker = channelWorkers().spawn(tm);
        if (tm === 1) worker.postMessage = () => undefined;
        return worker;
      },
      deployDeadlineMs: 100, progressCells: false,
    });
    hosts.push(host);
    const plan = planRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 });
    if (!plan.ok) throw new Error('plan');
    const jm = new JobManagerCore(plan);
    const answers = await host.deploy(jm.deployMessages());
    expect(answers.map((a) => a.ok)).toEqual([true, false]);
    jm.onDeployed(answers);
    expect(jm.outcome).toBe('failed');
    expect(jm.failure?.message).toMatch(/TaskManager 1 was lost: it did not deploy within 100 ms/);
  });
});

describe('WorkerTaskManagers cancel', () => {
  it('cancel releases a tick in flight at once, whatever the workers do', async () => {
    const workers = channelWorkers((tm) => (tm === 1 ? { hangAtTick: 0 } : {}));
    const host = new WorkerTaskManagers({ spawn: workers.spawn, tickDeadlineMs: 60_000, progressCells: false });
    hosts.push(host);
    const plan = planRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 });
    if (!plan.ok) throw new Error('plan');
    const jm = new JobManagerCore(plan);
    jm.onDeployed(await host.deploy(jm.deployMessages()));
    const result = host.runTick(jm.beginTick() ?? [], jm.liveTaskManagers);
    host.cancel();
    const outcome = await result;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure.code).toBe('taskmanager.canceled');
  });
});

describe('WorkerTaskManagers internal errors', () => {
  it('an internal error a TaskManager reports fails the tick with taskmanager.error and replaces its worker', async () => {
    const workers = channelWorkers((tm, generation) => (tm === 1 && generation === 0 ? { hangAtTick: 0 } : {}));
    const host = new WorkerTaskManagers({ spawn: workers.spawn, progressCells: false });
    hosts.push(host);
    const plan = planRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3 });
    if (!plan.ok) throw new Error('plan');
    const jm = new JobManagerCore(plan);
    jm.onDeployed(await host.deploy(jm.deployMessages()));
    const messages = jm.beginTick() ?? [];
    const result = host.runTick(messages, jm.liveTaskManagers);
    // TaskManager 1 holds the tick up; TaskManager 0 gets a start-tick out of order.
    workers.spawned[0]?.postMessage({ type: 'start-ticks', starts: [{ ...(messages[0] as StartTickMessage), tick: 7 }], peers: [1] }, []);
    const outcome = await result;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failure.code).toBe('taskmanager.error');
      expect(outcome.failure.message).toMatch(/TaskManager 0 stopped on an internal error: tick 7 started/);
    }
    expect(workers.spawned[0]?.terminated).toBe(true);
    expect(host.workerOf(0)).toBe(workers.spawned.at(-1));
  });
});

describe('LocalCluster on worker TaskManagers (rounds of ticks)', () => {
  async function clusterRun(job: JobGraph, config: Partial<RunConfig>, ms: number, options: { faults?: (tm: number, generation: number) => ChannelWorkerFaults; ticksPerRound?: number; tickDeadlineMs?: number } = {}) {
    const workers = channelWorkers(options.faults);
    const cluster = new LocalCluster({
      clock: nodeClock,
      taskManagers: () => {
        const host = new WorkerTaskManagers({ spawn: workers.spawn, progressCells: false, ticksPerRound: options.ticksPerRound ?? 16, tickDeadlineMs: options.tickDeadlineMs ?? 5_000 });
        hosts.push(host);
        return host;
      },
    });
    const report = await cluster.start(job, { ...config, paused: true, speed: 'max' });
    if (!report.ok) throw new Error(JSON.stringify(report.errors));
    const status = await cluster.advance(ms);
    const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
    return { cluster, status, workers, hash: await cluster.traceHash(), outputs: await Promise.all(sinks.map((id) => cluster.output(id))) };
  }

  it('rounds keep the in-process output and trace hash, bounded and unbounded, on 1, 2 and 4 workers', async () => {
    for (const job of [BOUNDED_SEQUENCE_JOB, galleryJob('straggler-rebalance')]) {
      const ms = job === BOUNDED_SEQUENCE_JOB ? 20_000 : 1_500;
      const expected = await inProcess(job, { ...SHAPES[1], seed: 4 }, ms);
      for (const shape of SHAPES) {
        const run = await clusterRun(job, { ...shape, seed: 4 }, ms);
        expect(run.status, `${job.name}, ${shape.taskManagers} TMs`).toEqual(expected.status);
        expect(run.hash, `${job.name}, ${shape.taskManagers} TMs`).toBe(expected.hash);
        expect(run.outputs).toEqual(expected.outputs);
        await run.cluster.stop();
      }
    }
  });

  it('an advance that is not a whole number of rounds stops exactly at its target', async () => {
    const expected = await inProcess(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 4 }, 370);
    const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 4 }, 370, { ticksPerRound: 16 });
    expect(run.status.virtualTimeMs).toBe(370);
    expect(run.hash).toBe(expected.hash);
    await run.cluster.stop();
  });

  it('a tick that hangs in the middle of a round fails the run at that tick, as lockstep would', async () => {
    const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, restartAttempts: 0 }, 2_000, {
      faults: (tm, generation) => (tm === 1 && generation === 0 ? { hangAtTick: 21 } : {}), tickDeadlineMs: 150,
    });
    expect(run.status.state).toBe('failed');
    expect(run.status.failure?.code).toBe('taskmanager.tickDeadline');
    expect(run.status.virtualTimeMs).toBe(220);
    expect(run.status.failure?.message).toMatch(/tick 21 did not finish/);
  });

  it('kill-taskmanager with checkpoints: a fresh worker takes over, its subtasks restore from the shared state, output exactly once', async () => {
    const expected = await inProcess(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, checkpointIntervalMs: 0 }, 20_000);
    for (const failover of ['region', 'full'] as const) {
      const shared = createMemoryStateStorage();
      const config = { ...SHAPES[1], seed: 3, stateBackend: 'idb' as const, checkpointIntervalMs: 200, restartDelayMs: 100, failover };
      const run = await clusterRun(BOUNDED_SEQUENCE_JOB, config, 700, { faults: () => ({ sharedStorage: shared }) });
      await run.cluster.inject({ kind: 'kill-taskmanager', taskManager: 1 });
      await run.cluster.advance(300);
      await run.cluster.inject({ kind: 'kill-taskmanager', taskManager: 0 });
      const status = await run.cluster.advance(20_000);
      expect(status.state, failover).toBe('finished');
      expect(run.workers.spawned.filter((w) => w.terminated).map((w) => w.taskManager).sort()).toEqual([0, 1]);
      expect(run.workers.spawned.length).toBe(4);
      const recoveries = await run.cluster.recoveries();
      expect(recoveries.map((r) => r.strategy)).toEqual([failover, failover]);
      const out = await run.cluster.output('out');
      const sorted = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).sort();
      expect(out.committedCount).toBe(expected.outputs[0]?.committedCount);
      expect(sorted(out.committed)).toEqual(sorted(expected.outputs[0]?.committed ?? []));
      await run.cluster.stop();
    }
  });

  describe('a TaskManager that dies on its own mid-tick (crash) or hangs past the tick deadline', () => {
    const crashAt = (tick: number) => (tm: number, generation: number): ChannelWorkerFaults => (tm === 1 && generation === 0 ? { crashAtTick: tick } : {});
    const hangAt = (tick: number) => (tm: number, generation: number): ChannelWorkerFaults => (tm === 1 && generation === 0 ? { hangAtTick: tick } : {});
    const FAULTS = { crash: crashAt, hang: hangAt };
    // Wall ms: long enough that a healthy TaskManager on a loaded machine never misses it.
    const DEADLINE = { crash: 10_000, hang: 800 };
    const sorted = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).sort();

    for (const kind of ['crash', 'hang'] as const) {
      for (const failover of ['region', 'full'] as const) {
        it(`${kind} at tick 45, ${failover} failover: a fresh worker takes over, committed output exactly once`, async () => {
          const expected = await inProcess(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, checkpointIntervalMs: 0 }, 20_000);
          const shared = createMemoryStateStorage();
          const fault = FAULTS[kind](45);
          const config = { ...SHAPES[1], seed: 3, stateBackend: 'idb' as const, checkpointIntervalMs: 200, restartDelayMs: 100, failover };
          const run = await clusterRun(BOUNDED_SEQUENCE_JOB, config, 20_000, {
            faults: (tm, generation) => ({ ...fault(tm, generation), sharedStorage: shared }), tickDeadlineMs: DEADLINE[kind],
          });
          expect(run.status.state, JSON.stringify(run.status.failure)).toBe('finished');
          const recoveries = await run.cluster.recoveries();
          expect(recoveries.map((r) => [r.strategy, r.virtualTimeMs, r.cause.code])).toEqual([[failover, 460, kind === 'crash' ? 'taskmanager.lost' : 'taskmanager.tickDeadline']]);
          expect(run.workers.spawned.filter((w) => w.terminated).map((w) => w.taskManager)).toEqual([1]);
          const lost = (await run.cluster.events()).filter((e) => e.kind === 'taskmanager-lost');
          expect(lost.map((e) => [e.taskManager, e.virtualTimeMs])).toEqual([[1, 460]]);
          const out = await run.cluster.output('out');
          expect(out.committedCount).toBe(expected.outputs[0]?.committedCount);
          expect(sorted(out.committed)).toEqual(sorted(expected.outputs[0]?.committed ?? []));
          await run.cluster.stop();
        }, 30_000);
      }

      it(`${kind}: the trace does not depend on when the host noticed (same hash across runs and deadlines)`, async () => {
        const hashes = new Set<string>();
        for (const tickDeadlineMs of [DEADLINE[kind], 2 * DEADLINE[kind]]) {
          const shared = createMemoryStateStorage();
          const fault = FAULTS[kind](37);
          const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[2], seed: 8, stateBackend: 'idb', checkpointIntervalMs: 200, restartDelayMs: 100 }, 3_000, {
            faults: (tm, generation) => ({ ...fault(tm, generation), sharedStorage: shared }), tickDeadlineMs,
          });
          expect(run.status.state).not.toBe('failed');
          // Deadline messages name the deadline: compare what the run did, not what it said.
          const events = (await run.cluster.events()).map((e) => `${e.virtualTimeMs} ${e.kind} ${e.operatorId ?? ''}#${e.subtask ?? ''} ${e.taskManager ?? ''}`);
          hashes.add(JSON.stringify([events, await run.cluster.metrics().then((m) => m.subtasks.map((s) => [s.recordsIn, s.recordsOut]))]));
          await run.cluster.stop();
        }
        if (hashes.size !== 1) {
          const [a, b] = [...hashes].map((h) => JSON.parse(h) as [string[], unknown]);
          const diff = (a?.[0] ?? []).map((e, i) => (e === b?.[0][i] ? null : `${i}: ${e} | ${b?.[0][i]}`)).filter((x) => x !== null).slice(0, 6);
          console.log(`DIFF ${diff.join('\n')}`);
        }
        expect(hashes.size).toBe(1);
      }, 30_000);

      it(`${kind} with restartAttempts 0: the job fails with the TaskManager's failure as the cause`, async () => {
        const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, restartAttempts: 0, checkpointIntervalMs: 200 }, 2_000, {
          faults: FAULTS[kind](45), tickDeadlineMs: DEADLINE[kind],
        });
        expect(run.status.state).toBe('failed');
        expect(run.status.failure?.taskManager).toBe(1);
        if (kind === 'crash') {
          expect(run.status.failure?.code).toBe('taskmanager.lost');
          expect(run.status.failure?.message).toMatch(/TaskManager 1 was lost: its worker crashed: thrown at tick 45/);
        } else {
          expect(run.status.failure?.code).toBe('taskmanager.tickDeadline');
          expect(run.status.failure?.message).toMatch(/TaskManager 1 missed the tick deadline: tick 45 did not finish within 800 ms of wall time while running one of its subtasks/);
        }
        expect(run.status.virtualTimeMs).toBe(460);
      }, 30_000);
    }
  });

  it('kill-taskmanager on the memory backend: the worker took its state along, so the job fails saying to use idb', async () => {
    const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, stateBackend: 'memory', checkpointIntervalMs: 200 }, 500);
    await run.cluster.inject({ kind: 'kill-taskmanager', taskManager: 1 });
    const status = await run.cluster.advance(100);
    expect(status.state).toBe('failed');
    expect(status.failure?.code).toBe('state.memoryLost');
    expect(status.failure?.message).toMatch(/memory backend lost it.*'idb'/);
  });

  it('kill-taskmanager between advances terminates the worker and fails the run at the next tick', async () => {
    const run = await clusterRun(BOUNDED_SEQUENCE_JOB, { ...SHAPES[1], seed: 3, restartAttempts: 0 }, 300);
    await run.cluster.inject({ kind: 'kill-taskmanager', taskManager: 0 });
    const status = await run.cluster.advance(500);
    expect(status.state).toBe('failed');
    expect(status.failure?.code).toBe('taskmanager.lost');
    expect(status.virtualTimeMs).toBe(300);
    expect(run.workers.spawned.filter((w) => w.taskManager === 0).map((w) => w.terminated)).toEqual([true, false]);
  });

  it('looks keys up in worker TaskManagers, paused and running, with the in-process answer and metrics().state', async () => {
    const job = galleryJob('word-count');
    const expected = await runFor(job, { ...SHAPES[1], seed: 4 }, 1_000);
    const run = await clusterRun(job, { ...SHAPES[1], seed: 4 }, 1_000);
    const words = ['key-1', 'key-2', 'key-17'];
    for (const word of words) {
      const answer = await run.cluster.lookupState('count', word);
      expect(answer.entries.length, word).toBe(1);
      expect(answer).toEqual(await expected.cluster.lookupState('count', word));
    }
    const state = (await run.cluster.metrics()).state;
    expect(state?.operators[0]?.subtasks.map((s) => s.totalEntries)).toEqual((await expected.cluster.metrics()).state?.operators[0]?.subtasks.map((s) => s.totalEntries));
    // Running at max speed: lookups wait for a gap between rounds, and never disturb the trace.
    await run.cluster.resume();
    const answers = await Promise.all(words.map((word) => run.cluster.lookupState('count', word)));
    expect(answers.map((a) => a.key)).toEqual(words);
    await run.cluster.pause();
    await run.cluster.stop();
    await expect(run.cluster.lookupState('count', 'key-1')).rejects.toThrow(/run is stopped/);
  });

  it('scans keyed state in worker TaskManagers, paused and running, page for page as in process', async () => {
    const job = galleryJob('word-count');
    const expected = await runFor(job, { ...SHAPES[1], seed: 4 }, 1_000);
    const run = await clusterRun(job, { ...SHAPES[1], seed: 4 }, 1_000);
    const pages = async (cluster: LocalCluster): Promise<unknown[]> => {
      const rows: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<LocalCluster['scanState']>> = await cluster.scanState('count', { limit: 97, cursor, maxParallelism: 128 });
        rows.push(...page.rows);
        cursor = page.cursor;
      } while (cursor !== null);
      return rows;
    };
    const rows = await pages(run.cluster);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(await pages(expected.cluster));
    await run.cluster.resume();
    const page = await run.cluster.scanState('count', { limit: 10 });
    expect(page.rows.length).toBe(10);
    await run.cluster.pause();
    await run.cluster.stop();
  });
});

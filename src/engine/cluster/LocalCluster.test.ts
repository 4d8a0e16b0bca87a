/**
 * The control plane of LocalCluster (ClusterApi semantics): start refusals, pause / advance /
 * resume, faults and failures with their codes, channel selection, telemetry frames.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import type { TelemetryFrame } from '../runtime/telemetry';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import { LocalCluster } from './LocalCluster';
import { InProcessTaskManagers } from './TaskManagerHost';
import { nodeClock } from './testing/nodeClock';
import { BOUNDED_SEQUENCE_JOB, galleryJob, runFor } from './testing/jobs';

const WORD_COUNT = galleryJob('word-count');

describe('start', () => {
  it('refuses a job the cluster has too few slots for, saying what to do', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    const report = await cluster.start(WORD_COUNT, { taskManagers: 1, slotsPerTaskManager: 2 });
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.errors[0]).toMatchObject({ code: 'slots.notEnough', path: '$.slotsPerTaskManager' });
    expect(report.errors[0]?.message).toMatch(/needs 4 slots.*has 2/);
    expect((await cluster.status()).state).toBe('idle');
  });

  it('refuses an invalid job and an invalid config with every problem', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    const broken = { ...WORD_COUNT, edges: [...WORD_COUNT.edges, { from: 'out', to: 'nowhere', partitioner: 'forward' }] };
    const report = await cluster.start(broken as JobGraph, { seed: -1 });
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['$.seed']));
    expect(report.errors.length).toBeGreaterThan(1);
  });

  it('resolves paused at 0 with the resolved config', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    const report = await cluster.start(WORD_COUNT, { paused: true, seed: 9 });
    expect(report).toMatchObject({ ok: true, config: { seed: 9, tickMs: 10, costScale: 1 } });
    expect(await cluster.status()).toEqual({ state: 'paused', virtualTimeMs: 0 });
  });
});

describe('time control', () => {
  it('advance runs exactly the virtual time asked for, then pauses', async () => {
    const { cluster, status } = await runFor(WORD_COUNT, {}, 250);
    expect(status).toMatchObject({ state: 'paused', virtualTimeMs: 250 });
    expect((await cluster.metrics()).virtualTimeMs).toBe(250);
    expect(await cluster.advance(10)).toMatchObject({ state: 'paused', virtualTimeMs: 260 });
    await expect(cluster.advance(0)).rejects.toThrow(/positive/);
  });

  it('a pause cuts a long advance short at a tick boundary', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(WORD_COUNT, { paused: true });
    const advancing = cluster.advance(1e8);
    await nodeClock.sleep(40);
    const paused = await cluster.pause();
    const advanced = await advancing;
    expect(paused.state).toBe('paused');
    expect(advanced.virtualTimeMs).toBe(paused.virtualTimeMs);
    expect(paused.virtualTimeMs).toBeLessThan(1e8);
    expect(paused.virtualTimeMs % 10).toBe(0);
    expect((await cluster.metrics()).virtualTimeMs).toBe(paused.virtualTimeMs);
  });

  it('runs at max speed after resume and pauses on request', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(WORD_COUNT, { speed: 'max' });
    await nodeClock.sleep(50);
    const paused = await cluster.pause();
    expect(paused.state).toBe('paused');
    expect(paused.virtualTimeMs).toBeGreaterThan(0);
    const later = await cluster.status();
    expect(later.virtualTimeMs).toBe(paused.virtualTimeMs);
    expect((await cluster.resume()).state).toBe('running');
    expect((await cluster.stop()).state).toBe('stopped');
  });

  it('runs at a speed factor, about as fast as asked', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(WORD_COUNT, { speed: 1 });
    const wallStart = nodeClock.now();
    await nodeClock.sleep(300);
    const status = await cluster.pause();
    const wall = nodeClock.now() - wallStart;
    expect(status.virtualTimeMs).toBeGreaterThan(0);
    expect(status.virtualTimeMs).toBeLessThanOrEqual(wall + 20);
    await cluster.stop();
  });
});

describe('failures', () => {
  it('kill-task fails the job with the task as the cause', async () => {
    const { cluster } = await runFor(WORD_COUNT, { taskManagers: 2, slotsPerTaskManager: 2, restartAttempts: 0 }, 100);
    await cluster.inject({ kind: 'kill-task', operator: 'count', subtask: 2 });
    const status = await cluster.advance(100);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'task.killed', operatorId: 'count', subtask: 2, taskManager: 0, cause: { code: 'fault.injected' } });
    const kinds = (await cluster.events()).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['fault-injected', 'task-failed', 'run-failed']));
    const metrics = await cluster.metrics();
    expect(metrics.subtasks.find((s) => s.operatorId === 'count' && s.index === 2)?.state).toBe('failed');
    expect(metrics.subtasks.find((s) => s.operatorId === 'words')?.state).toBe('canceled');
  });

  it('kill-taskmanager loses the TaskManager and fails the job with taskmanager.lost', async () => {
    const { cluster } = await runFor(WORD_COUNT, { taskManagers: 2, slotsPerTaskManager: 2, restartAttempts: 0 }, 100);
    await cluster.inject({ kind: 'kill-taskmanager', taskManager: 1 });
    const status = await cluster.advance(50);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'taskmanager.lost', taskManager: 1 });
    // Slots are spread evenly: TaskManager 1 of 2 hosts the odd subtasks.
    expect(status.failure?.message).toMatch(/count#1, count#3/);
    const metrics = await cluster.metrics();
    expect(metrics.taskManagers.map((tm) => tm.alive)).toEqual([true, false]);
    await expect(cluster.inject({ kind: 'kill-task', operator: 'count', subtask: 0 })).rejects.toThrow(/failed/);
  });

  it('losing a TaskManager that hosts nothing does not fail the job', async () => {
    // Word count needs 4 shared slots; with 5 one-slot TaskManagers the fifth hosts nothing.
    const { cluster } = await runFor(WORD_COUNT, { taskManagers: 5, slotsPerTaskManager: 1 }, 100);
    await cluster.inject({ kind: 'kill-taskmanager', taskManager: 4 });
    expect((await cluster.advance(100)).state).toBe('paused');
  });

  it('a user function that throws fails its task with operator, subtask and message', async () => {
    const job: JobGraph = {
      ...BOUNDED_SEQUENCE_JOB,
      operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => (op.id === 'double' ? { ...op, config: { field: 'value', expr: 'key - 1' } } : op)),
    };
    const { status } = await runFor(job, { restartAttempts: 0 }, 200);
    expect(status.state).toBe('failed');
    expect(status.failure?.code).toBe('task.userFunction');
    expect(status.failure?.operatorId).toBe('double');
    expect(status.failure?.subtask).toBe(0);
    expect(status.failure?.message).toMatch(/Double/);
    expect(status.failure?.cause?.code).toMatch(/^expr\./);
  });

  it('refuses faults it cannot apply, naming what exists', async () => {
    const { cluster } = await runFor(WORD_COUNT, {}, 10);
    await expect(cluster.inject({ kind: 'kill-task', operator: 'count', subtask: 9 })).rejects.toThrow(/0 to 3/);
    await expect(cluster.inject({ kind: 'kill-task', operator: 'nope', subtask: 0 })).rejects.toThrow(/does not exist/);
    await expect(cluster.inject({ kind: 'slow-task', operator: 'count', subtask: 0, factor: 0 })).rejects.toThrow(/factor/);
    await expect(cluster.inject({ kind: 'fail-checkpoint', region: 99 })).rejects.toThrow(/Region 99 does not exist/);
    await cluster.inject({ kind: 'kill-jobmanager' });
    await expect(cluster.inject({ kind: 'kill-jobmanager' })).rejects.toThrow(/already on its way/);
    await expect(cluster.output('words')).rejects.toThrow(/collect sinks: out/);
  });
});

describe('telemetry', () => {
  it('pushes frames with status, metrics, new events and sink output, at most 10 per second', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    const frames: TelemetryFrame[] = [];
    const started = nodeClock.now();
    await cluster.subscribe((frame) => frames.push(frame));
    await cluster.start(WORD_COUNT, { speed: 'max' });
    await nodeClock.sleep(450);
    await cluster.stop();
    await nodeClock.sleep(120);
    const elapsed = nodeClock.now() - started;
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    const last = frames.at(-1) as TelemetryFrame;
    expect(last.status.state).toBe('stopped');
    expect(frames.flatMap((f) => f.events).some((e) => e.kind === 'run-started')).toBe(true);
    const withOutput = frames.find((f) => (f.outputs.out?.pendingCount ?? 0) > 0);
    expect(withOutput?.outputs.out?.pending.length).toBeLessThanOrEqual(50);
    expect(withOutput?.metrics.subtasks.length).toBe(10);
  });
});

describe('TaskManager hosts', () => {
  it('a TaskManager that dies during a tick fails the run with its failure, and the host is cancelled', async () => {
    let cancelled = 0;
    let ticks = 0;
    const cluster = new LocalCluster({
      clock: nodeClock,
      taskManagers: () => {
        const inner = new InProcessTaskManagers(() => createMemoryStateStorage());
        return {
          deploy: (messages) => inner.deploy(messages),
          runTick: (messages, live) => (++ticks === 5
            ? { ok: false, failure: { code: 'taskmanager.tickDeadline', message: 'TaskManager 1 missed its tick deadline in Count per word #2.', taskManager: 1 } }
            : inner.runTick(messages, live)),
          lose: (tm) => inner.lose(tm),
          cancel: () => { cancelled++; inner.cancel(); },
          dispose: () => inner.dispose(),
          setFailureListener: () => undefined,
        };
      },
    });
    await cluster.start(WORD_COUNT, { paused: true, taskManagers: 2, slotsPerTaskManager: 2, restartAttempts: 0 });
    const status = await cluster.advance(100);
    expect(status).toMatchObject({ state: 'failed', virtualTimeMs: 40, failure: { code: 'taskmanager.tickDeadline', taskManager: 1 } });
    expect(cancelled).toBe(1);
    expect((await cluster.metrics()).taskManagers.map((tm) => tm.alive)).toEqual([true, false]);
  });
});

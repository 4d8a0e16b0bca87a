/**
 * The browser's whole failover path in one Node thread: ClusterWorkers (the main thread's owner
 * of a run's workers) with in-thread stand-ins for the three worker scripts — the JobManager
 * (bootJobManager behind comlink, as jobmanager.worker.ts), the TaskManagers (a
 * TaskManagerEndpoint switching JobManager links, as taskmanager.worker.ts) and the
 * coordination store. Every message crosses a real MessageChannel, so ports are transferred
 * exactly as between workers. A kill-jobmanager terminates the first JobManager; the successor
 * adopts the same TaskManagers; the UI's comlink proxy keeps working.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskManagerCore } from '../../engine/cluster/TaskManagerCore';
import { nodeClock } from '../../engine/cluster/testing/nodeClock';
import { BASE_CONFIG, ORACLE_JOB } from '../../engine/cluster/testing/faultOracle';
import { MemoryCoordinationStore } from '../../engine/ha/MemoryHaStore';
import { createMemoryStateStorage } from '../../engine/state/memory/MemoryStateStorage';
import type { ClusterApi } from '../clusterApi';
import { bootJobManager } from '../ha/bootJobManager';
import type { JobManagerInit, JobManagerToMain } from '../ha/controlMessages';
import type { HostToTaskManager, JobManagerLink, TaskManagerToHost } from '../taskmanager/messages';
import { TaskManagerEndpoint } from '../taskmanager/TaskManagerEndpoint';
import { ClusterWorkers, type ClusterWorkerFactories, type TakeoverReport } from './ClusterWorkers';

/** A Worker stand-in: `inside` is the worker's scope, the rest is the Worker object. */
class FakeWorker {
  terminated = false;
  private readonly channel = new MessageChannel();
  readonly inside = this.channel.port2;

  constructor(readonly kind: string) {}

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.channel.port1.postMessage(message, transfer);
  }

  private readonly errorListeners: ((event: Event) => void)[] = [];

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (type === 'error') this.errorListeners.push(listener as unknown as (event: Event) => void);
    if (type !== 'message') return;
    this.channel.port1.addEventListener('message', listener);
    this.channel.port1.start();
  }

  /** An uncaught error in the worker, as its owner hears it. */
  crash(message: string): void {
    const event = Object.assign(new Event('error', { cancelable: true }), { message, filename: 'taskmanager.worker.ts', lineno: 7 });
    for (const listener of this.errorListeners) listener(event);
  }

  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
  }
}

function jobManagerScript(worker: FakeWorker, factory: IDBFactory): void {
  worker.inside.onmessage = (event: MessageEvent<JobManagerInit>) => {
    const init = event.data;
    worker.inside.onmessage = null;
    const booted = bootJobManager(init, { indexedDB: factory, clock: nodeClock });
    Comlink.expose(booted.leader.api, worker.inside);
    void booted.ready.then((adopted) => init.control.postMessage({ type: 'ready', ...(adopted === undefined ? {} : { adopted }) } satisfies JobManagerToMain));
  };
}

function taskManagerScript(worker: FakeWorker): void {
  let link: MessagePort | null = null;
  const endpoint = new TaskManagerEndpoint(
    (message: TaskManagerToHost, transfer: Transferable[]) => link?.postMessage(message, transfer),
    (subtaskStarting) => new TaskManagerCore({ createStateStorage: () => createMemoryStateStorage(), subtaskStarting }),
  );
  worker.inside.onmessage = (event: MessageEvent<JobManagerLink>) => {
    link?.close();
    link = event.data.port;
    link.onmessage = (linked: MessageEvent<HostToTaskManager>) => endpoint.handle(linked.data);
  };
}

function coordinationScript(worker: FakeWorker): void {
  const store = new MemoryCoordinationStore();
  const api = {
    put: (k: string, v: unknown, e: number) => store.put(k, v, e), get: (k: string) => store.get(k),
    claimEpoch: (c: string, a: number) => store.claimEpoch(c, a), epoch: () => store.epoch(), leader: () => store.leader(),
    expire: (l: string) => store.expire(l), setAvailable: (up: boolean) => store.setAvailable(up), available: () => store.available,
  };
  worker.inside.onmessage = (event: MessageEvent<{ port: MessagePort }>) => Comlink.expose(api, event.data.port);
}

const running: ClusterWorkers[] = [];
afterEach(() => {
  for (const workers of running.splice(0)) workers.terminate();
});

function inThread() {
  const factory = new IDBFactory();
  const spawned: FakeWorker[] = [];
  const make = (kind: string, script: (w: FakeWorker) => void): Worker => {
    const worker = new FakeWorker(kind);
    script(worker);
    spawned.push(worker);
    return worker as unknown as Worker;
  };
  const factories: ClusterWorkerFactories = {
    jobManager: () => make('jobmanager', (w) => jobManagerScript(w, factory)),
    taskManager: () => make('taskmanager', taskManagerScript),
    coordination: () => make('coordination', coordinationScript),
  };
  const workers = new ClusterWorkers(factories);
  running.push(workers);
  return { workers, spawned, api: Comlink.wrap<ClusterApi>(workers as unknown as Comlink.Endpoint) };
}

describe('ClusterWorkers: a JobManager failover with main-thread TaskManagers, in one thread', () => {
  it('terminates the dead leader, and its successor adopts the same TaskManagers: no restart, the job finishes', async () => {
    const { workers, spawned, api } = inThread();
    const takeovers: TakeoverReport[] = [];
    workers.setFailoverListener({ lost: () => undefined, tookOver: (t) => takeovers.push(t) });
    const started = await api.start(ORACLE_JOB, { ...BASE_CONFIG, stateBackend: 'memory' });
    expect(started.ok).toBe(true);
    await api.advance(400);
    const attempts = (await api.metrics()).subtasks.map((s) => s.attempt);
    await api.inject({ kind: 'coordination-store-down' });
    await api.inject({ kind: 'kill-jobmanager' });
    // The kill lands during this advance; the dead leader never answers it (the UI's session
    // hands such calls to the successor), and the successor runs on to its end (continueAdvance).
    void api.advance(100);
    await expect.poll(() => takeovers.length, { timeout: 5_000 }).toBe(1);
    expect(await api.continueAdvance()).toMatchObject({ state: 'paused', virtualTimeMs: 500 });

    const jobManagers = spawned.filter((w) => w.kind === 'jobmanager');
    expect(jobManagers.map((w) => w.terminated)).toEqual([true, false]);
    expect(spawned.filter((w) => w.kind === 'taskmanager').map((w) => w.terminated)).toEqual([false, false]);
    expect(takeovers[0]).toMatchObject({ generation: 2, report: { ok: true } });
    const ha = await api.haStatus();
    expect(ha).toMatchObject({ leader: 'jobmanager-2', epoch: 2, coordinationUp: false });
    expect(ha.leaderChanges.at(-1)).toMatchObject({ recoveredFrom: 'file' });
    expect((await api.metrics()).subtasks.map((s) => s.attempt)).toEqual(attempts);

    expect((await api.advance(10_000)).state).toBe('finished');
    expect(await api.recoveries()).toEqual([]);
    expect(workers.taskManagerCount).toBe(2);
  }, 30_000);

  it('forwards a TaskManager worker\'s error to the JobManager, which replaces that worker through the main thread and names the crash', async () => {
    const { workers, spawned, api } = inThread();
    await api.start(ORACLE_JOB, { ...BASE_CONFIG, stateBackend: 'memory' });
    await api.advance(300);
    const victim = spawned.filter((w) => w.kind === 'taskmanager')[1] as FakeWorker;
    victim.crash('boom');
    await expect.poll(() => victim.terminated).toBe(true);
    // Its memory-backend state died with it, so the job fails — naming the crash the main thread forwarded.
    const end = await api.advance(1_000);
    expect(end).toMatchObject({ state: 'failed', failure: { code: 'state.memoryLost', cause: { code: 'taskmanager.lost', taskManager: 1 } } });
    expect(JSON.stringify(end.failure)).toContain('its worker crashed: boom (taskmanager.worker.ts:7)');
    expect(spawned.filter((w) => w.kind === 'taskmanager' && !w.terminated)).toHaveLength(2);
    expect(workers.taskManagerCount).toBe(2);
  }, 30_000);
});

// The run slice against a scripted JobManager double over a real comlink channel: starting,
// telemetry, stepping, read-only editing, crashes and stopping.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import type { RunConfig } from '../../engine/runtime/runConfig';
import type { Fault, MetricsSnapshot, RunStatus, TelemetryFrame } from '../../engine/runtime/telemetry';
import type { StartReport } from '../../workers/clusterApi';
import { channelWorker, type ChannelWorker } from '../run/testing/channelWorker';
import { createAppStore } from './appStore';

const job = (): JobGraph => ({
  sluice: 'job/1',
  name: 'Tiny',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 1 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [{ from: 'src', to: 'out', partitioner: 'forward' }],
});

const metrics = (t: number, records: number): MetricsSnapshot => ({
  virtualTimeMs: t,
  operators: [
    { operatorId: 'src', recordsIn: 0, recordsOut: records, recordsInPerSecond: 0, recordsOutPerSecond: 100, backPressuredMsPerSecond: 0 },
    { operatorId: 'out', recordsIn: records, recordsOut: 0, recordsInPerSecond: 100, recordsOutPerSecond: 0, backPressuredMsPerSecond: 0 },
  ],
  subtasks: [],
  channels: [],
  taskManagers: [],
});

/** A scripted JobManager: virtual time moves only by `advance`, frames are pushed by the test. */
class ScriptedJobManager {
  time = 0;
  state: RunStatus['state'] = 'idle';
  started: { job: JobGraph; config: Partial<RunConfig> | undefined }[] = [];
  faults: Fault[] = [];
  refuse: StartReport | null = null;
  onFrame: ((f: TelemetryFrame) => void) | null = null;

  status = async (): Promise<RunStatus> => ({ state: this.state, virtualTimeMs: this.time });
  start = async (j: JobGraph, config?: Partial<RunConfig>): Promise<StartReport> => {
    if (this.refuse) return this.refuse;
    this.started.push({ job: j, config });
    this.state = config?.paused ? 'paused' : 'running';
    return { ok: true, config: config as RunConfig };
  };
  pause = async () => {
    this.state = 'paused';
    return this.status();
  };
  resume = async () => {
    this.state = 'running';
    return this.status();
  };
  advance = async (ms: number) => {
    this.time += ms;
    this.state = 'paused';
    return this.status();
  };
  stop = async () => {
    this.state = 'stopped';
    return this.status();
  };
  metrics = async () => metrics(this.time, this.time);
  output = async () => ({ committed: [{ key: 'a', value: 1 }], pending: [], committedCount: 1, pendingCount: 0 });
  inject = async (fault: Fault) => {
    if (fault.kind === 'kill-task' && fault.operator === 'nope') throw new Error('No operator "nope".');
    this.faults.push(fault);
  };
  subscribe = async (onFrame: (f: TelemetryFrame) => void) => {
    this.onFrame = onFrame;
  };
  async push(frame: TelemetryFrame): Promise<void> {
    await (this.onFrame as unknown as (f: TelemetryFrame) => Promise<void>)(frame);
  }
}

const workers: ChannelWorker[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) w.close();
});

function setup() {
  const jobManagers: ScriptedJobManager[] = [];
  const fakes: ChannelWorker[] = [];
  const store = createAppStore({
    workerFactory: () => {
      const jm = new ScriptedJobManager();
      jobManagers.push(jm);
      const fake = channelWorker(jm);
      fakes.push(fake);
      workers.push(fake);
      return fake.worker;
    },
  });
  store.getState().openJob(job());
  return { store, jobManagers, fakes, jm: () => jobManagers.at(-1) as ScriptedJobManager };
}

describe('run slice', () => {
  it('refuses to start an invalid job or configuration without starting a worker', async () => {
    const { store, jobManagers } = setup();
    const bad = await store.getState().startRun({ seed: -1 });
    expect(bad.ok).toBe(false);
    store.getState().openJob({ ...job(), edges: [] });
    const invalid = await store.getState().startRun();
    expect(invalid).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: expect.stringMatching(/^\$/) })] });
    expect(jobManagers).toHaveLength(0);
    expect(store.getState().runActive).toBe(false);
  });

  it('starts the open job, enters run mode and applies telemetry frames', async () => {
    const { store, jm } = setup();
    const report = await store.getState().startRun({ seed: 7, paused: true });
    expect(report.ok).toBe(true);
    expect(jm().started[0]?.config).toMatchObject({ seed: 7, paused: true, taskManagers: 2 });
    const s = store.getState();
    expect(s.runActive).toBe(true);
    expect(s.runStatus).toEqual({ state: 'paused', virtualTimeMs: 0 });
    expect(s.runConfig.seed).toBe(7);

    await jm().push({
      status: { state: 'running', virtualTimeMs: 500 },
      metrics: metrics(500, 50),
      events: [{ virtualTimeMs: 0, kind: 'run-started', message: 'Started.' }],
      outputs: { out: { committed: [], pending: [{ key: 'k', value: 2 }], committedCount: 0, pendingCount: 1 } },
    });
    const after = store.getState();
    expect(after.runStatus.virtualTimeMs).toBe(500);
    expect(after.runIndex?.operators.get('out')?.recordsIn).toBe(50);
    expect(after.runLog.events.map((e) => e.kind)).toEqual(['run-started']);
    expect(after.runOutputs.out?.pendingCount).toBe(1);
    // The visualisation's share: a timeline sample, no checkpoints or recoveries yet.
    expect(after.runTimeline?.samples.toArray().map((x) => x.t)).toEqual([500]);
    expect(after.runTimelineVersion).toBe(1);
    expect(after.runCheckpoints).toBeNull();
    after.focusRun({ kind: 'checkpoint', id: 3 });
    expect(store.getState().runDockTab).toBe('checkpoints');
  });

  it('keeps the job read-only while running', async () => {
    const { store } = setup();
    await store.getState().startRun();
    const before = store.getState().job;
    store.getState().commit({ ...before, name: 'Edited' });
    store.getState().undo();
    expect(store.getState().job).toBe(before);
    store.getState().editRunConfig({ seed: 99 });
    expect(store.getState().runConfig.seed).toBe(1);
  });

  it('advances exactly the asked virtual time and refreshes the figures', async () => {
    const { store } = setup();
    await store.getState().startRun({ paused: true });
    const status = await store.getState().advanceRun(100);
    expect(status).toEqual({ state: 'paused', virtualTimeMs: 100 });
    await store.getState().advanceRun(100);
    const s = store.getState();
    expect(s.runStatus.virtualTimeMs).toBe(200);
    expect(s.runMetrics?.virtualTimeMs).toBe(200);
    expect(s.runOutputs.out?.committedCount).toBe(1);
    await expect(store.getState().advanceRun(0)).rejects.toThrow(/positive/);
  });

  it('shows a worker crash as a failed run with its message, and Stop returns to design mode', async () => {
    const { store, fakes } = setup();
    await store.getState().startRun();
    fakes[0]?.crash('TypeError: x is undefined');
    const s = store.getState();
    expect(s.runStatus.state).toBe('failed');
    expect(s.runStatus.failure?.message).toMatch(/crashed: TypeError: x is undefined/);
    expect(s.runActive).toBe(true);
    await expect(s.pauseRun()).rejects.toThrow(/crashed/);
    await store.getState().stopRun();
    expect(store.getState()).toMatchObject({ runActive: false, runStatus: { state: 'idle' } });
    expect(fakes[0]?.terminated()).toBe(true);
  });

  it('returns to design mode when the JobManager refuses the start', async () => {
    const { store, jobManagers, fakes } = setup();
    const pending = store.getState().startRun();
    const refusal: StartReport = { ok: false, errors: [{ path: '$.taskManagers', message: 'Too many.' }] };
    (jobManagers[0] as ScriptedJobManager).refuse = refusal;
    expect(await pending).toEqual(refusal);
    expect(store.getState().runActive).toBe(false);
    expect(fakes[0]?.terminated()).toBe(true);
  });

  it('passes faults, reports a refused one to the caller only, and a new run replaces the old', async () => {
    const { store, jobManagers, fakes } = setup();
    await store.getState().startRun();
    await store.getState().injectFault({ kind: 'slow-task', operator: 'src', subtask: 0, factor: 4 });
    expect(jobManagers[0]?.faults).toEqual([{ kind: 'slow-task', operator: 'src', subtask: 0, factor: 4 }]);
    await expect(store.getState().injectFault({ kind: 'kill-task', operator: 'nope', subtask: 0 })).rejects.toThrow('No operator "nope".');
    expect(store.getState().runStatus.state).toBe('running');
    expect(store.getState().runFaults.map((f) => [f.label, f.outcome, f.message])).toEqual([
      ['Slow Source #0 down ×4', 'applied', undefined],
      ['Kill nope #0', 'refused', 'No operator "nope".'],
    ]);
    await store.getState().stopRun();
    await store.getState().startRun();
    await store.getState().startRun();
    expect(fakes.map((f) => f.terminated())).toEqual([true, true, false]);
    await expect(store.getState().queryRun('status', (api) => api.status())).resolves.toMatchObject({ state: 'running' });
  });

  it('says clearly that there is no run', async () => {
    const { store } = setup();
    await expect(store.getState().pauseRun()).rejects.toThrow(/No run is active/);
    await expect(store.getState().queryRun('metrics', (api) => api.metrics())).rejects.toThrow(/No run is active/);
  });
});

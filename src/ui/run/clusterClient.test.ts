// The session over a real comlink channel (a MessageChannel standing in for the worker):
// calls and telemetry pass through; crashes, rejections and silence become one clear failure.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryFrame } from '../../engine/runtime/telemetry';
import type { ClusterApi } from '../../workers/clusterApi';
import { ClusterSession, type SessionHandlers } from './clusterClient';
import { channelWorker, type ChannelWorker } from './testing/channelWorker';

type FakeApi = Partial<ClusterApi> & Record<string, unknown>;

interface Harness {
  session: ClusterSession;
  handlers: SessionHandlers & { frames: TelemetryFrame[]; fatal: string[] };
  crash(message?: string): void;
  terminated: () => boolean;
}

const open: ChannelWorker[] = [];

afterEach(() => {
  for (const w of open.splice(0)) w.close();
  vi.useRealTimers();
});

function harness(api: FakeApi): Harness {
  const fake = channelWorker(api);
  open.push(fake);
  const frames: TelemetryFrame[] = [];
  const fatal: string[] = [];
  const handlers = { frames, fatal, onFrame: (f: TelemetryFrame) => frames.push(f), onFatal: (m: string) => fatal.push(m) };
  const session = new ClusterSession(handlers, () => fake.worker);
  return { session, handlers, crash: fake.crash, terminated: fake.terminated };
}

const frame = (t: number): TelemetryFrame => ({
  status: { state: 'running', virtualTimeMs: t },
  metrics: { virtualTimeMs: t, operators: [], subtasks: [], channels: [], taskManagers: [] },
  events: [],
  outputs: {},
});

describe('ClusterSession', () => {
  it('forwards calls and streams telemetry through a proxied callback', async () => {
    let push: ((f: TelemetryFrame) => void) | null = null;
    const h = harness({
      status: async () => ({ state: 'paused', virtualTimeMs: 40 }),
      subscribe: async (onFrame: (f: TelemetryFrame) => void) => {
        push = onFrame;
      },
    });
    await expect(h.session.call('read the status', (api) => api.status())).resolves.toEqual({ state: 'paused', virtualTimeMs: 40 });
    await h.session.subscribe();
    await (push as unknown as (f: TelemetryFrame) => Promise<void>)(frame(10));
    await (push as unknown as (f: TelemetryFrame) => Promise<void>)(frame(20));
    expect(h.handlers.frames.map((f) => f.status.virtualTimeMs)).toEqual([10, 20]);
  });

  it('turns a worker crash into one failure and rejects what was pending', async () => {
    const h = harness({ advance: () => new Promise(() => undefined) });
    const pending = h.session.call('advance', (api) => api.advance(100), { timeoutMs: 0 });
    h.crash('ReferenceError: tick is not defined');
    await expect(pending).rejects.toThrow(/crashed: ReferenceError: tick is not defined/);
    expect(h.handlers.fatal).toEqual([expect.stringMatching(/JobManager worker crashed/)]);
    expect(h.terminated()).toBe(true);
    expect(h.session.alive).toBe(false);
    await expect(h.session.call('pause', (api) => api.pause())).rejects.toThrow(/crashed/);
    h.crash('again');
    expect(h.handlers.fatal).toHaveLength(1);
  });

  it('says so when the worker script cannot load (an error event without a message)', async () => {
    const h = harness({});
    h.crash();
    expect(h.handlers.fatal[0]).toMatch(/could not be started/);
  });

  it('fails the session when a control call rejects, but not when a query does', async () => {
    const h = harness({
      output: async () => {
        throw new Error('No sink "nope".');
      },
      pause: async () => {
        throw new Error('scheduler is gone');
      },
    });
    await expect(h.session.call('read output', (api) => api.output('nope'), { fatal: false })).rejects.toThrow('No sink "nope".');
    expect(h.session.alive).toBe(true);
    await expect(h.session.call('pause', (api) => api.pause())).rejects.toThrow('The JobManager failed to pause: scheduler is gone');
    expect(h.handlers.fatal).toEqual(['The JobManager failed to pause: scheduler is gone']);
  });

  it('gives up on a call that is never answered', async () => {
    vi.useFakeTimers();
    const h = harness({ start: () => new Promise(() => undefined) });
    const pending = h.session.call('start the cluster', (api) => api.start({ sluice: 'job/1', name: 'x', operators: [], edges: [] }) as Promise<unknown>, { timeoutMs: 5000 });
    const settled = expect(pending).rejects.toThrow('did not answer “start the cluster” within 5 s');
    await vi.advanceTimersByTimeAsync(5000);
    await settled;
    expect(h.terminated()).toBe(true);
    expect(h.handlers.fatal).toHaveLength(1);
  });

  it('terminates quietly on stop', async () => {
    const h = harness({ advance: () => new Promise(() => undefined) });
    const pending = h.session.call('advance', (api) => api.advance(1), { timeoutMs: 0 });
    h.session.terminate();
    await expect(pending).rejects.toThrow('The run was stopped.');
    expect(h.handlers.fatal).toEqual([]);
    expect(h.terminated()).toBe(true);
  });
});

describe('ClusterSession without a worker', () => {
  it('fails with the reason when the worker cannot even be created', async () => {
    const fatal: string[] = [];
    const session = new ClusterSession({ onFrame: () => undefined, onFatal: (m) => fatal.push(m) }, () => {
      throw new Error('SecurityError: refused');
    });
    expect(session.alive).toBe(false);
    await expect(session.subscribe()).rejects.toThrow('could not be started: SecurityError: refused');
    expect(fatal).toEqual(['The JobManager worker could not be started: SecurityError: refused']);
  });
});

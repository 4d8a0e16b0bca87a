// The session across a JobManager failover, over real comlink channels: a double of
// ClusterWorkers switches from the dead leader's channel to its successor's. Calls the dead
// leader never answered go to the successor (repeated, continued like advance, or refused),
// calls made meanwhile wait for it, and the telemetry stream goes on without repeated events.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, TelemetryFrame } from '../../engine/runtime/telemetry';
import type { ClusterApi } from '../../workers/clusterApi';
import type { FailoverListener } from '../../workers/main/ClusterWorkers';
import { ClusterSession, type FailoverEvent, type WorkerLike } from './clusterClient';
import { channelWorker, type ChannelWorker } from './testing/channelWorker';

const open: ChannelWorker[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

/** Two leaders behind one endpoint, like ClusterWorkers: `fail()` loses the first, `takeOver()` readies the second. */
function failingOver(first: object, second: object) {
  const workers = [channelWorker(first), channelWorker(second)];
  open.push(...workers);
  let current = 0;
  let ready = true;
  const queue: { message: unknown; transfer: Transferable[] }[] = [];
  const listeners = new Set<EventListenerOrEventListenerObject>();
  let failover: FailoverListener | undefined;
  for (const w of workers) w.worker.addEventListener('message', (event) => listeners.forEach((l) => (l as EventListener)(event)));
  for (const w of workers) w.worker.start?.();
  const worker: WorkerLike = {
    postMessage: (message: unknown, transfer: Transferable[] = []) => {
      if (ready) (workers[current] as ChannelWorker).worker.postMessage(message, transfer);
      else queue.push({ message, transfer });
    },
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => void (type === 'message' && listeners.add(listener)),
    removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => void listeners.delete(listener),
    terminate: () => workers.forEach((w) => w.worker.terminate()),
    setFailoverListener: (listener: FailoverListener) => void (failover = listener),
  };
  return {
    worker,
    fail: () => {
      ready = false;
      (workers[0] as ChannelWorker).worker.terminate();
      failover?.lost({ generation: 1 });
    },
    takeOver: () => {
      current = 1;
      ready = true;
      for (const { message, transfer } of queue.splice(0)) (workers[1] as ChannelWorker).worker.postMessage(message, transfer);
      failover?.tookOver({ generation: 2, report: { ok: true, config: {} as never }, wallMs: 42 });
    },
  };
}

const never = () => new Promise<never>(() => undefined);
const event = (t: number, message: string): RunEvent => ({ virtualTimeMs: t, kind: 'log', message });
const frame = (t: number, events: RunEvent[]): TelemetryFrame => ({
  status: { state: 'running', virtualTimeMs: t }, metrics: { virtualTimeMs: t, operators: [], subtasks: [], channels: [], taskManagers: [] }, events, outputs: {},
});

describe('ClusterSession across a JobManager failover', () => {
  it('gives unanswered calls to the successor: repeated, continued, or refused; later calls wait for it', async () => {
    const successor: Partial<ClusterApi> = {
      status: async () => ({ state: 'paused', virtualTimeMs: 900 }),
      continueAdvance: async () => ({ state: 'paused', virtualTimeMs: 1000 }),
      advance: async () => ({ state: 'paused', virtualTimeMs: 9999 }),
      inject: async () => undefined,
    };
    const pair = failingOver({ status: never, advance: never, inject: never }, successor);
    const failovers: FailoverEvent['phase'][] = [];
    const session = new ClusterSession({ onFrame: () => undefined, onFatal: () => undefined, onFailover: (e) => failovers.push(e.phase) }, () => pair.worker);
    const status = session.call('read the status', (api) => api.status(), { fatal: false });
    const advance = session.call('advance', (api) => api.advance(500), { timeoutMs: 0, onFailover: (api) => api.continueAdvance() });
    const inject = session.call('inject', (api) => api.inject({ kind: 'kill-task', operator: 'a', subtask: 0 }), { fatal: false, onFailover: 'refuse' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    pair.fail();
    const during = session.call('read the status', (api) => api.status(), { fatal: false });
    await expect(inject).rejects.toThrow(/failed over before it answered “inject”/);
    pair.takeOver();
    await expect(status).resolves.toEqual({ state: 'paused', virtualTimeMs: 900 });
    await expect(advance).resolves.toEqual({ state: 'paused', virtualTimeMs: 1000 });
    await expect(during).resolves.toEqual({ state: 'paused', virtualTimeMs: 900 });
    expect(failovers).toEqual(['lost', 'took-over']);
    expect(session.takeovers.map((t) => t.wallMs)).toEqual([42]);
    expect(session.alive).toBe(true);
  });

  it('takes the telemetry stream up again from the successor without repeating events', async () => {
    const pushes: ((f: TelemetryFrame) => Promise<void>)[] = [];
    const subscribe = async (onFrame: (f: TelemetryFrame) => Promise<void>) => void pushes.push(onFrame);
    const pair = failingOver({ subscribe }, { subscribe });
    const frames: TelemetryFrame[] = [];
    const session = new ClusterSession({ onFrame: (f) => frames.push(f), onFatal: () => undefined }, () => pair.worker);
    await session.subscribe();
    await pushes[0]?.(frame(10, [event(0, 'started'), event(10, 'a')]));
    pair.fail();
    pair.takeOver();
    await expect.poll(() => pushes.length).toBe(2);
    await pushes[1]?.(frame(20, [event(0, 'started'), event(10, 'a'), event(20, 'leader')]));
    expect(frames.flatMap((f) => f.events.map((e) => e.message))).toEqual(['started', 'a', 'leader']);
  });
});

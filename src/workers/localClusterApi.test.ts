/**
 * The JobManager worker's API through comlink over a real MessageChannel (in one Node
 * thread): every answer and telemetry frame must survive structured cloning, and errors
 * reach the caller as rejections.
 */
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobGraph } from '../engine/job/types';
import type { TelemetryFrame } from '../engine/runtime/telemetry';
import type { ClusterApi } from './clusterApi';
import { browserClock, createLocalClusterApi } from './localClusterApi';

const job = JSON.parse(readFileSync(new URL('../../public/jobs/word-count.json', import.meta.url), 'utf8')) as JobGraph;
const channels: MessageChannel[] = [];

function connect(): Comlink.Remote<ClusterApi> {
  const channel = new MessageChannel();
  channels.push(channel);
  Comlink.expose(createLocalClusterApi(), channel.port1);
  return Comlink.wrap<ClusterApi>(channel.port2);
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

describe('ClusterApi over comlink', () => {
  it('starts, advances, reports and streams frames', async () => {
    const api = connect();
    const frames: TelemetryFrame[] = [];
    await api.subscribe(Comlink.proxy((frame: TelemetryFrame) => void frames.push(frame)));
    const report = await api.start(job, { paused: true, seed: 4 });
    expect(report).toMatchObject({ ok: true, config: { seed: 4 } });
    expect(await api.advance(500)).toMatchObject({ state: 'paused', virtualTimeMs: 500 });
    const metrics = await api.metrics();
    expect(metrics.subtasks.every((s) => s.recordsIn > 0)).toBe(true);
    expect((await api.output('out')).pendingCount).toBeGreaterThan(0);
    expect(await api.traceHash()).toMatch(/^[0-9a-f]{64}$/);
    await browserClock.sleep(150);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.at(-1)?.status.virtualTimeMs).toBe(500);
    await expect(api.output('nope')).rejects.toThrow(/collect sinks: out/);
    expect((await api.stop()).state).toBe('stopped');
  });

  it('answers a refused start with plain errors', async () => {
    const api = connect();
    const report = await api.start(job, { taskManagers: 1, slotsPerTaskManager: 1 });
    expect(report).toMatchObject({ ok: false, errors: [{ code: 'slots.notEnough' }] });
  });
});

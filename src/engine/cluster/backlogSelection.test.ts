/**
 * Issue 3 / seed 2 on the whole cluster: in the straggler example, `slow-task` ×4 on one
 * `work` subtask back-pressures the source under round robin; backlog-based selection sends
 * the slowed channel less and keeps the source (nearly) free of backpressure. Direction only:
 * no exact figures are asserted.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelSelection } from '../runtime/runConfig';
import { galleryJob, runFor } from './testing/jobs';

async function straggle(channelSelection: ChannelSelection, live = false) {
  const { cluster } = await runFor(galleryJob('straggler-rebalance'), { channelSelection: live ? 'round-robin' : channelSelection, taskManagers: 2, slotsPerTaskManager: 2 }, 1_000);
  await cluster.inject({ kind: 'slow-task', operator: 'work', subtask: 1, factor: 4 });
  if (live) await cluster.setChannelSelection(channelSelection, 'source->work');
  await cluster.advance(8_000);
  const metrics = await cluster.metrics();
  const toWork = metrics.channels.filter((c) => c.edgeId === 'source->work');
  const total = toWork.reduce((n, c) => n + c.recordsOut, 0);
  const slowShare = toWork.filter((c) => c.to.index === 1).reduce((n, c) => n + c.recordsOut, 0) / total;
  const sources = metrics.subtasks.filter((s) => s.operatorId === 'source');
  const sourceBackpressure = Math.max(...sources.map((s) => s.backPressuredMsPerSecond));
  const slowBusy = metrics.subtasks.find((s) => s.operatorId === 'work' && s.index === 1)?.busyMsPerSecond ?? 0;
  return { slowShare, sourceBackpressure, slowBusy, produced: sources.reduce((n, s) => n + s.recordsOut, 0) };
}

describe('backlog-based channel selection around a straggler', () => {
  it('round robin back-pressures the source; backlog selection sends the slow channel less', async () => {
    const roundRobin = await straggle('round-robin');
    const backlog = await straggle('backlog');
    expect(roundRobin.slowBusy).toBeGreaterThan(900);
    expect(roundRobin.sourceBackpressure).toBeGreaterThan(300);
    expect(backlog.slowShare).toBeLessThan(roundRobin.slowShare);
    expect(backlog.sourceBackpressure).toBeLessThan(roundRobin.sourceBackpressure / 2);
    expect(backlog.produced).toBeGreaterThan(roundRobin.produced);
  });

  it('switching live to backlog selection relieves the source too', async () => {
    const roundRobin = await straggle('round-robin');
    const switched = await straggle('backlog', true);
    expect(switched.sourceBackpressure).toBeLessThan(roundRobin.sourceBackpressure / 2);
  });
});

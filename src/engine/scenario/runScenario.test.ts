/**
 * runScenario on the in-process ClusterApi (src/workers/localClusterApi) with gallery jobs:
 * narration and progress, throughput checks that pass and fail with expected vs actual,
 * faults this build cannot recover from reported clearly, exactly-once against the
 * failure-free run, and determinism.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
// The contract under test is that the workers' ClusterApi satisfies ScenarioCluster; tests may import hosts.
// eslint-disable-next-line no-restricted-imports
import { createLocalClusterApi } from '../../workers/localClusterApi';
import { BOUNDED_SEQUENCE_JOB } from '../cluster/testing/jobs';
import { nodeClock } from '../cluster/testing/nodeClock';
import type { ScenarioCluster } from './ports';
import { runScenario, ScenarioError } from './runScenario';
import type { TimelineEntry } from './types';

const JOBS = new URL('../../../public/jobs/', import.meta.url);
const loadJob = async (path: string): Promise<unknown> => JSON.parse(readFileSync(new URL(path.replace(/^jobs\//, ''), JOBS), 'utf8'));

const clusters: ScenarioCluster[] = [];
function cluster(): ScenarioCluster {
  const api: ScenarioCluster = createLocalClusterApi({ clock: nodeClock });
  clusters.push(api);
  return api;
}
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.stop();
});

const SHAPE = { seed: 7, taskManagers: 2, slotsPerTaskManager: 2 };

function straggler(channelSelection: 'round-robin' | 'backlog', ratio: { atLeast?: number; atMost?: number }) {
  return {
    sluice: 'scenario/1',
    name: `Straggler with ${channelSelection}`,
    job: 'jobs/straggler-rebalance.json',
    run: { ...SHAPE, channelSelection, durationMs: 6000 },
    timeline: [
      { atMs: 0, do: 'note', text: 'Four map subtasks share the load evenly.' },
      { atMs: 2000, do: 'slow-task', operator: 'work', subtask: 1, factor: 10, text: 'Work #1 becomes ten times slower.' },
    ],
    expect: {
      throughputRatio: { operator: 'source', before: { fromMs: 0, toMs: 2000 }, after: { fromMs: 4000, toMs: 6000 }, ...ratio },
      sink: { sink: 'out', of: 'written', atLeast: 1 },
    },
  };
}

describe('runScenario', () => {
  it('plays a note-only scenario: narration in order, progress in virtual time, every check passes', async () => {
    const notes: string[] = [];
    const progress: number[] = [];
    const result = await runScenario({
      sluice: 'scenario/1', name: 'Tour', job: 'jobs/parallel-pipeline.json',
      run: { ...SHAPE, durationMs: 2500 },
      timeline: [
        { atMs: 0, do: 'note', text: 'Four independent regions.' },
        { atMs: 1200, do: 'note', text: 'Each forward chain runs on its own.' },
        { atMs: 1200, do: 'note', text: 'Same time, file order.' },
      ],
      expect: { sink: { sink: 'out', of: 'written', atLeast: 100 }, maxRestarts: { max: 0 } },
    }, cluster(), { loadJob, progressStepMs: 500, onNote: (text) => void notes.push(text), onProgress: (ms) => void progress.push(ms) });
    expect(notes).toEqual(['Four independent regions.', 'Each forward chain runs on its own.', 'Same time, file order.']);
    expect(progress).toEqual([500, 1000, 1200, 1700, 2200, 2500]);
    expect(result).toMatchObject({ passed: true, virtualTimeMs: 2500, seed: 7, state: 'paused', scenario: 'Tour' });
    expect(result.checks.map((c) => [c.name, c.passed])).toEqual([['timeline', true], ['maxRestarts each task', true], ['sink out written', true]]);
    expect(result.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.failedCheck).toBeUndefined();
  });

  it('slow-task under round robin: the source slows down, and a throughputRatio ≤ 0.5 passes', async () => {
    const actions: string[] = [];
    const result = await runScenario(straggler('round-robin', { atMost: 0.5 }), cluster(), {
      loadJob, onAction: (entry, outcome) => void actions.push(`${entry.do}@${entry.atMs}:${outcome.applied}`),
    });
    expect(actions).toEqual(['note@0:true', 'slow-task@2000:true']);
    const ratio = result.checks.find((c) => c.name.startsWith('throughputRatio'));
    expect(ratio).toMatchObject({ name: 'throughputRatio source out 4000–6000 / 0–2000 ms', passed: true, expected: 'ratio ≤ 0.5' });
    expect(ratio?.measured).toBeLessThan(0.5);
    expect(result.passed).toBe(true);
  });

  it('a throughputRatio that fails reports expected vs actual, the seed and a replay line', async () => {
    const result = await runScenario(straggler('round-robin', { atLeast: 0.9 }), cluster(), { loadJob });
    expect(result.passed).toBe(false);
    const failed = result.failedCheck;
    expect(failed).toMatchObject({ name: 'throughputRatio source out 4000–6000 / 0–2000 ms', expected: 'ratio ≥ 0.9', seed: 7, scenario: 'Straggler with round-robin' });
    expect(failed?.actual).toMatch(/^ratio 0\.\d+ \(\d+(\.\d+)? records\/s after, 8000 before\)$/);
    expect(failed?.replay).toContain('seed 7');
    expect(failed?.replay).toContain('"Straggler with round-robin"');
  });

  it('backlog-based selection keeps the source near full speed around the straggler', async () => {
    const result = await runScenario(straggler('backlog', { atLeast: 0.9 }), cluster(), { loadJob });
    expect(result.checks.find((c) => c.name.startsWith('throughputRatio'))?.passed).toBe(true);
  });

  it('region failover: kill-task restarts only the killed task\'s region, and the output stays exactly once', async () => {
    const result = await runScenario({
      sluice: 'scenario/1', name: 'Region failover', job: 'jobs/parallel-pipeline.json',
      // Regional checkpoints keep their 1000 ms grid while the region restarts, so by the end the
      // restarted region caught up and committed through the same checkpoint as the failure-free run.
      run: { ...SHAPE, failover: 'region', checkpointMode: 'regional', checkpointIntervalMs: 1000, restartDelayMs: 200, durationMs: 5000 },
      timeline: [
        { atMs: 500, do: 'trigger-checkpoint', text: 'A checkpoint first.' },
        { atMs: 1000, do: 'kill-task', operator: 'triple', subtask: 1, text: 'Kill Triple #1: only its region should restart.' },
        { atMs: 2000, do: 'note', text: 'The other three regions kept going.' },
      ],
      expect: {
        exactlyOnce: true,
        maxRestarts: [{ operator: 'triple', subtask: 1, max: 1 }, { region: 1, max: 0 }],
        checkpoints: { completed: { atLeast: 1 } },
        recordsLost: { equals: 0 },
      },
    }, cluster(), { loadJob, baselineCluster: cluster });
    expect(result.actions.map((a) => [a.do, a.applied])).toEqual([['trigger-checkpoint', true], ['kill-task', true], ['note', true]]);
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.state).not.toBe('failed');
  });

  it('exactly-once against the failure-free run holds on a bounded job that finishes', async () => {
    const scenario = {
      sluice: 'scenario/1', name: 'Bounded, slowed', job: BOUNDED_SEQUENCE_JOB,
      run: { seed: 3, durationMs: 3000 },
      timeline: [{ atMs: 200, do: 'slow-task', operator: 'sum', subtask: 0, factor: 3 }],
      expect: { exactlyOnce: true, sink: { sink: 'out', equals: 4000 } },
    };
    const result = await runScenario(scenario, cluster(), { baselineCluster: cluster });
    expect(result.checks.map((c) => [c.name, c.passed, c.actual])).toEqual([
      ['timeline', true, 'all 1 applied'],
      ['exactlyOnce', true, 'as expected (out: 4000 records)'],
      ['sink out committed', true, '4000 records'],
    ]);
    expect(result.state).toBe('finished');
    const noBaseline = await runScenario(scenario, cluster());
    expect(noBaseline.checks[1]).toMatchObject({ name: 'exactlyOnce', passed: false, detail: expect.stringMatching(/options\.baselineCluster/) });
  });

  it('is deterministic: the same scenario twice gives the same result and trace hash; another seed another hash', async () => {
    const a = await runScenario(straggler('round-robin', { atMost: 0.5 }), cluster(), { loadJob });
    const b = await runScenario(straggler('round-robin', { atMost: 0.5 }), cluster(), { loadJob, progressStepMs: 333 });
    expect(b).toEqual(a);
    const c = await runScenario(straggler('round-robin', { atMost: 0.5 }), cluster(), { loadJob, seed: 8 });
    expect(c.seed).toBe(8);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('refuses an invalid scenario, a path job without a loader, and a refused start, listing every problem', async () => {
    const bad = straggler('round-robin', { atMost: 0.5 });
    (bad.timeline[1] as Partial<TimelineEntry>).atMs = 9000;
    await expect(runScenario(bad, cluster(), { loadJob })).rejects.toSatisfy((e: unknown) => e instanceof ScenarioError && e.errors[0]?.path === '$.timeline[1].atMs');
    await expect(runScenario(straggler('backlog', { atMost: 1 }), cluster())).rejects.toThrow(/gave no way to load it/);
    const crowded = { ...straggler('backlog', { atMost: 1 }), run: { seed: 1, taskManagers: 1, slotsPerTaskManager: 1, durationMs: 6000 } };
    await expect(runScenario(crowded, cluster(), { loadJob })).rejects.toSatisfy((e: unknown) => e instanceof ScenarioError && e.errors[0]?.path === '$.run.slotsPerTaskManager');
    const unknownOperator = { ...straggler('backlog', { atMost: 1 }), timeline: [{ atMs: 0, do: 'kill-task', operator: 'nope', subtask: 0 }] };
    await expect(runScenario(unknownOperator, cluster(), { loadJob })).rejects.toThrow(/\$\.timeline\[0\]\.operator: .*not in the job/);
  });

  it('stops between steps when aborted, and says so', async () => {
    const signal = { aborted: false };
    const result = await runScenario(straggler('round-robin', { atMost: 0.5 }), cluster(), {
      loadJob, signal, onProgress: (ms) => { if (ms >= 1000) signal.aborted = true; },
    });
    expect(result).toMatchObject({ passed: false, virtualTimeMs: 1000, failedCheck: { name: 'aborted', actual: 'aborted at 1000 ms' } });
  });
});

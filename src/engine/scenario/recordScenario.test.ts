/**
 * Recording: faults clicked during a run become a valid scenario/1 document whose
 * expectations hold when it is replayed; the serializer is canonical and round-trips.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '../cluster/LocalCluster';
import { nodeClock } from '../cluster/testing/nodeClock';
import type { JobGraph } from '../job/types';
import { recordScenario, type RecordingInput } from './recordScenario';
import { runScenario } from './runScenario';
import { parseScenarioText, validateScenario } from './validateScenario';
import { serializeScenario } from './serializeScenario';

const JOBS = new URL('../../../public/jobs/', import.meta.url);
const loadJob = async (path: string): Promise<unknown> => JSON.parse(readFileSync(new URL(path.replace(/^jobs\//, ''), JOBS), 'utf8'));

describe('recordScenario', () => {
  it('turns a clicked run into a scenario that passes when replayed', async () => {
    const job = (await loadJob('jobs/straggler-rebalance.json')) as JobGraph;
    const config = { seed: 11, taskManagers: 2, slotsPerTaskManager: 2, paused: true };
    const live = new LocalCluster({ clock: nodeClock });
    await live.start(job, config);
    await live.advance(1500);
    await live.inject({ kind: 'slow-task', operator: 'work', subtask: 2, factor: 6 });
    await live.advance(1500);
    const out = await live.output('out');
    const status = await live.status();
    await live.stop();

    const input: RecordingInput = {
      name: 'My straggler', job: 'jobs/straggler-rebalance.json', config, durationMs: 3000,
      faults: [{ atMs: 1500, fault: { kind: 'slow-task', operator: 'work', subtask: 2, factor: 6 } }],
      notes: [{ atMs: 1500, text: 'Here I slowed work #2.' }],
      observed: { outputs: { out: { committedCount: out.committedCount, pendingCount: out.pendingCount, committedKept: out.committed.length } }, status },
    };
    const recorded = recordScenario(input);
    expect(recorded.run).toEqual({ seed: 11, taskManagers: 2, slotsPerTaskManager: 2, durationMs: 3000 });
    expect(recorded.timeline.map((e) => e.do)).toEqual(['note', 'slow-task']);
    // Checkpoints commit as the run goes, so the recording checks committed records; the sink
    // kept only its last keepRecords of them, so exactly-once (which compares records) is left out.
    expect(out.committed.length).toBeLessThan(out.committedCount);
    expect(recorded.expect).toEqual({ sink: [{ sink: 'out', equals: out.committedCount }], maxRestarts: [{ max: 0 }] });

    const text = serializeScenario(recorded);
    const parsed = parseScenarioText(text);
    expect(parsed.errors).toEqual([]);
    expect(serializeScenario(parsed.scenario!)).toBe(text);
    expect(text.split('\n').slice(0, 4)).toEqual(['{', '  "sluice": "scenario/1",', '  "name": "My straggler",', '  "job": "jobs/straggler-rebalance.json",']);

    const replay = new LocalCluster({ clock: nodeClock });
    const result = await runScenario(JSON.parse(text), replay, { loadJob, baselineCluster: () => new LocalCluster({ clock: nodeClock }) });
    await replay.stop();
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('fills restarts, records lost and exactly-once from recovery reports, and skips them for a failed run', () => {
    const base: RecordingInput = {
      name: 'r', job: 'jobs/parallel-pipeline.json', config: { seed: 1 }, durationMs: 5000,
      faults: [{ atMs: 1000, fault: { kind: 'kill-task', operator: 'triple', subtask: 1 } }],
      observed: {
        outputs: { out: { committedCount: 120, pendingCount: 4, committedKept: 120 } },
        recoveries: [{ virtualTimeMs: 1010, restarted: [{ operatorId: 'triple', index: 1 }, { operatorId: 'numbers', index: 1 }], recordsLost: 3 }],
      },
    };
    expect(recordScenario(base).expect).toEqual({
      exactlyOnce: { match: 'subset' },
      sink: [{ sink: 'out', equals: 120 }],
      maxRestarts: [{ operator: 'numbers', subtask: 1, max: 1 }, { operator: 'triple', subtask: 1, max: 1 }],
      recordsLost: [{ equals: 3 }],
    });
    const failed = recordScenario({ ...base, observed: { ...base.observed, status: { state: 'failed', virtualTimeMs: 1010 } } });
    expect(failed.expect).toEqual({ sink: [{ sink: 'out', equals: 120 }] });
    expect(validateScenario(failed).ok).toBe(true);
  });

  it('orders entries by time, notes before faults at the same time', () => {
    const scenario = recordScenario({
      name: 'order', job: 'jobs/straggler-rebalance.json', config: {}, durationMs: 4000,
      faults: [{ atMs: 3000, fault: { kind: 'kill-taskmanager', taskManager: 1 } }, { atMs: 1000, fault: { kind: 'slow-task', operator: 'work', subtask: 0, factor: 2 } }],
      channelSelections: [{ atMs: 1000, selection: 'backlog', edge: 'source->work' }],
      notes: [{ atMs: 1000, text: 'now' }],
    });
    expect(scenario.timeline.map((e) => `${e.atMs} ${e.do}`)).toEqual(['1000 note', '1000 set-channel-selection', '1000 slow-task', '3000 kill-taskmanager']);
    expect(validateScenario(scenario).errors).toEqual([]);
  });
});

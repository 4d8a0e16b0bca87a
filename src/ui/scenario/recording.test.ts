import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateJob, type JobGraph } from '../../engine';
import { DEFAULT_RUN_CONFIG } from '../../engine/runtime/runConfig';
import { serializeScenario, validateScenario } from '../../engine/scenario';
import type { FaultLogEntry } from '../run/faults/faultLog';
import { appliedFaults, recordBlocker, scenarioFileName, scenarioFromRun } from './recording';

const job = validateJob(JSON.parse(readFileSync(new URL('../../../public/jobs/parallel-pipeline.json', import.meta.url), 'utf8'))).job as JobGraph;

const fault = (id: number, virtualTimeMs: number, outcome: FaultLogEntry['outcome']): FaultLogEntry => ({
  id, virtualTimeMs, outcome, label: 'Kill', fault: { kind: 'kill-task', operator: 'triple', subtask: id % 4 },
});

describe('recording a run', () => {
  it('says why there is nothing to record yet', () => {
    expect(recordBlocker({ job: null, status: { state: 'idle', virtualTimeMs: 0 } })).toMatch(/Start a run/);
    expect(recordBlocker({ job, status: { state: 'paused', virtualTimeMs: 0 } })).toMatch(/virtual time/);
    expect(recordBlocker({ job, status: { state: 'paused', virtualTimeMs: 10 } })).toBeNull();
  });

  it('keeps applied faults only, at whole ms within the run, in time order', () => {
    const log = [fault(1, 900.4, 'applied'), fault(2, 100, 'refused'), fault(3, 300, 'applied'), fault(4, 5000, 'applied'), fault(5, 10, 'pending')];
    expect(appliedFaults(log, 2000).map((f) => f.atMs)).toEqual([300, 900, 2000]);
  });

  it('makes a valid scenario/1 with the run settings, the faults and what was observed', () => {
    const scenario = scenarioFromRun({
      job, config: { ...DEFAULT_RUN_CONFIG, seed: 4, paused: true, speed: 'max' },
      status: { state: 'paused', virtualTimeMs: 3000 },
      faults: [{ id: 1, virtualTimeMs: 1200, outcome: 'applied', label: 'Slow', fault: { kind: 'slow-task', operator: 'triple', subtask: 0, factor: 5 } }],
      outputs: { out: { committed: [], pending: [], committedCount: 0, pendingCount: 42 } },
    });
    expect(scenario.name).toBe('Parallel pipeline: recorded run');
    expect(scenario.run).toMatchObject({ seed: 4, durationMs: 3000 });
    expect(scenario.run).not.toHaveProperty('paused');
    expect(scenario.run).not.toHaveProperty('speed');
    expect(scenario.timeline).toEqual([{ atMs: 1200, do: 'slow-task', operator: 'triple', subtask: 0, factor: 5 }]);
    expect(scenario.expect.sink).toEqual([{ sink: 'out', of: 'written', equals: 42 }]);
    const reread = validateScenario(JSON.parse(serializeScenario(scenario)));
    expect(reread.errors).toEqual([]);
  });

  it('names the exported file after the scenario', () => {
    expect(scenarioFileName({ name: 'Region failover' })).toBe('region-failover.scenario.json');
    expect(scenarioFileName({ name: '→ ←' })).toBe('scenario.scenario.json');
  });
});

// The scenario player on a stubbed run slice: it runs a scenario to its result, pauses at each
// narrated entry when stepping, resumes, stops when asked, and refuses an invalid scenario with
// its problems. The run slice's actions are replaced by a tiny fake cluster in virtual time.
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../engine/runtime/telemetry';
import type { Services } from '../app/services';
import { createAppStore } from '../store/appStore';
import { ScenarioOpenError, ScenarioPlayer } from './player';

const JOB = {
  sluice: 'job/1', name: 'Tiny',
  operators: [
    { id: 'src', kind: 'sequence', name: 'Src', parallelism: 1, config: { from: 1, to: 10, ratePerSecond: 10, partitions: 1 } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [{ from: 'src', to: 'out', partitioner: 'forward' }],
};

const SCENARIO = {
  sluice: 'scenario/1', name: 'Three notes', job: JOB, run: { durationMs: 500, seed: 4 },
  timeline: [
    { atMs: 0, do: 'note', text: 'First.' },
    { atMs: 200, do: 'note', text: 'Second.' },
    { atMs: 400, do: 'note', text: 'Third.' },
  ],
  expect: { maxRestarts: { max: 0 } },
};

function harness() {
  const store = createAppStore();
  let clock = 0;
  const advanced: number[] = [];
  const status = (): RunStatus => ({ state: 'paused', virtualTimeMs: clock });
  const api = {
    status: async () => status(),
    metrics: async () => ({ virtualTimeMs: clock, operators: [], subtasks: [], channels: [], taskManagers: [] }),
    output: async () => ({ committed: [], pending: [], committedCount: 0, pendingCount: 0 }),
    events: async () => [],
    traceHash: async () => `hash-${clock}`,
    checkpoints: async () => ({ history: [] }),
    recoveries: async () => [],
  };
  store.setState({
    startRun: async (config) => {
      clock = 0;
      return { ok: true, config: { ...store.getState().runConfig, ...config } };
    },
    advanceRun: async (ms) => {
      advanced.push(ms);
      clock += ms;
      return status();
    },
    stopRun: async () => status(),
    injectFault: async () => undefined,
    setRunDockTab: () => undefined,
    queryRun: ((_label: string, fn: (a: typeof api) => Promise<unknown>) => fn(api)) as never,
  });
  const services = { store, documents: { open: async () => true } } as unknown as Services;
  return { player: new ScenarioPlayer(services), advanced };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

describe('ScenarioPlayer', () => {
  it('runs a scenario to its result at full speed, with every caption', async () => {
    const { player, advanced } = harness();
    const result = await player.runNow(SCENARIO, 'test');
    expect(result).toMatchObject({ passed: true, seed: 4, virtualTimeMs: 500, traceHash: 'hash-500' });
    expect(advanced.reduce((a, b) => a + b, 0)).toBe(500);
    const s = player.store.getState();
    expect(s.phase).toBe('done');
    expect(s.captions.map((c) => c.text)).toEqual(['First.', 'Second.', 'Third.']);
  });

  it('steps from note to note, then plays on to the end', async () => {
    const { player } = harness();
    await player.open(SCENARIO, 'test');
    player.setSpeed('max');
    expect(player.store.getState().phase).toBe('ready');
    player.step();
    await until(() => player.store.getState().phase === 'paused');
    expect(player.store.getState().captions.map((c) => c.text)).toEqual(['First.']);
    player.step();
    await until(() => player.store.getState().captions.length === 2);
    expect(player.store.getState()).toMatchObject({ phase: 'paused', virtualMs: 200 });
    player.play();
    await until(() => player.store.getState().phase === 'done');
    expect(player.store.getState().result?.passed).toBe(true);
  });

  it('pauses while playing and stops when asked, saying so in the result', async () => {
    const { player } = harness();
    await player.open(SCENARIO, 'test');
    player.setSpeed('max');
    player.step();
    await until(() => player.store.getState().phase === 'paused');
    await player.abort();
    const s = player.store.getState();
    expect(s.phase).toBe('done');
    expect(s.result?.failedCheck?.name).toBe('aborted');
  });

  it('refuses an invalid scenario with every problem and its JSON path, and runs nothing', async () => {
    const { player, advanced } = harness();
    const bad = { ...SCENARIO, run: { durationMs: 0 }, timeline: [{ atMs: 1, do: 'explode' }] };
    await expect(player.open(bad, 'bad.json')).rejects.toSatisfy((e: unknown) =>
      e instanceof ScenarioOpenError && e.errors.some((p) => p.path === '$.run.durationMs') && e.errors.some((p) => p.path === '$.timeline[0].do'));
    expect(advanced).toEqual([]);
    expect(player.store.getState().phase).toBe('empty');
  });
});

/**
 * The scenario validator: a valid document passes and comes back normalised; each malformed
 * document is reported at its exact JSON path with its stable code; hostile input is bounded.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { MAX_TIMELINE_ENTRIES } from './errors';
import { parseScenarioText, validateScenario } from './validateScenario';

const JOB: JobGraph = {
  sluice: 'job/1', name: 'Small',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2, config: { keys: 100, ratePerSecond: 500 } },
    { id: 'work', kind: 'map', name: 'Work', parallelism: 2, config: { field: 'value', expr: 'value * 2' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [
    { from: 'src', to: 'work', partitioner: 'rebalance' },
    { from: 'work', to: 'out', partitioner: 'rebalance' },
  ],
};

function valid(): Record<string, unknown> {
  return {
    sluice: 'scenario/1',
    name: 'Straggler',
    job: structuredClone(JOB),
    run: { seed: 7, taskManagers: 2, slotsPerTaskManager: 2, durationMs: 4000 },
    timeline: [
      { atMs: 0, do: 'note', text: 'Two map subtasks share the load.' },
      { atMs: 1000, do: 'slow-task', operator: 'work', subtask: 1, factor: 4, text: 'One slows down.' },
      { atMs: 2000, do: 'set-channel-selection', selection: 'backlog', edge: 'src->work' },
    ],
    expect: {
      throughputRatio: { operator: 'src', before: { fromMs: 0, toMs: 1000 }, after: { fromMs: 3000, toMs: 4000 }, atLeast: 0.5 },
      sink: [{ sink: 'out', of: 'written', atLeast: 1 }],
      maxRestarts: { max: 0 },
    },
  };
}

/** The document with `edit` applied; returns its errors as path → code. */
function problems(edit: (doc: Record<string, unknown>) => void): [string, string][] {
  const doc = valid();
  edit(doc);
  const report = validateScenario(doc);
  expect(report.ok).toBe(false);
  return report.errors.map((e) => [e.path, e.code]);
}

const at = (doc: Record<string, unknown>, key: string): Record<string, unknown> => doc[key] as Record<string, unknown>;
const entry = (doc: Record<string, unknown>, i: number): Record<string, unknown> => (doc.timeline as Record<string, unknown>[])[i] as Record<string, unknown>;

describe('validateScenario', () => {
  it('accepts a valid scenario and normalises single expectations to lists', () => {
    const report = validateScenario(valid());
    expect(report.errors).toEqual([]);
    expect(report.scenario?.expect.sink).toHaveLength(1);
    expect(report.scenario?.expect.maxRestarts).toEqual([{ max: 0 }]);
    expect(report.scenario?.timeline[1]).toEqual({ atMs: 1000, do: 'slow-task', operator: 'work', subtask: 1, factor: 4, text: 'One slows down.' });
    expect(validateScenario(report.scenario).ok).toBe(true);
  });

  it('accepts a job given by path, and exactlyOnce as true', () => {
    const report = validateScenario({ ...valid(), job: 'jobs/word-count.json', timeline: [], expect: { exactlyOnce: true } });
    expect(report.errors).toEqual([]);
    expect(report.scenario?.expect.exactlyOnce).toEqual({});
  });

  const cases: [string, (doc: Record<string, unknown>) => void, [string, string][]][] = [
    ['wrong version', (d) => { d.sluice = 'scenario/2'; }, [['$.sluice', 'scenario.version']]],
    ['missing name', (d) => { delete d.name; }, [['$.name', 'scenario.missingField']]],
    ['unknown top-level field', (d) => { d.timelines = []; }, [['$.timelines', 'scenario.unknownField']]],
    ['bad job path', (d) => { d.job = '../secret.json'; }, [['$.job', 'scenario.jobPath']]],
    ['job problem under $.job', (d) => { (at(d, 'job').operators as { parallelism: number }[])[1]!.parallelism = 0; }, [['$.job.operators[1].parallelism', 'operator.parallelism']]],
    ['missing durationMs', (d) => { delete at(d, 'run').durationMs; }, [['$.run.durationMs', 'scenario.missingField']]],
    ['duration too long', (d) => { at(d, 'run').durationMs = 1e12; }, [['$.run.durationMs', 'scenario.duration']]],
    ['bad run setting', (d) => { at(d, 'run').failover = 'sometimes'; }, [['$.run.failover', 'scenario.runConfig']]],
    ['unknown run setting', (d) => { at(d, 'run').sead = 3; }, [['$.run.sead', 'scenario.unknownField']]],
    ['timeline not a list', (d) => { d.timeline = {}; }, [['$.timeline', 'scenario.wrongType']]],
    ['unknown action', (d) => { entry(d, 1).do = 'slow-tsk'; }, [['$.timeline[1].do', 'scenario.actionUnknown']]],
    ['atMs past the end', (d) => { entry(d, 2).atMs = 5000; }, [['$.timeline[2].atMs', 'scenario.atMs']]],
    ['atMs not whole', (d) => { entry(d, 1).atMs = 1.5; }, [['$.timeline[1].atMs', 'scenario.atMs']]],
    ['out of order', (d) => { entry(d, 1).atMs = 3000; }, [['$.timeline[2].atMs', 'scenario.order']]],
    ['field of another action', (d) => { entry(d, 1).taskManager = 1; }, [['$.timeline[1].taskManager', 'scenario.unknownField']]],
    ['missing subtask', (d) => { delete entry(d, 1).subtask; }, [['$.timeline[1].subtask', 'scenario.missingField']]],
    ['zero factor', (d) => { entry(d, 1).factor = 0; }, [['$.timeline[1].factor', 'scenario.numberRange']]],
    ['note without text', (d) => { delete entry(d, 0).text; }, [['$.timeline[0].text', 'scenario.missingField']]],
    ['blank text', (d) => { entry(d, 0).text = '  '; }, [['$.timeline[0].text', 'scenario.empty']]],
    ['bad selection', (d) => { entry(d, 2).selection = 'backlg'; }, [['$.timeline[2].selection', 'scenario.enum']]],
    ['unknown operator', (d) => { entry(d, 1).operator = 'wrk'; }, [['$.timeline[1].operator', 'scenario.unknownOperator']]],
    ['subtask out of range', (d) => { entry(d, 1).subtask = 2; }, [['$.timeline[1].subtask', 'scenario.subtaskRange']]],
    ['unknown edge', (d) => { entry(d, 2).edge = 'src->out'; }, [['$.timeline[2].edge', 'scenario.unknownEdge']]],
    ['taskManager out of range', (d) => { (d.timeline as unknown[]).push({ atMs: 3000, do: 'kill-taskmanager', taskManager: 2 }); }, [['$.timeline[3].taskManager', 'scenario.taskManagerRange']]],
    ['drain of a TaskManager out of range', (d) => { (d.timeline as unknown[]).push({ atMs: 3000, do: 'drain-taskmanager', taskManager: 2 }); }, [['$.timeline[3].taskManager', 'scenario.taskManagerRange']]],
    ['undrain without a TaskManager', (d) => { (d.timeline as unknown[]).push({ atMs: 3000, do: 'undrain-taskmanager' }); }, [['$.timeline[3].taskManager', 'scenario.missingField']]],
    ['region out of range', (d) => { (d.timeline as unknown[]).push({ atMs: 3000, do: 'fail-checkpoint', region: 2 }); }, [['$.timeline[3].region', 'scenario.regionRange']]],
    ['rescale without operator', (d) => { (d.timeline as unknown[]).push({ atMs: 3000, do: 'rescale', parallelism: 4 }); }, [['$.timeline[3].operator', 'scenario.missingField']]],
    ['expect missing', (d) => { delete d.expect; }, [['$.expect', 'scenario.missingField']]],
    ['unknown expectation', (d) => { at(d, 'expect').exactlyOnse = true; }, [['$.expect.exactlyOnse', 'scenario.unknownField']]],
    ['window past the end', (d) => { (at(at(d, 'expect'), 'throughputRatio').after as Record<string, unknown>).toMs = 9000; }, [['$.expect.throughputRatio.after', 'scenario.window']]],
    ['window reversed', (d) => { at(at(d, 'expect'), 'throughputRatio').before = { fromMs: 1000, toMs: 0 }; }, [['$.expect.throughputRatio.before', 'scenario.window']]],
    ['ratio without bound', (d) => { delete at(at(d, 'expect'), 'throughputRatio').atLeast; }, [['$.expect.throughputRatio', 'scenario.boundEmpty']]],
    ['equals with a range', (d) => { (at(d, 'expect').sink as Record<string, unknown>[])[0]!.equals = 3; }, [['$.expect.sink[0]', 'scenario.boundEquals']]],
    ['bounds crossed', (d) => { at(d, 'expect').recordsLost = [{ atLeast: 5, atMost: 2 }]; }, [['$.expect.recordsLost[0]', 'scenario.boundOrder']]],
    ['unknown sink', (d) => { (at(d, 'expect').sink as Record<string, unknown>[])[0]!.sink = 'work'; }, [['$.expect.sink[0].sink', 'scenario.unknownSink']]],
    ['unknown operator in a single expectation', (d) => { at(at(d, 'expect'), 'throughputRatio').operator = 'nope'; }, [['$.expect.throughputRatio.operator', 'scenario.unknownOperator']]],
    ['subtask without operator', (d) => { at(d, 'expect').maxRestarts = { max: 1, subtask: 0 }; }, [['$.expect.maxRestarts', 'scenario.restartsTarget']]],
    ['checkpoints without bounds', (d) => { at(d, 'expect').checkpoints = [{ region: 1 }]; }, [['$.expect.checkpoints[0]', 'scenario.checkpointsEmpty']]],
    ['where with an object value', (d) => { (at(d, 'expect').sink as Record<string, unknown>[])[0]!.where = { key: {} }; }, [['$.expect.sink[0].where.key', 'scenario.wrongType']]],
    ['exactlyOnce sinks not a list', (d) => { at(d, 'expect').exactlyOnce = { sinks: 'out' }; }, [['$.expect.exactlyOnce.sinks', 'scenario.wrongType']]],
    ['forbidden key', (d) => { (d.timeline as unknown[])[0] = JSON.parse('{"atMs": 0, "do": "note", "text": "x", "__proto__": {}}'); }, [['$.timeline[0].__proto__', 'scenario.forbiddenKey']]],
  ];

  for (const [label, edit, expected] of cases) {
    it(`reports ${label}`, () => {
      expect(problems(edit)).toEqual(expected);
    });
  }

  it('offers a did-you-mean for close names', () => {
    const doc = valid();
    at(doc, 'run').sead = 3;
    entry(doc, 1).do = 'slow-tsk';
    const messages = validateScenario(doc).errors.map((e) => e.message);
    expect(messages[0]).toMatch(/Did you mean "seed"\?/);
    expect(messages[1]).toMatch(/Did you mean "slow-task"\?/);
  });

  it('reports many problems at once, each at its own path', () => {
    const doc = valid();
    delete doc.name;
    entry(doc, 1).factor = -1;
    at(doc, 'expect').sink = [{ sink: 'out' }];
    expect(validateScenario(doc).errors.map((e) => e.path)).toEqual(['$.name', '$.timeline[1].factor', '$.expect.sink[0]']);
  });

  it('bounds hostile input: a huge timeline is refused as a whole', () => {
    const doc = valid();
    doc.timeline = Array.from({ length: MAX_TIMELINE_ENTRIES + 1 }, () => ({ atMs: 0, do: 'note', text: 'x' }));
    expect(validateScenario(doc).errors.map((e) => [e.path, e.code])).toEqual([['$.timeline', 'scenario.tooMany']]);
  });

  it('never throws on non-objects and exotic input', () => {
    for (const input of [null, 3, 'x', [], undefined]) expect(validateScenario(input).errors[0]?.code).toBe('scenario.notObject');
    const trap = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(validateScenario(trap).errors[0]?.code).toBe('scenario.unreadable');
  });

  it('parses text: syntax errors by line and column, and a size limit before parsing', () => {
    expect(parseScenarioText('{\n  "sluice": }').errors[0]).toMatchObject({ code: 'scenario.syntax', path: '$' });
    expect(parseScenarioText(JSON.stringify(valid())).ok).toBe(true);
    expect(parseScenarioText('x'.repeat(3 * 1024 * 1024)).errors[0]?.code).toBe('scenario.tooLarge');
  });
});

/**
 * Cross-checks of a scenario against its job and run configuration: every operator, subtask,
 * sink, edge, TaskManager and region the timeline or the expectations name must exist. The
 * validator runs them for an inline job; the runner runs them after loading a job by path.
 */
import { show } from '../job/errors';
import { childPath } from '../job/issues';
import { isObject, own } from '../job/shape';
import { edgeId, type JobGraph } from '../job/types';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import type { RunConfig } from '../runtime/runConfig';
import type { ScenarioIssues } from './errors';
import type { Scenario } from './types';

const LISTED = 8;

function list(values: readonly string[]): string {
  if (values.length === 0) return '(none)';
  const shown = values.slice(0, LISTED).join(', ');
  return values.length > LISTED ? `${shown}, … (${values.length} in all)` : shown;
}

class JobFacts {
  readonly parallelism = new Map<string, number>();
  readonly sinks: string[];
  readonly edges = new Map<string, string>();
  readonly regions: number;

  constructor(job: JobGraph) {
    for (const op of job.operators) this.parallelism.set(op.id, op.parallelism);
    this.sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
    for (const edge of job.edges) this.edges.set(edgeId(edge), edge.partitioner);
    this.regions = divideRegions(job, RUN_REGIONS).length;
  }
}

/**
 * Kinds of `expect` that a document wrote as one object rather than a list, so paths into them
 * read `$.expect.sink.sink` as written, not `$.expect.sink[0].sink`.
 */
export function singleExpectations(doc: unknown): ReadonlySet<string> {
  const kinds = new Set<string>();
  if (!isObject(doc)) return kinds;
  const expect = own(doc, 'expect');
  if (!isObject(expect)) return kinds;
  for (const kind of Object.keys(expect)) if (isObject(expect[kind])) kinds.add(kind);
  return kinds;
}

/**
 * Reports every reference of `scenario` that `job` and `config` do not have. `singles`: see
 * {@link singleExpectations}.
 */
export function crossCheck(
  issues: ScenarioIssues, scenario: Pick<Scenario, 'timeline' | 'expect'>, job: JobGraph, config: RunConfig,
  singles: ReadonlySet<string> = new Set(),
): void {
  const facts = new JobFacts(job);
  const operators = [...facts.parallelism.keys()];
  const at = (path: string, where: string) => ({
    operator(id: string, key = 'operator'): boolean {
      if (facts.parallelism.has(id)) return true;
      issues.add('scenario.unknownOperator', childPath(path, key), { where, value: show(id), known: list(operators) });
      return false;
    },
    subtask(id: string, index: number): void {
      const p = facts.parallelism.get(id) as number;
      if (index >= p) issues.add('scenario.subtaskRange', childPath(path, 'subtask'), { where, operator: show(id), last: p - 1, value: index });
    },
    region(region: number): void {
      if (region > facts.regions) issues.add('scenario.regionRange', childPath(path, 'region'), { where, last: facts.regions, value: region });
    },
  });

  scenario.timeline.forEach((entry, i) => {
    const path = `$.timeline[${i}]`;
    const where = `timeline entry ${i} (${entry.do})`;
    const check = at(path, where);
    switch (entry.do) {
      case 'kill-task':
      case 'slow-task':
        if (check.operator(entry.operator)) check.subtask(entry.operator, entry.subtask);
        break;
      case 'rescale':
        if (entry.operator !== null) check.operator(entry.operator);
        break;
      case 'kill-taskmanager':
      case 'drain-taskmanager':
      case 'undrain-taskmanager':
        if (entry.taskManager >= config.taskManagers) {
          issues.add('scenario.taskManagerRange', `${path}.taskManager`, { where, last: config.taskManagers - 1, value: entry.taskManager });
        }
        break;
      case 'fail-checkpoint':
        check.region(entry.region);
        break;
      case 'set-channel-selection':
        if (entry.edge !== undefined) checkEdge(issues, facts, path, where, entry.edge);
        break;
      default:
        break;
    }
  });
  const path = (kind: string, i: number): string => (singles.has(kind) ? `$.expect.${kind}` : `$.expect.${kind}[${i}]`);
  checkExpectations(issues, scenario.expect, facts, at, path);
}

function checkEdge(issues: ScenarioIssues, facts: JobFacts, path: string, where: string, edge: string): void {
  const partitioner = facts.edges.get(edge);
  if (partitioner === undefined) {
    issues.add('scenario.unknownEdge', `${path}.edge`, { where, value: show(edge), known: list([...facts.edges.keys()]) });
  } else if (partitioner !== 'rebalance' && partitioner !== 'rescale') {
    issues.add('scenario.edgeNotBalancing', `${path}.edge`, { where, value: show(edge), partitioner });
  }
}

type At = (path: string, where: string) => {
  operator(id: string, key?: string): boolean;
  subtask(id: string, index: number): void;
  region(region: number): void;
};

function checkExpectations(
  issues: ScenarioIssues, expect: Scenario['expect'], facts: JobFacts, at: At, path: (kind: string, i: number) => string,
): void {
  const sink = (path: string, where: string, id: string): void => {
    if (!facts.sinks.includes(id)) issues.add('scenario.unknownSink', path, { where, value: show(id), known: list(facts.sinks) });
  };
  expect.exactlyOnce?.sinks?.forEach((id, i) => sink(`$.expect.exactlyOnce.sinks[${i}]`, 'expectation "exactlyOnce"', id));
  expect.maxRestarts?.forEach((e, i) => {
    const check = at(path('maxRestarts', i), `expectation "maxRestarts" ${i}`);
    if (e.operator !== undefined && check.operator(e.operator) && e.subtask !== undefined) check.subtask(e.operator, e.subtask);
    if (e.region !== undefined) check.region(e.region);
  });
  expect.checkpoints?.forEach((e, i) => {
    if (e.region !== undefined) at(path('checkpoints', i), `expectation "checkpoints" ${i}`).region(e.region);
  });
  expect.recordsLost?.forEach((e, i) => {
    if (e.operator !== undefined) at(path('recordsLost', i), `expectation "recordsLost" ${i}`).operator(e.operator);
  });
  expect.throughputRatio?.forEach((e, i) => {
    at(path('throughputRatio', i), `expectation "throughputRatio" ${i}`).operator(e.operator);
  });
  expect.sink?.forEach((e, i) => sink(`${path('sink', i)}.sink`, `expectation "sink" ${i}`, e.sink));
}

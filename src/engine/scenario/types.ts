/**
 * The scenario model: the `"sluice": "scenario/1"` file format (DESIGN.md §8, docs/scenarios.md).
 *
 * A scenario is a job, a run configuration, a timeline of faults and narration, and
 * expectations. It is a public contract (gallery files, users' Playwright suites, recorded
 * scenarios): fields may be added; none may be renamed or removed.
 */
import type { JobGraph } from '../job/types';
import type { ChannelSelection, RunConfig } from '../runtime/runConfig';

/** The format version this module reads and writes. */
export const SCENARIO_FORMAT = 'scenario/1';

/** Every timeline action, in the order the docs list them. */
export const TIMELINE_ACTIONS = [
  'kill-task', 'kill-taskmanager', 'kill-jobmanager', 'slow-task', 'fail-checkpoint',
  'coordination-store-down', 'coordination-store-up', 'coordination-store-slow', 'rescale', 'trigger-checkpoint',
  'set-channel-selection', 'note', 'drain-taskmanager', 'undrain-taskmanager',
] as const;

/** A timeline action (`do` of an entry). */
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

/** Fields every timeline entry has. */
interface EntryBase {
  /** Virtual ms since the run started; entries are in non-decreasing order, at most `run.durationMs`. */
  atMs: number;
  /** Narration shown when the entry is applied (required for `note`). */
  text?: string;
}

/** One step of the timeline: a fault, an operation on the run, or narration. */
export type TimelineEntry = EntryBase & (
  | { do: 'kill-task'; operator: string; subtask: number }
  | { do: 'kill-taskmanager'; taskManager: number }
  | { do: 'kill-jobmanager' }
  | { do: 'slow-task'; operator: string; subtask: number; factor: number }
  /** `region` is a region id as `divideRegions` numbers them (1-based). */
  | { do: 'fail-checkpoint'; region: number }
  | { do: 'coordination-store-down' }
  | { do: 'coordination-store-up' }
  /** Every coordination-store call answers `latencyMs` wall ms late (0 restores it). */
  | { do: 'coordination-store-slow'; latencyMs: number }
  /** `operator: null` rescales the whole job. */
  | { do: 'rescale'; operator: string | null; parallelism: number }
  | { do: 'trigger-checkpoint' }
  /** `edge` is an edge id `from->to`; without it, every rebalance and rescale edge. */
  | { do: 'set-channel-selection'; selection: ChannelSelection; edge?: string }
  | { do: 'note'; text: string }
  /** Maintenance drain (cluster/drain.ts): the TaskManager's subtasks move to the others via a stop checkpoint. */
  | { do: 'drain-taskmanager'; taskManager: number }
  /** A drained TaskManager back in service: the job is spread over it again. */
  | { do: 'undrain-taskmanager'; taskManager: number }
);

/** How a scenario is run: RunConfig fields (defaults filled by `resolveRunConfig`) and its length. */
export type ScenarioRun = Partial<RunConfig> & {
  /** Virtual ms the scenario runs for; checks are evaluated then. */
  durationMs: number;
};

/** Bounds on a number: any of the three; `equals` excludes the other two. */
export interface Bound {
  atLeast?: number;
  atMost?: number;
  equals?: number;
}

/** Fields every expectation entry may have. */
interface ExpectationBase {
  /** Name of the check in results; generated from the entry when absent. */
  name?: string;
}

/**
 * Committed output of collect sinks equals that of the failure-free run (same job, config and
 * seed, the timeline without its faults), compared per sink as multisets of records.
 * `match: 'subset'` instead accepts a faulty run that lags: nothing duplicated, nothing the
 * failure-free run did not produce, possibly less.
 */
export interface ExactlyOnceExpectation extends ExpectationBase {
  /** Sinks to compare; default every collect sink. */
  sinks?: string[];
  match?: 'equal' | 'subset';
}

/**
 * Restarts of tasks or regions, at most `max`. With `operator` and `subtask`: that task; with
 * `operator` only: each of its subtasks; with `region`: that region; with neither: each task.
 */
export interface MaxRestartsExpectation extends ExpectationBase {
  max: number;
  operator?: string;
  subtask?: number;
  region?: number;
}

/** Checkpoints completed and/or failed, for one region or (without `region`) the whole job. */
export interface CheckpointsExpectation extends ExpectationBase {
  region?: number;
  completed?: Bound;
  failed?: Bound;
}

/** Records lost by approximate local recovery, in total or for one operator. */
export interface RecordsLostExpectation extends ExpectationBase, Bound {
  operator?: string;
}

/** A stretch of virtual time, `fromMs` < `toMs` ≤ `run.durationMs`. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Records per (virtual) second of an operator in window `after` divided by that in window
 * `before`, bounded by `atLeast`/`atMost`. `measure` defaults to `out` for sources, `in` otherwise.
 */
export interface ThroughputRatioExpectation extends ExpectationBase {
  operator: string;
  measure?: 'in' | 'out';
  before: TimeWindow;
  after: TimeWindow;
  atLeast?: number;
  atMost?: number;
}

/** A record field's value in a sink filter. */
export type FieldFilterValue = string | number | boolean | null;

/**
 * Records of a collect sink: how many were committed (`of: 'committed'`, the default) or
 * written (`'written'`: committed and pending), optionally only those whose fields equal `where`.
 */
export interface SinkExpectation extends ExpectationBase, Bound {
  sink: string;
  of?: 'committed' | 'written';
  where?: Record<string, FieldFilterValue>;
}

/** The `expect` section, normalised: every key but `exactlyOnce` is a list. */
export interface ScenarioExpectations {
  exactlyOnce?: ExactlyOnceExpectation;
  maxRestarts?: MaxRestartsExpectation[];
  checkpoints?: CheckpointsExpectation[];
  recordsLost?: RecordsLostExpectation[];
  throughputRatio?: ThroughputRatioExpectation[];
  sink?: SinkExpectation[];
}

/** The expectation keys, in canonical order. */
export const EXPECTATION_KINDS = ['exactlyOnce', 'maxRestarts', 'checkpoints', 'recordsLost', 'throughputRatio', 'sink'] as const;

/** A validated scenario. `job` is inline (validated) or a path `jobs/<file>.json` under `public/`. */
export interface Scenario {
  sluice: 'scenario/1';
  name: string;
  description?: string;
  job: JobGraph | string;
  run: ScenarioRun;
  timeline: TimelineEntry[];
  expect: ScenarioExpectations;
}

/** One problem found in a scenario file, with its JSON path. */
export interface ScenarioProblem {
  /** JSON path such as `$.timeline[3].subtask`; problems of an inline job are under `$.job`. */
  path: string;
  /** Stable code (`scenario.*`, or a job catalogue code for problems of the inline job). */
  code: string;
  message: string;
  /** Operator or edge id, for problems of the inline job. */
  id?: string;
}

/** What `validateScenario` returns: `scenario` exactly when `ok`. */
export interface ScenarioReport {
  ok: boolean;
  errors: ScenarioProblem[];
  scenario?: Scenario;
}

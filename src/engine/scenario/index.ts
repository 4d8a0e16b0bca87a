/**
 * Scenarios (DESIGN.md §8, docs/scenarios.md): the scenario/1 format, its validator, the
 * runner every host uses, the checks, and recording. Nothing here runs on import.
 */
export * from './types';
export type {
  ActionOutcome, CheckResult, FailedCheck, MaybePromise, RunScenarioOptions, ScenarioCheckpoint, ScenarioCluster,
  ScenarioRecovery, ScenarioResult, ScenarioStartReport,
} from './ports';
export { SCENARIO_ERRORS, formatScenarioError, type ScenarioCode } from './errors';
export {
  MAX_DURATION_MS, MAX_EXPECTATIONS, MAX_SCENARIO_BYTES, MAX_TEXT, MAX_TIMELINE_ENTRIES,
} from './errors';
export { JOB_PATH_PATTERN, RUN_FIELDS, SCENARIO_FIELDS, parseScenarioText, validateScenario } from './validateScenario';
export { ACTION_FIELDS } from './validateTimeline';
export { ScenarioError, runScenario, evaluate, sampleTimes, timelineCheck } from './runScenario';
export { faultOf } from './executeRun';
export type { Baseline, Observed } from './observed';
export { recordScenario, recordedExpectations, entryForFault, type RecordedFault, type RecordedObservations, type RecordingInput } from './recordScenario';
export { canonicalScenario, serializeScenario } from './serializeScenario';

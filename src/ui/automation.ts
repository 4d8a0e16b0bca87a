/**
 * `window.sluice`, the automation API (DESIGN.md §8) for scripts and Playwright suites.
 * What works today is exposed: loading, reading and validating the job, its regions, and
 * running it (start, pause, resume, advance, stop, status, metrics, output, faults, events,
 * trace hash, state lookup by key, the checkpoint inspector and the state processor's scan, JobManager HA status),
 * and resuming a run interrupted by a reload (resumable, resumeSaved, discardSaved), also into
 * an edited job (restorePlan, restoreEdited). The run methods are thin wrappers around the run slice's actions, the same
 * ones the run bar uses. Every method is async and returns plain data (copies, never live
 * state).
 */
import { serializeJob, validateJob, type JobGraph, type ValidationError } from '../engine';
import type { RunConfig } from '../engine/runtime/runConfig';
import type {
  CheckpointsReport, Fault, MetricsSnapshot, RecoveryReport, RunEvent, RunStatus, SinkOutput, StateLookup,
} from '../engine/runtime/telemetry';
import type { EditedRestoreOptions, EditedRestoreReport, RestoreMapping, ResumableRun, StartReport } from '../workers/clusterApi';
import { discardSavedRun, readResumable, readSavedRun } from '../workers/runStore';
import { previewEditedRestore } from '../engine/cluster/restoreEdited';
import type { CheckpointDetail } from '../engine/checkpoint/inspect';
import type { CheckpointMetadataDocument } from '../engine/checkpoint/inspectExport';
import type { StateScanOptions, StateScanPage } from '../engine/cluster/stateScan';
import { jobIdOf } from '../engine/cluster/jobId';
import type { Services } from './app/services';
import type { HaStatusView } from './store/types';
import { regionsOf, validationOf } from './store/derived';
import type { ScenarioResult } from '../engine/scenario';
import { scenarioPlayer } from './scenario/player';
import { fetchScenario } from './scenario/scenarioFiles';
import type { RegionLike } from './model/regionsView';

export interface AutomationReport {
  ok: boolean;
  errors: ValidationError[];
}

export interface SluiceAutomation {
  /** Validates and opens a job; an invalid job changes nothing. */
  loadJob(job: unknown): Promise<AutomationReport>;
  /** The open job as job/1 JSON. */
  getJob(): Promise<JobGraph>;
  /** The validation report of the open job. */
  validate(): Promise<AutomationReport>;
  /** The pipelined regions of the open job; rejects when the job is invalid. */
  regions(): Promise<RegionLike[]>;
  /**
   * Runs the open job (any run before is stopped); resolves when the cluster is up, paused at
   * virtual time 0 if `config.paused`. Settings left out take their defaults, not the run bar's.
   */
  start(config?: Partial<RunConfig>): Promise<StartReport>;
  /**
   * The open job's run saved before a reload or crash (its last completed checkpoint, that
   * checkpoint's virtual time, when it was saved), or null: what the resume offer shows.
   */
  resumable(): Promise<ResumableRun | null>;
  /**
   * Resumes that saved run from its last completed checkpoint (the resume offer's Resume):
   * saved job and config, keyed state and committed output as they were; `paused` and `speed`
   * may be given. Resolves like `start`; refused with code `state.databaseLost` when the
   * browser evicted the job's state.
   */
  resumeSaved(options?: { paused?: boolean; speed?: number | 'max' }): Promise<StartReport>;
  /** Forgets the open job's saved run (the resume offer's Discard). */
  discardSaved(): Promise<void>;
  /**
   * How the open job's operators would take the saved run's state if it were restored into it
   * (the restore dialog's table): per operator `matched` (same stable id), `by-name`, `new`,
   * `dropped` or `ambiguous`, with the refusals and the consents needed; null when nothing is saved.
   */
  restorePlan(): Promise<RestoreMapping | null>;
  /**
   * Restores the open job, edited since its run was saved, from the saved run's last completed
   * checkpoint. `acceptNameMapping` takes the `by-name` rows, `allowNonRestoredState` lets
   * saved state no operator takes go; `paused`, `speed` as for `start`. Resolves like `start`
   * plus `job` (as it runs) and `mapping`; refused with coded errors (`restore.ambiguousName`,
   * `restore.nameMappingNotAccepted`, `restore.nonRestoredState`, `restore.maxParallelismChanged`, …).
   */
  restoreEdited(options?: EditedRestoreOptions): Promise<EditedRestoreReport>;
  pause(): Promise<RunStatus>;
  /** Goes on after a pause (not to be confused with `resumeSaved`). */
  resume(): Promise<RunStatus>;
  /** Runs exactly `ms` of virtual time, then pauses. */
  advance(ms: number): Promise<RunStatus>;
  /** Stops the run, terminates its workers, returns the app to design mode. */
  stop(): Promise<RunStatus>;
  /** `{ state: 'idle' }` when nothing runs. */
  status(): Promise<RunStatus>;
  /** Counts, rates, ratios, channels, TaskManagers, and `state` (backend figures, key groups) once sampled. */
  metrics(): Promise<MetricsSnapshot>;
  output(sinkId: string): Promise<SinkOutput>;
  /**
   * One key's current state in a keyed operator: its key group, subtask, TaskManager and rows
   * (`{ state, namespace, value }`). The key as the job's keyBy produces it: `'7'` and `7` differ.
   * Rejects with a specific message when nothing runs, the operator is unknown or not keyed,
   * or the key's TaskManager is lost.
   */
  lookupState(operatorId: string, key: string | number): Promise<StateLookup>;
  inject(fault: Fault): Promise<void>;
  /** Starts a checkpoint with the next tick (even with periodic ones off); resolves to its id. */
  triggerCheckpoint(): Promise<number>;
  /** The checkpoint history (id, status, per region status, trigger time, duration, size, per subtask figures) and summary. */
  checkpoints(): Promise<CheckpointsReport>;
  /**
   * What a retained checkpoint (default: the latest completed) holds: per operator (id, state
   * id, name), subtask and key group, rows, rows written by it vs re-referenced from earlier
   * checkpoints, source offsets, timers; retained and referenced checkpoint ids. Rejects with
   * a coded message when none completed or the id is no longer retained.
   */
  checkpointDetail(checkpointId?: number): Promise<CheckpointDetail>;
  /** The same as a `"sluice": "checkpoint-metadata/1"` document (the inspector's Export JSON). */
  exportCheckpoint(checkpointId?: number): Promise<CheckpointMetadataDocument>;
  /**
   * A page of every key of a keyed operator's state with its key group now and under
   * `options.maxParallelism` (and owner at `options.parallelism`); pass `cursor` back for the
   * next page (null after the last). `values: false` reads keys only.
   */
  scanState(operatorId: string, options?: StateScanOptions): Promise<StateScanPage>;
  /** Recoveries so far: strategy, attempt, cause, what restarted and from which checkpoint. */
  recoveries(): Promise<RecoveryReport[]>;
  /** Rescales one operator (or the whole job when `operatorId` is null); rejects while rescaling is not available. */
  rescale(operatorId: string | null, parallelism: number): Promise<RunStatus>;
  /** Drains a TaskManager for maintenance (its subtasks move elsewhere via a checkpoint); rejects with the reason when it cannot. */
  drainTaskManager(taskManager: number): Promise<RunStatus>;
  /** Returns a drained TaskManager to service (the job spreads over it again). */
  undrainTaskManager(taskManager: number): Promise<RunStatus>;
  events(): Promise<RunEvent[]>;
  traceHash(): Promise<string>;
  /**
   * JobManager high availability: leader, epoch, whether the coordination store is up, the last
   * snapshot write, snapshot writes, `leaderChanges` (each takeover: epoch, leader, which store
   * it recovered from and why, subtasks kept running), stale commands refused, and `takeovers`
   * with the wall ms each took (kill → successor reconciled). Calls made during a failover wait
   * for the new leader.
   */
  haStatus(): Promise<HaStatusView>;
  /**
   * Runs a scenario (a scenario/1 object, or a gallery path such as
   * `'scenarios/region-failover.json'`) to its end at full speed on the app's run, shown in the
   * Scenario tab, and resolves to its result; the run is left paused at its end. `exactlyOnce`
   * compares with a failure-free run on a second cluster. `options.seed` replays with another
   * seed. Rejects, listing every problem with its JSON path, when the scenario is invalid.
   */
  runScenario(scenario: unknown, options?: { seed?: number }): Promise<ScenarioResult>;
}

declare global {
  interface Window {
    sluice?: SluiceAutomation;
  }
}

function plainReport(report: { ok: boolean; errors: ValidationError[] }): AutomationReport {
  return { ok: report.ok, errors: structuredClone(report.errors) };
}

export function createAutomation(services: Services): SluiceAutomation {
  const job = () => services.store.getState().job;
  const run = () => services.store.getState();
  /** A copy of what the store holds (the live objects never leave). */
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    loadJob: async (input) => {
      const report = validateJob(input);
      if (report.ok && report.job) {
        await services.documents.open(report.job, { libraryId: null, force: true });
      }
      return plainReport(report);
    },
    getJob: async () => JSON.parse(serializeJob(job())) as JobGraph,
    validate: async () => plainReport(validationOf(job())),
    regions: async () => {
      const result = regionsOf(job());
      if (!result.ok) throw new Error(`Cannot compute regions: ${result.reason}`);
      return structuredClone(result.regions);
    },
    start: async (config) => copy(await run().startRun(config ?? {})),
    resumable: async () => readResumable(indexedDB, jobIdOf(job())),
    resumeSaved: async (options) => copy(await run().resumeSavedRun(options ?? {})),
    discardSaved: async () => discardSavedRun(indexedDB, jobIdOf(job())),
    restorePlan: async () => {
      const saved = await readSavedRun(indexedDB, jobIdOf(job()));
      return saved === null ? null : copy(previewEditedRestore(saved, job()));
    },
    restoreEdited: async (options) => copy(await run().restoreEditedRun(options ?? {})),
    pause: async () => copy(await run().pauseRun()),
    resume: async () => copy(await run().resumeRun()),
    advance: async (ms) => copy(await run().advanceRun(ms)),
    stop: async () => copy(await run().stopRun()),
    status: async () => {
      // The cluster's own answer while connected; after a stop or a crash, what the UI shows.
      if (!run().runConnected()) return copy(run().runStatus);
      return copy(await run().queryRun('read the status', (api) => api.status()));
    },
    metrics: async () => {
      const s = run();
      if (!s.runConnected() && s.runMetrics) return copy(s.runMetrics);
      return copy(await s.queryRun('read the metrics', (api) => api.metrics()));
    },
    output: async (sinkId) => copy(await run().queryRun(`read the output of “${sinkId}”`, (api) => api.output(sinkId))),
    lookupState: async (operatorId, key) =>
      copy(await run().queryRun(`look up key ${JSON.stringify(key)} of “${operatorId}”`, (api) => api.lookupState(operatorId, key))),
    inject: async (fault) => run().injectFault(fault),
    triggerCheckpoint: async () => run().queryRun('trigger a checkpoint', (api) => api.triggerCheckpoint()),
    checkpoints: async () => copy(await run().queryRun('read the checkpoints', (api) => api.checkpoints())),
    recoveries: async () => copy(await run().queryRun('read the recoveries', (api) => api.recoveries())),
    checkpointDetail: async (checkpointId) =>
      copy(await run().queryRun(`inspect checkpoint ${checkpointId ?? '(latest)'}`, (api) => api.checkpointDetail(checkpointId))),
    exportCheckpoint: async (checkpointId) =>
      copy(await run().queryRun(`export checkpoint ${checkpointId ?? '(latest)'}`, (api) => api.exportCheckpoint(checkpointId))),
    scanState: async (operatorId, options) =>
      copy(await run().queryRun(`scan the state of “${operatorId}”`, (api) => api.scanState(operatorId, options))),
    rescale: async (operatorId, parallelism) => copy(await run().queryRun('rescale', (api) => api.rescale(operatorId, parallelism))),
    drainTaskManager: async (tm) => copy(await run().queryRun(`drain TaskManager ${tm}`, (api) => api.drainTaskManager(tm))),
    undrainTaskManager: async (tm) => copy(await run().queryRun(`return TaskManager ${tm} to service`, (api) => api.undrainTaskManager(tm))),
    events: async () => {
      const s = run();
      if (!s.runConnected()) return copy([...s.runLog.events]);
      return copy(await s.queryRun('read the events', (api) => api.events()));
    },
    traceHash: async () => run().queryRun('read the trace hash', (api) => api.traceHash()),
    haStatus: async () => copy(await run().runHaStatus()),
    runScenario: async (scenario, options) => {
      let doc = scenario;
      let source = 'window.sluice.runScenario';
      if (typeof scenario === 'string') {
        const report = await fetchScenario(scenario);
        if (!report.ok) throw new Error(`${scenario} cannot run: ${report.errors.map((e) => `${e.path}: ${e.message}`).join(' ')}`);
        doc = report.scenario;
        source = scenario;
      }
      return copy(await scenarioPlayer(services).runNow(doc, source, options?.seed));
    },
  };
}

export function installAutomation(services: Services): void {
  window.sluice = createAutomation(services);
}

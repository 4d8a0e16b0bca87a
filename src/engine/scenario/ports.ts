/**
 * What the scenario runner needs from a cluster and a host, as structural interfaces.
 *
 * The engine may not import the workers' `ClusterApi`, so `ScenarioCluster` names the subset
 * the runner uses; `ClusterApi` (and `Remote<ClusterApi>`) satisfies it as it stands. The
 * optional members arrive with fault tolerance; until a cluster has them, the actions and
 * checks that need them fail with a message naming what is missing.
 */
import type { JobGraph } from '../job/types';
import type { ChannelSelection, RunConfig } from '../runtime/runConfig';
import type { Fault, MetricsSnapshot, RunEvent, RunStatus, SinkOutput } from '../runtime/telemetry';
import type { TimelineEntry } from './types';

/** What `start` resolves with. */
export type ScenarioStartReport =
  | { ok: true; config: RunConfig }
  | { ok: false; errors: readonly { path: string; message: string; code?: string }[] };

/** One checkpoint of the history (`checkpoints()`), as far as scenario checks read it. */
export interface ScenarioCheckpoint {
  id: number;
  /** `completed`, `failed`, or a state before either (`in-progress`). */
  status: string;
  /** Per region (1-based region ids): `completed` or `failed`, for regional checkpoints. */
  regions?: readonly { region: number; status: string }[];
}

/** One recovery the cluster performed (failover or approximate local recovery). */
export interface ScenarioRecovery {
  virtualTimeMs: number;
  /** Subtasks restarted by this recovery. */
  restarted: readonly { operatorId: string; index: number }[];
  /** Records dropped while the restarted tasks were down (approximate local recovery). */
  recordsLost?: number;
  /** Records lost per operator, when the cluster breaks them down. */
  recordsLostByOperator?: Readonly<Record<string, number>>;
}

/** The cluster a scenario drives. */
export interface ScenarioCluster {
  start(job: JobGraph, config?: Partial<RunConfig>): Promise<ScenarioStartReport>;
  /** Runs exactly `ms` of virtual time, then pauses. */
  advance(ms: number): Promise<RunStatus>;
  stop(): Promise<RunStatus>;
  inject(fault: Fault): Promise<void>;
  setChannelSelection(selection: ChannelSelection, edgeId?: string): Promise<void>;
  status(): Promise<RunStatus>;
  metrics(): Promise<MetricsSnapshot>;
  output(sinkId: string): Promise<SinkOutput>;
  events(): Promise<RunEvent[]>;
  traceHash(): Promise<string>;
  /** Rescales one operator, or the whole job when `operatorId` is null (with fault tolerance). */
  rescale?(operatorId: string | null, parallelism: number): Promise<unknown>;
  /** Drains a TaskManager for maintenance (its subtasks move to the others via a stop checkpoint). */
  drainTaskManager?(taskManager: number): Promise<unknown>;
  /** Returns a drained TaskManager to service. */
  undrainTaskManager?(taskManager: number): Promise<unknown>;
  /** Starts a checkpoint now; resolves to its id (with checkpoints). */
  triggerCheckpoint?(): Promise<number>;
  /** Checkpoint history (with checkpoints), as `ClusterApi.checkpoints()` reports it. */
  checkpoints?(): Promise<{ readonly history: readonly ScenarioCheckpoint[] }>;
  /** Recoveries so far (with fault tolerance). */
  recoveries?(): Promise<readonly ScenarioRecovery[]>;
}

/** What happened to one timeline entry. */
export interface ActionOutcome {
  index: number;
  atMs: number;
  do: TimelineEntry['do'];
  applied: boolean;
  /** Why it was not applied, or what it returned (a checkpoint id). */
  message?: string;
}

/** Something the host can wait on; the runner awaits what a callback returns. */
export type MaybePromise = void | Promise<void>;

/** Options of `runScenario`. Callbacks may return promises: the run waits for them (pacing, stepping). */
export interface RunScenarioOptions {
  /**
   * A fresh cluster for the failure-free baseline of `exactlyOnce`. Without it, that check
   * fails saying so.
   */
  baselineCluster?: () => ScenarioCluster | Promise<ScenarioCluster>;
  /** Loads a job given by path (`jobs/<file>.json`); the UI fetches, Node reads a file. */
  loadJob?: (path: string) => Promise<unknown>;
  /** Runs with this seed instead of `run.seed` (replaying a failure, sweeping seeds). */
  seed?: number;
  /** Longest single `advance`, in virtual ms, so progress is reported often (default 1000). */
  progressStepMs?: number;
  /** Narration: a `note`, or the `text` of any entry, as it is applied. */
  onNote?: (text: string, entry: TimelineEntry, index: number) => MaybePromise;
  /** Virtual time reached, after every advance. */
  onProgress?: (virtualMs: number, durationMs: number) => MaybePromise;
  /** An entry was applied (or refused; see `outcome.applied`). */
  onAction?: (entry: TimelineEntry, outcome: ActionOutcome) => MaybePromise;
  /** Set `aborted` to stop between steps; the run is stopped and the result says so. */
  signal?: { readonly aborted: boolean };
}

/** One evaluated check. `expected` and `actual` are short human phrases; `measured` the number behind `actual`. */
export interface CheckResult {
  name: string;
  passed: boolean;
  expected: string;
  actual: string;
  measured?: number;
  detail?: string;
}

/** The first failing check, with what is needed to replay it. */
export interface FailedCheck {
  name: string;
  expected: string;
  actual: string;
  seed: number;
  scenario: string;
  /** One line saying how to replay it in the UI or through the automation API. */
  replay: string;
}

/** What `runScenario` resolves to. */
export interface ScenarioResult {
  scenario: string;
  passed: boolean;
  checks: CheckResult[];
  traceHash: string;
  virtualTimeMs: number;
  seed: number;
  /** The run's state at the end (`paused` when it ran to its end, `failed`, `finished`). */
  state: RunStatus['state'];
  actions: ActionOutcome[];
  failedCheck?: FailedCheck;
}

/**
 * The control plane between the UI and the running cluster: the one API the main thread holds
 * as comlink's `Remote<ClusterApi>` (STYLE.md habit 7). Declared once, here; the UI imports
 * only these types. Every method is async and returns plain data.
 */
import type { JobGraph } from '../engine/job/types';
import type { RunConfig, RunConfigProblem } from '../engine/runtime/runConfig';
import type {
  CheckpointsReport, Fault, MetricsSnapshot, RecoveryReport, RunEvent, RunStatus, SinkOutput, StateLookup, TelemetryFrame,
} from '../engine/runtime/telemetry';
import type { ChannelSelection } from '../engine/runtime/runConfig';
import type { ResumableRun } from '../engine/cluster/resume';
import type { EditedRestoreOptions } from '../engine/cluster/restoreEdited';
import type { EditedRestoreReport } from '../engine/cluster/restoreEditedRun';
import type { CheckpointDetail } from '../engine/checkpoint/inspect';
import type { CheckpointMetadataDocument } from '../engine/checkpoint/inspectExport';
import type { StateScanOptions, StateScanPage } from '../engine/cluster/stateScan';
import type { HaStatus } from '../engine/cluster/HaController';

export type { ResumableRun } from '../engine/cluster/resume';
export type { EditedRestoreOptions, RestoreMapping, RestoreMappingRow, RestoreOutcome } from '../engine/cluster/restoreEdited';
export type { EditedRestoreReport } from '../engine/cluster/restoreEditedRun';
export type { HaStatus } from '../engine/cluster/HaController';
export type { LeaderChange } from '../engine/ha/types';

export type StartReport =
  | { ok: true; config: RunConfig }
  | { ok: false; errors: (RunConfigProblem & { code?: string })[] };

export interface ClusterApi {
  /** Validates job and config, starts the workers; resolves when the cluster is up (paused at 0 if `config.paused`). */
  start(job: JobGraph, config?: Partial<RunConfig>): Promise<StartReport>;
  pause(): Promise<RunStatus>;
  resume(): Promise<RunStatus>;
  /** Runs exactly `ms` of virtual time, then pauses; resolves with the status then. */
  advance(ms: number): Promise<RunStatus>;
  /** Stops the run and terminates its workers. */
  stop(): Promise<RunStatus>;
  setSpeed(speed: number | 'max'): Promise<void>;
  setChannelSelection(selection: ChannelSelection, edgeId?: string): Promise<void>;
  status(): Promise<RunStatus>;
  metrics(): Promise<MetricsSnapshot>;
  output(sinkId: string): Promise<SinkOutput>;
  inject(fault: Fault): Promise<void>;
  events(): Promise<RunEvent[]>;
  traceHash(): Promise<string>;
  /**
   * The current state of one key of a keyed operator (State panel lookup): its key group, the
   * subtask and TaskManager owning it, and its rows over all the operator's states. `key` is
   * matched as the job's keyBy produces it (a number key only matches numbers).
   *
   * @throws Error with a specific message when no run is active or the operator is not keyed.
   */
  lookupState(operatorId: string, key: string | number): Promise<StateLookup>;
  /**
   * Starts a checkpoint at the next tick (even with periodic checkpoints off); resolves to its id.
   *
   * @throws Error when no run is active or a checkpoint is already in flight.
   */
  triggerCheckpoint(): Promise<number>;
  /** The checkpoint history with Flink-like statistics. */
  checkpoints(): Promise<CheckpointsReport>;
  /**
   * What a retained checkpoint (default: the latest completed) holds, per operator (id ↔ name),
   * subtask and key group: rows, rows written vs re-referenced from earlier checkpoints,
   * source offsets, timers; plus which checkpoints are retained and referenced.
   *
   * @throws Error with a code (`inspect.noRun`, `inspect.noCheckpoint`, `inspect.unknownCheckpoint`).
   */
  checkpointDetail(checkpointId?: number): Promise<CheckpointDetail>;
  /** The same checkpoint's metadata as a `"sluice": "checkpoint-metadata/1"` JSON document. */
  exportCheckpoint(checkpointId?: number): Promise<CheckpointMetadataDocument>;
  /**
   * A page of every key of a keyed operator's state (values as stored, or keys only), with each
   * key's key group now and under `options.maxParallelism`, and its subtask at
   * `options.parallelism`; pass the page's `cursor` back for the next one.
   *
   * @throws Error with a code (`state.scan.*`) when nothing runs, the operator is not keyed,
   * an option is out of range or a TaskManager is lost.
   */
  scanState(operatorId: string, options?: StateScanOptions): Promise<StateScanPage>;
  /** Recoveries so far, oldest first. */
  recoveries(): Promise<RecoveryReport[]>;
  /**
   * Rescales one operator (or every operator when `operatorId` is null) to `parallelism`:
   * stop with a checkpoint, reassign key-group ranges, restore. Resolves once the job runs
   * again at the new parallelism.
   */
  rescale(operatorId: string | null, parallelism: number): Promise<RunStatus>;
  /**
   * Drains TaskManager `taskManager` for maintenance: stop with a checkpoint, redeploy its
   * subtasks on the other TaskManagers (same parallelism), restore; it stays up, idle. Rejects
   * with a coded reason (e.g. `drain.notEnoughSlots`, saying how many slots are needed and free).
   */
  drainTaskManager(taskManager: number): Promise<RunStatus>;
  /** Returns a drained TaskManager to service: the job is spread evenly again, the same way. */
  undrainTaskManager(taskManager: number): Promise<RunStatus>;
  /**
   * The newest run saved for a resume after reload (of `jobId` when given): job name, the last
   * completed checkpoint, its virtual time and when it was saved; null when there is none.
   */
  resumable(jobId?: string): Promise<ResumableRun | null>;
  /**
   * Resumes the saved run (of `jobId`, else the newest) from its last completed checkpoint,
   * with its saved job and config (`overrides` may change pacing only): keyed state from the
   * job's state database (not cleared), sources from their offsets, sinks from their committed
   * transactions, committed output as before; the clock and checkpoint ids go on. Resolves
   * like `start`; refused with code `state.databaseLost` when the state database is gone.
   */
  resumeSaved(jobId?: string, overrides?: { paused?: boolean; speed?: number | 'max' }): Promise<StartReport>;
  /**
   * Restores `job`, an edited version of the job of saved run `jobId`, from that run's last
   * completed checkpoint: operators matched by stable id, by unique name with
   * `acceptNameMapping`, saved state no operator takes dropped only with
   * `allowNonRestoredState`; parallelism changes restore like a rescale. Resolves like `start`
   * plus the job that runs and the id ↔ name mapping; a refusal lists why, with the mapping.
   */
  restoreEdited(jobId: string, job: JobGraph, options?: EditedRestoreOptions): Promise<EditedRestoreReport>;
  /** Forgets a job's saved run (the next start of it is fresh anyway). */
  discardSaved(jobId: string): Promise<void>;
  /**
   * JobManager high availability: leader and epoch, whether the coordination store is up, the
   * last snapshot write, snapshot writes, leader changes (which store each takeover recovered
   * from and why), and stale commands refused (fencing).
   */
  haStatus(): Promise<HaStatus>;
  /**
   * After a JobManager failover: the `advance` the dead leader was running, continued by this
   * one to the same virtual time; the status when none was running.
   */
  continueAdvance(): Promise<RunStatus>;
  /** Telemetry frames, coalesced to at most 10 per wall second, until `stop()`. */
  subscribe(onFrame: (frame: TelemetryFrame) => void): Promise<void>;
}

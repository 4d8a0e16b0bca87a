/**
 * RunConfig (DESIGN.md §8): how a job is run. Public contract: fields are added, never renamed.
 * `resolveRunConfig` fills defaults and reports every impossible setting with its JSON path,
 * the same way job validation does, so `start(config)` can refuse with a clear message.
 */
import { MAX_SLOTS_PER_TASK_MANAGER, MAX_TASK_MANAGERS } from '../plan/slots';

export type StateBackendKind = 'idb' | 'memory';
export type CheckpointMode = 'global' | 'regional';
export type CheckpointType = 'full' | 'incremental';
export type FailoverStrategy = 'full' | 'region' | 'approximate';
export type ChannelSelection = 'round-robin' | 'backlog';

export interface RunConfig {
  /** Seed of the run's PRNG: same job + config + seed + faults → same output and trace hash. */
  seed: number;
  taskManagers: number;
  slotsPerTaskManager: number;
  stateBackend: StateBackendKind;
  /**
   * Virtual ms between periodic checkpoints; 0 turns them off (manual `triggerCheckpoint()`
   * still works). Default 2000, where Flink's default is off: Sluice is a teaching tool, and
   * its `collect` sinks commit per checkpoint (two-phase commit), so without checkpoints an
   * unbounded job would never show committed output.
   */
  checkpointIntervalMs: number;
  /** `global` fails a checkpoint on any failure (Flink); `regional` tracks it per pipelined region. */
  checkpointMode: CheckpointMode;
  checkpointType: CheckpointType;
  /** Virtual ms a checkpoint (regional: a region of one) may take before it expires. */
  checkpointTimeoutMs: number;
  /** Least virtual ms between the end of one checkpoint and the next periodic trigger. */
  minPauseBetweenCheckpointsMs: number;
  /** Counted checkpoint failures in a row tolerated before the job fails (Flink's default 0). */
  tolerableCheckpointFailures: number;
  /** Regional mode: a checkpoint fails as a whole once this fraction of regions failed it, in (0, 1]. */
  regionalFailureThreshold: number;
  /** What restarts after a failure: everything, the failed task's region, or only the failed task. */
  failover: FailoverStrategy;
  /** Restarts allowed over the run (fixed-delay restart strategy); 0: the first failure fails the job. */
  restartAttempts: number;
  /** Virtual ms between a failure and its restart. */
  restartDelayMs: number;
  channelSelection: ChannelSelection;
  /** Virtual ms per wall ms (0.05 = slow motion, 1 = real time), or 'max' for as fast as possible. */
  speed: number | 'max';
  /** Start paused at virtual time 0. */
  paused: boolean;
  /** Virtual ms per tick of the bulk-synchronous protocol (DESIGN.md §3). */
  tickMs: number;
  /**
   * Multiplies every operator's virtual cost per record (operators/costModel.ts). 1 is the
   * teaching scale, where the example jobs keep subtasks 10–60 % busy; benchmarks use a tiny
   * scale so virtual time is cheap and wall-clock throughput is what they measure.
   */
  costScale: number;
  /**
   * Operator chaining (plan/chaining.ts, Flink's default): operators joined by a `forward`
   * edge of equal parallelism, the upstream with one output and the downstream with one input
   * (and not keyed), run in one task per subtask index, by direct calls instead of the network.
   */
  chaining: boolean;
  /**
   * TaskManagers drained for maintenance (cluster/drain.ts; Flink's blocklist): they stay up
   * and idle, and no subtask is placed on them. Absent or empty: none. `drainTaskManager`
   * adds to it during a run; set it at start to begin with a TaskManager out of service.
   */
  drainedTaskManagers?: number[];
}

export const DEFAULT_RUN_CONFIG: Readonly<RunConfig> = {
  seed: 1,
  taskManagers: 2,
  slotsPerTaskManager: 4,
  stateBackend: 'idb',
  checkpointIntervalMs: 2_000,
  checkpointMode: 'global',
  checkpointType: 'incremental',
  checkpointTimeoutMs: 60_000,
  minPauseBetweenCheckpointsMs: 0,
  tolerableCheckpointFailures: 0,
  regionalFailureThreshold: 0.5,
  failover: 'region',
  restartAttempts: 3,
  restartDelayMs: 1_000,
  channelSelection: 'round-robin',
  speed: 1,
  paused: false,
  tickMs: 10,
  costScale: 1,
  chaining: true,
};

export const MAX_SPEED = 1_000;
export const MIN_SPEED = 0.01;
export const MIN_COST_SCALE = 0.000_001;
export const MAX_COST_SCALE = 1_000;

export interface RunConfigProblem {
  path: string;
  message: string;
}

export type RunConfigResult = { ok: true; config: RunConfig } | { ok: false; errors: RunConfigProblem[] };

type Check = (value: unknown) => string | null;

const oneOf = (options: readonly string[]): Check => (v) =>
  typeof v === 'string' && options.includes(v) ? null : `must be one of ${options.map((o) => `"${o}"`).join(', ')}`;

const intIn = (min: number, max: number): Check => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be a whole number from ${min} to ${max}`;

const CHECKS: Record<keyof RunConfig, Check> = {
  seed: intIn(0, 2 ** 32 - 1),
  taskManagers: intIn(1, MAX_TASK_MANAGERS),
  slotsPerTaskManager: intIn(1, MAX_SLOTS_PER_TASK_MANAGER),
  stateBackend: oneOf(['idb', 'memory']),
  checkpointIntervalMs: (v) => (v === 0 ? null : intIn(100, 3_600_000)(v) && 'must be 0 (off) or a whole number of ms from 100 to 3600000'),
  checkpointMode: oneOf(['global', 'regional']),
  checkpointType: oneOf(['full', 'incremental']),
  checkpointTimeoutMs: intIn(10, 3_600_000),
  minPauseBetweenCheckpointsMs: intIn(0, 3_600_000),
  tolerableCheckpointFailures: intIn(0, 1_000),
  regionalFailureThreshold: (v) => (typeof v === 'number' && v > 0 && v <= 1
    ? null : 'must be a fraction greater than 0 and at most 1 (1: only "every region failed" fails a checkpoint)'),
  failover: oneOf(['full', 'region', 'approximate']),
  restartAttempts: intIn(0, 1_000),
  restartDelayMs: intIn(0, 3_600_000),
  channelSelection: oneOf(['round-robin', 'backlog']),
  speed: (v) => (v === 'max' || (typeof v === 'number' && v >= MIN_SPEED && v <= MAX_SPEED)
    ? null : `must be "max" or a number from ${MIN_SPEED} to ${MAX_SPEED}`),
  paused: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  tickMs: intIn(1, 1_000),
  costScale: (v) => (typeof v === 'number' && v >= MIN_COST_SCALE && v <= MAX_COST_SCALE
    ? null : `must be a number from ${MIN_COST_SCALE} to ${MAX_COST_SCALE}`),
  chaining: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  drainedTaskManagers: (v) => (Array.isArray(v) && v.every((tm, i) => Number.isInteger(tm) && tm >= 0 && tm < MAX_TASK_MANAGERS && v.indexOf(tm) === i)
    ? null : `must be a list of distinct TaskManager indices from 0 to ${MAX_TASK_MANAGERS - 1}`),
};

/** Fills defaults into a user's RunConfig and reports every impossible or unknown setting. */
export function resolveRunConfig(input: unknown): RunConfigResult {
  if (input === undefined || input === null) return { ok: true, config: { ...DEFAULT_RUN_CONFIG } };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '$', message: 'The run configuration must be an object such as { "seed": 7 }.' }] };
  }
  const errors: RunConfigProblem[] = [];
  const config: RunConfig = { ...DEFAULT_RUN_CONFIG };
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, key)) {
      errors.push({ path: `$.${key}`, message: `Unknown setting "${key}". Known settings: ${Object.keys(CHECKS).join(', ')}.` });
      continue;
    }
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const problem = CHECKS[key as keyof RunConfig](value);
    if (problem) errors.push({ path: `$.${key}`, message: `"${key}" ${problem}, not ${JSON.stringify(value) ?? String(value)}.` });
    else (config as unknown as Record<string, unknown>)[key] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

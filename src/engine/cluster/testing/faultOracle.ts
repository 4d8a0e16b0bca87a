/**
 * Test support: the randomised fault-schedule oracle (DESIGN.md §6, STYLE.md habit 10). A small
 * bounded job with keyed state, a multi-input (aligning) subtask and two collect sinks runs
 * under a seeded schedule of kill-task and kill-taskmanager faults, at random ticks (so some
 * land while a checkpoint is in flight), with a given checkpoint mode and failover strategy.
 * Oracles:
 * - committed output equals the failure-free run's, per sink, as multisets: 0 lost, 0 duplicated;
 * - after every restore, every key group of the restored subtask holds exactly the rows it held
 *   when the snapshot restored from was taken (empty for "from the beginning");
 * - region failover restarts nothing outside the regions of the subtasks the faults took down.
 */
import type { JobGraph } from '../../job/types';
import { AGGREGATE_STATE } from '../../operators/runningAggregate';
import { subtaskKey, type SubtaskRef } from '../../plan/executionGraph';
import { divideRegions } from '../../plan/regions';
import { createPrng } from '../../random';
import type { RunConfig } from '../../runtime/runConfig';
import type { Fault } from '../../runtime/telemetry';
import type { StreamRecord } from '../../runtime/types';
import type { KeyedStateBackend } from '../../state/types';
import { LocalCluster } from '../LocalCluster';
import type { CheckpointSabotage } from '../OperatorTask';
import { nodeClock } from './nodeClock';

/** Keyed pipeline (one region: hash and rebalance edges) and a forward pipeline (two regions). */
export const ORACLE_JOB: JobGraph = {
  sluice: 'job/1',
  name: 'Fault oracle',
  operators: [
    { id: 'nums', kind: 'sequence', name: 'Numbers', parallelism: 2, config: { from: 1, to: 1000, ratePerSecond: 200, partitions: 4 } },
    { id: 'count', kind: 'aggregate', name: 'Sum per key', parallelism: 3, config: { fn: 'sum', field: 'value' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 2 },
    { id: 'ticks', kind: 'sequence', name: 'Ticks', parallelism: 2, config: { from: 1, to: 600, ratePerSecond: 200, partitions: 2 } },
    { id: 'tag', kind: 'map', name: 'Tag', parallelism: 2, config: { field: 'value', expr: 'value * 10' } },
    { id: 'out2', kind: 'collect', name: 'Out 2', parallelism: 2 },
  ],
  edges: [
    { from: 'nums', to: 'count', partitioner: 'hash', key: 'key' },
    { from: 'count', to: 'out', partitioner: 'rebalance' },
    { from: 'ticks', to: 'tag', partitioner: 'forward' },
    { from: 'tag', to: 'out2', partitioner: 'forward' },
  ],
};

export const SINKS = ['out', 'out2'] as const;

/** Faults land in the first this-many virtual ms (the failure-free run finishes at about 1600; with restarts, later). */
export const FAULT_WINDOW_MS = 1_300;
export const RUN_LIMIT_MS = 60_000;

export type OracleMode = { checkpointMode: 'global' | 'regional'; failover: 'full' | 'region' };

export const MODES: readonly OracleMode[] = [
  { checkpointMode: 'global', failover: 'full' },
  { checkpointMode: 'global', failover: 'region' },
  { checkpointMode: 'regional', failover: 'full' },
  { checkpointMode: 'regional', failover: 'region' },
];

export const BASE_CONFIG: Partial<RunConfig> = {
  seed: 5, taskManagers: 2, slotsPerTaskManager: 3, stateBackend: 'memory', checkpointIntervalMs: 150,
  restartAttempts: 1_000, restartDelayMs: 40, checkpointTimeoutMs: 5_000, paused: true,
};

/** A seeded schedule of faults, sorted by time. */
export function faultSchedule(seed: number, count: number): { atMs: number; fault: Fault }[] {
  const prng = createPrng(seed).fork('faults');
  const subtasks = ORACLE_JOB.operators.flatMap((op) => Array.from({ length: op.parallelism }, (_, index) => ({ operator: op.id, subtask: index })));
  const schedule = Array.from({ length: count }, () => {
    const atMs = 10 * (5 + prng.nextInt(FAULT_WINDOW_MS / 10 - 5));
    const fault: Fault = prng.next() < 0.7
      ? { kind: 'kill-task', ...(subtasks[prng.nextInt(subtasks.length)] as { operator: string; subtask: number }) }
      : { kind: 'kill-taskmanager', taskManager: prng.nextInt(2) };
    return { atMs, fault };
  });
  return schedule.sort((a, b) => a.atMs - b.atMs);
}

/** Kill-tasks to try when a scheduled fault is refused, rotating with the time. */
function fallbacks(atMs: number): Fault[] {
  const subtasks = ORACLE_JOB.operators.flatMap((op) => Array.from({ length: op.parallelism }, (_, index) => ({ operator: op.id, subtask: index })));
  const shift = (atMs / 10) % subtasks.length;
  return [...subtasks.slice(shift), ...subtasks.slice(0, shift)].map((s): Fault => ({ kind: 'kill-task', ...s }));
}

/** Committed records per sink, as sorted JSON lines. */
export type SinkContents = Record<string, string[]>;

export interface OracleRun {
  finished: boolean;
  state: string;
  committed: SinkContents;
  faultsApplied: number;
  faultsDuringCheckpoint: number;
  recoveries: number;
  checkpointsCompleted: number;
  /** Problems the state and restart oracles found. */
  violations: string[];
}

const line = (r: StreamRecord): string => JSON.stringify(r);

/** Rows of a keyed subtask's aggregate state, by key group (non-empty only). */
function dumpState(backend: KeyedStateBackend): string {
  const { start, end } = backend.keyGroupRange;
  const parts: string[] = [];
  for (let kg = start; kg <= end; kg++) {
    const rows = [...backend.scan(kg, AGGREGATE_STATE)].map(([k, v]) => `${k}=${JSON.stringify(v)}`).sort();
    if (rows.length > 0) parts.push(`${kg}:${rows.join(',')}`);
  }
  return parts.join(';');
}

/** Runs the oracle job under a schedule; `faults` empty gives the failure-free baseline. */
export async function runOracle(mode: OracleMode, faults: readonly { atMs: number; fault: Fault }[], sabotage: CheckpointSabotage = {}): Promise<OracleRun> {
  const snapshots = new Map<string, string>();
  const violations: string[] = [];
  const observer = {
    snapshotted: (ref: SubtaskRef, id: number, backend: KeyedStateBackend) => snapshots.set(`${subtaskKey(ref)}@${id}`, dumpState(backend)),
    restored: (ref: SubtaskRef, id: number, backend: KeyedStateBackend) => {
      const expected = id === 0 ? '' : snapshots.get(`${subtaskKey(ref)}@${id}`);
      const actual = dumpState(backend);
      if (expected !== actual) violations.push(`state of ${subtaskKey(ref)} after restoring checkpoint ${id} differs from its snapshot`);
    },
  };
  const cluster = new LocalCluster({ clock: nodeClock, checkpointTesting: { ...sabotage, observer } });
  const report = await cluster.start(ORACLE_JOB, { ...BASE_CONFIG, ...mode });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  let applied = 0;
  let duringCheckpoint = 0;
  const killed: SubtaskRef[] = [];
  const killedTms = new Set<number>();
  let now = 0;
  for (const { atMs, fault } of faults) {
    if (atMs > now) {
      const status = await cluster.advance(atMs - now);
      now = atMs;
      if (status.state === 'failed' || status.state === 'finished') break;
    }
    // A refused fault (a lost TaskManager, or a subtask on one) is replaced by a kill-task of
    // another subtask, in a fixed order, so every seed applies its count.
    for (const attempt of [fault, ...fallbacks(atMs)]) {
      try {
        await cluster.inject(attempt);
      } catch {
        continue;
      }
      applied++;
      if ((await cluster.checkpoints()).summary.inProgress > 0) duringCheckpoint++;
      if (attempt.kind === 'kill-task') killed.push({ operatorId: attempt.operator, index: attempt.subtask });
      if (attempt.kind === 'kill-taskmanager') killedTms.add(attempt.taskManager);
      break;
    }
  }
  const status = await cluster.advance(RUN_LIMIT_MS - now);
  const committed: SinkContents = {};
  for (const sink of SINKS) committed[sink] = (await cluster.output(sink)).committed.map(line).sort();
  const recoveries = await cluster.recoveries();
  if (mode.failover === 'region') violations.push(...restartsOutside(killed, killedTms, await cluster.events()));
  if (mode.failover === 'full' && recoveries.some((r) => r.restarted.length !== ORACLE_JOB.operators.reduce((n, op) => n + op.parallelism, 0))) {
    violations.push('a full failover did not restart every subtask');
  }
  const checkpoints = await cluster.checkpoints();
  await cluster.stop();
  return {
    finished: status.state === 'finished', state: status.state, committed, faultsApplied: applied, faultsDuringCheckpoint: duringCheckpoint,
    recoveries: recoveries.length, checkpointsCompleted: checkpoints.summary.completed, violations,
  };
}

/** Subtasks restarted although no fault touched their region (region failover). */
function restartsOutside(killed: readonly SubtaskRef[], killedTms: ReadonlySet<number>, events: readonly { kind: string; operatorId?: string; subtask?: number }[]): string[] {
  const regions = divideRegions(ORACLE_JOB);
  const regionOf = new Map<string, number>();
  for (const region of regions) for (const member of region.subtasks) regionOf.set(subtaskKey(member), region.id);
  const touched = new Set(killed.map((ref) => regionOf.get(subtaskKey(ref))));
  // Slots (plan/slots.ts): subtask i of every operator shares slot i, which goes to TaskManager i mod n.
  for (const [key, region] of regionOf) {
    const index = Number(key.slice(key.indexOf('#') + 1));
    if (killedTms.has(index % (BASE_CONFIG.taskManagers as number))) touched.add(region);
  }
  const out: string[] = [];
  for (const event of events) {
    if (event.kind !== 'subtask-restored' || event.operatorId === undefined) continue;
    const key = subtaskKey({ operatorId: event.operatorId, index: event.subtask ?? 0 });
    if (!touched.has(regionOf.get(key))) out.push(`${key} restarted though no fault touched region ${String(regionOf.get(key))}`);
  }
  return out;
}

/** Compares a run with the baseline: what was lost and what duplicated, per sink. */
export function compareOutputs(baseline: SinkContents, run: SinkContents): string[] {
  const problems: string[] = [];
  for (const sink of SINKS) {
    const counts = new Map<string, number>();
    for (const r of baseline[sink] ?? []) counts.set(r, (counts.get(r) ?? 0) + 1);
    let duplicated = 0;
    for (const r of run[sink] ?? []) {
      const left = counts.get(r) ?? 0;
      if (left === 0) duplicated++;
      else counts.set(r, left - 1);
    }
    let lost = 0;
    for (const n of counts.values()) lost += n;
    if (lost > 0 || duplicated > 0) problems.push(`${sink}: ${lost} lost, ${duplicated} duplicated`);
  }
  return problems;
}

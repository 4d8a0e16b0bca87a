/**
 * Test support: the JobManager-kill oracle (issue 8, DESIGN.md §6). The fault oracle's job
 * (testing/faultOracle.ts) runs with checkpoints under a seeded schedule of JobManager kills —
 * at a round boundary, in the middle of a round (TaskManagers hold reports nobody read), or
 * while a checkpoint is being finalised (its last ack in, its snapshot never written) — with
 * the coordination store taken down and brought back in between. Oracles:
 * - at most one leader per epoch, in both stores;
 * - no command of a deposed JobManager accepted (ticks to every TaskManager, HA writes);
 * - every takeover adopts the running tasks: attempts unchanged, nothing restored;
 * - checkpoint ids never go back (every id after a takeover is above every id before it);
 * - a takeover while the coordination store is down recovers from the file store;
 * - committed output equals the failure-free run's: 0 lost, 0 duplicated.
 */
import { MemoryCoordinationStore, MemoryHaStore } from '../../ha/MemoryHaStore';
import type { LeaderEntry, TakeoverSabotage } from '../../ha/types';
import { createPrng } from '../../random';
import type { StreamRecord } from '../../runtime/types';
import type { JobManagerKill } from '../jobManagerFailover';
import { LocalCluster } from '../LocalCluster';
import { BASE_CONFIG, ORACLE_JOB, RUN_LIMIT_MS, SINKS, type OracleMode, type SinkContents } from './faultOracle';
import { nodeClock } from './nodeClock';

/** One step of a schedule. */
export type HaAction =
  | { kind: 'kill-jobmanager'; at: JobManagerKill['at'] }
  | { kind: 'coordination-store-down' }
  | { kind: 'coordination-store-up' }
  | { kind: 'coordination-store-slow'; latencyMs: number };

export interface HaOracleRun {
  state: string;
  committed: SinkContents;
  takeovers: number;
  fromFileStore: number;
  /** Fencing probes tried and accepted (accepted must be 0). */
  staleAttempted: number;
  staleAccepted: number;
  violations: string[];
}

/** Kills land in the first this-many virtual ms, at least {@link KILL_GAP_MS} apart. */
export const KILL_WINDOW_MS = 1_200;
export const KILL_GAP_MS = 60;
const PHASES: JobManagerKill['at'][] = ['round-boundary', 'mid-round', 'finalisation'];

/** A seeded schedule: `kills` JobManager kills at random phases, the coordination store down around some. */
export function haSchedule(seed: number, kills: number): { atMs: number; action: HaAction }[] {
  const prng = createPrng(seed).fork('ha-faults');
  const times = new Set<number>();
  while (times.size < kills) times.add(KILL_GAP_MS * (1 + prng.nextInt(KILL_WINDOW_MS / KILL_GAP_MS - 1)));
  const schedule: { atMs: number; action: HaAction }[] = [];
  let down = false;
  for (const atMs of [...times].sort((a, b) => a - b)) {
    if (prng.next() < 0.35) {
      schedule.push({ atMs: atMs - 20, action: { kind: down ? 'coordination-store-up' : 'coordination-store-down' } });
      down = !down;
    }
    schedule.push({ atMs, action: { kind: 'kill-jobmanager', at: PHASES[prng.nextInt(PHASES.length)] as JobManagerKill['at'] } });
  }
  return schedule;
}

const line = (r: StreamRecord): string => JSON.stringify(r);

/** Runs the oracle job under `schedule` (empty: the failure-free baseline). */
export async function runHaOracle(mode: OracleMode, schedule: readonly { atMs: number; action: HaAction }[], sabotage?: TakeoverSabotage): Promise<HaOracleRun> {
  const coordination = new MemoryCoordinationStore();
  const file = new MemoryHaStore('file');
  const cluster = new LocalCluster({ clock: nodeClock, ha: { coordination, file }, ...(sabotage === undefined ? {} : { haTesting: sabotage }) });
  const report = await cluster.start(ORACLE_JOB, { ...BASE_CONFIG, ...mode });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  const violations: string[] = [];
  let now = 0;
  let takeovers = 0;
  let maxIdBefore = 0;
  for (const { atMs, action } of schedule) {
    // A takeover that took long may have passed the next step's time: it lands now instead.
    const status = atMs > now ? await cluster.advance(atMs - now) : await cluster.status();
    now = Math.max(now, atMs);
    if (status.state !== 'running' && status.state !== 'paused' && status.state !== 'restarting') break;
    if (action.kind !== 'kill-jobmanager') {
      await cluster.inject(action);
      continue;
    }
    const before = await cluster.metrics();
    const restoredBefore = (await cluster.events()).filter((e) => e.kind === 'subtask-restored').length;
    maxIdBefore = Math.max(maxIdBefore, ...(await cluster.checkpoints()).history.map((c) => c.id));
    const down = !coordination.available;
    if (cluster.killJobManager(action.at) !== null) continue;
    // Long enough for the kill to land (a finalising kill waits for the next completion).
    const landed = await advanceUntilTakeover(cluster, takeovers);
    now += landed.advancedMs;
    if (!landed.ok) continue;
    takeovers++;
    const after = await cluster.metrics();
    const ha = await cluster.haStatus();
    const change = ha.leaderChanges[ha.leaderChanges.length - 1];
    const restoredAfter = (await cluster.events()).filter((e) => e.kind === 'subtask-restored').length;
    const attemptsBefore = before.subtasks.map((s) => s.attempt).join(',');
    if (after.subtasks.map((s) => s.attempt).join(',') !== attemptsBefore && restoredAfter === restoredBefore) {
      violations.push(`takeover ${takeovers} (${action.at}) changed attempts without a restore`);
    }
    if (landed.restoredDuring > 0 && !landed.failedUnread) violations.push(`takeover ${takeovers} (${action.at}) restored ${landed.restoredDuring} subtasks`);
    if (down && coordination.available === false && change?.recoveredFrom !== 'file') violations.push(`takeover ${takeovers} with the coordination store down recovered from ${String(change?.recoveredFrom)}`);
    // Rows from before the takeover carry on in the history; ids triggered since must be new.
    const ids = (await cluster.checkpoints()).history.filter((c) => c.triggerMs >= (change?.virtualTimeMs ?? 0)).map((c) => c.id);
    const low = ids.filter((id) => id <= maxIdBefore && id > 0);
    if (low.length > 0) violations.push(`after takeover ${takeovers}, checkpoint ids ${low.join(', ')} are not above ${maxIdBefore}`);
  }
  const probe = await cluster.probeDeposedLeaders();
  const status = await cluster.advance(RUN_LIMIT_MS - now);
  const committed: SinkContents = {};
  for (const sink of SINKS) committed[sink] = (await cluster.output(sink)).committed.map(line).sort();
  violations.push(...leadersPerEpoch([...coordination.grants, ...file.grants]));
  const ha = await cluster.haStatus();
  await cluster.stop();
  return {
    state: status.state, committed, takeovers, fromFileStore: ha.leaderChanges.filter((c) => c.recoveredFrom === 'file').length,
    staleAttempted: probe.attempted, staleAccepted: probe.accepted, violations,
  };
}

/** Advances tick by tick until a new leader took over (or the run ended). */
async function advanceUntilTakeover(cluster: LocalCluster, takeoversSoFar: number): Promise<{ ok: boolean; advancedMs: number; restoredDuring: number; failedUnread: boolean }> {
  const tick = BASE_CONFIG.tickMs ?? 10;
  const restoredAt = (await cluster.events()).filter((e) => e.kind === 'subtask-restored').length;
  for (let advanced = tick; advanced <= 2_000; advanced += tick) {
    const status = await cluster.advance(tick);
    const changes = (await cluster.haStatus()).leaderChanges.length;
    if (changes > takeoversSoFar) {
      const events = await cluster.events();
      const restored = events.filter((e) => e.kind === 'subtask-restored').length - restoredAt;
      return { ok: true, advancedMs: advanced, restoredDuring: restored, failedUnread: events.some((e) => e.kind === 'recovery-started') };
    }
    if (status.state !== 'running' && status.state !== 'paused' && status.state !== 'restarting') return { ok: false, advancedMs: advanced, restoredDuring: 0, failedUnread: false };
  }
  return { ok: false, advancedMs: 2_000, restoredDuring: 0, failedUnread: false };
}

/** Epochs granted to more than one leader. */
function leadersPerEpoch(grants: readonly LeaderEntry[]): string[] {
  const byEpoch = new Map<number, Set<string>>();
  for (const g of grants) byEpoch.set(g.epoch, (byEpoch.get(g.epoch) ?? new Set()).add(g.leader));
  return [...byEpoch].filter(([, leaders]) => leaders.size > 1).map(([epoch, leaders]) => `epoch ${epoch} has leaders ${[...leaders].join(', ')}`);
}

/**
 * Taking over a running job (JobManager failover with reconciliation, seed 2): pure functions
 * from the predecessor's ExecutionGraph snapshot (src/engine/ha) and the TaskManagers' answers
 * to `reconcile` to what the new leader goes on with. Nothing restarts: the TaskManagers kept
 * running their subtasks, and the new leader adopts them as they are.
 */
import { CompletedCheckpointStore } from '../checkpoint/CompletedCheckpointStore';
import type { HaStoreKind, JobManagerSnapshot, TakeoverSabotage } from '../ha/types';
import type { VirtualMs } from '../runtime/types';
import type { CollectSinkSnapshot } from '../operators/collectSink';
import { subtaskKey, type ExecutionGraph } from '../plan/executionGraph';
import type { PeerBatch, ReconciledMessage, ReconciledSink, SubtaskSnapshotHandle, SubtaskTickReport, TaskManagerCommand } from '../runtime/protocol';
import type { FailureInfo, RunEvent } from '../runtime/telemetry';
import type { StreamRecord } from '../runtime/types';
import type { CheckpointTopology } from '../checkpoint/topology';
import { SinkOutputs, type SavedSinkSubtask } from './SinkOutputs';
import type { JobGraph } from '../job/types';

/** What the TaskManagers' answers say, merged in TaskManager order. */
export interface ReconciledFacts {
  /** The last tick every TaskManager ran (they run in lockstep). */
  lastTick: number;
  /** The highest checkpoint id any TaskManager saw. */
  maxCheckpointId: number;
  /** Attempt per subtask in plan order (-1: no TaskManager reported it). */
  attempts: number[];
  /** Subtask reports of unacknowledged ticks, in tick then TaskManager order. */
  subtaskReports: { tick: number; report: SubtaskTickReport }[];
  /** Failures and events the old leader may not have read, in tick order. */
  failures: FailureInfo[];
  events: RunEvent[];
  /** Peer batches of the last tick for the local host to route (empty for worker hosts). */
  outgoing: PeerBatch[];
  staleRejected: number;
  /** A problem that rules out adopting the TaskManagers as they are (the leader then restores instead). */
  problem?: string;
}

/** Merges the answers of every live TaskManager. */
export function reconciledFacts(graph: ExecutionGraph, answers: readonly ReconciledMessage[], sabotage: TakeoverSabotage = {}): ReconciledFacts {
  const sorted = [...answers].sort((a, b) => a.taskManager - b.taskManager);
  const position = new Map(graph.subtasks.map((s, i) => [subtaskKey(s), i]));
  const attempts = new Array<number>(graph.subtasks.length).fill(-1);
  const ticks = new Set(sorted.map((a) => a.lastTick));
  const lastTick = Math.max(-1, ...sorted.map((a) => a.lastTick));
  const facts: ReconciledFacts = {
    lastTick, maxCheckpointId: 0, attempts, subtaskReports: [], failures: [], events: [], outgoing: [], staleRejected: 0,
  };
  if (ticks.size > 1) facts.problem = `the TaskManagers stopped at different ticks (${[...ticks].sort((a, b) => a - b).join(', ')})`;
  for (const answer of sorted) {
    facts.maxCheckpointId = Math.max(facts.maxCheckpointId, answer.maxCheckpointId);
    facts.staleRejected += answer.staleRejected;
    for (const subtask of answer.subtasks) {
      const at = position.get(subtaskKey(subtask));
      if (at !== undefined) attempts[at] = subtask.attempt;
    }
  }
  const reports = sabotage.ignoreUnreadReports === true ? []
    : sorted.flatMap((a) => a.unacknowledged).sort((a, b) => a.tick - b.tick || a.taskManager - b.taskManager);
  for (const report of reports) {
    for (const subtask of report.subtasks) facts.subtaskReports.push({ tick: report.tick, report: subtask });
    facts.failures.push(...report.failures);
    facts.events.push(...report.events);
    if (report.tick === lastTick) facts.outgoing.push(...report.outgoing);
  }
  return facts;
}

/**
 * The collect sinks' output as the new leader shows it: the committed part from the snapshot;
 * transactions a sink committed after the snapshot was written (a notify the old leader sent,
 * whose report it never read) taken from the latest completed checkpoint's sink snapshot and
 * committed; then what each sink subtask holds uncommitted, pending.
 */
export function takenOverSinks(
  job: JobGraph, topology: CheckpointTopology, snapshot: JobManagerSnapshot, answers: readonly ReconciledMessage[], sabotage: TakeoverSabotage = {},
): SinkOutputs {
  const store = new CompletedCheckpointStore<SubtaskSnapshotHandle>(topology, Math.max(1, snapshot.checkpoints.store.completed.length));
  store.importState(snapshot.checkpoints.store);
  const points = new Map(store.restoreAll().map((p) => [subtaskKey(p.subtask), p]));
  const reported = new Map(answers.flatMap((a) => a.sinks).map((s) => [subtaskKey(s), s]));
  const lateCommits = new Map<string, { records: StreamRecord[]; through: number; region?: number }>();
  const sinks = new SinkOutputs(job);
  sinks.importCommitted(withReportedRegions(snapshot.sinks, reported), (sinkId, index, committedThrough, region) => {
    const key = subtaskKey({ operatorId: sinkId, index });
    const whole = reported.get(key);
    // A region-sharable committer reports, and commits, per region (sharedCommitters.ts).
    const sink = region === undefined ? whole : whole?.regions?.find((r) => r.region === region);
    if (sink === undefined) return [];
    let late: StreamRecord[] = [];
    if (sink.committedThrough > committedThrough && sabotage.skipLateCommits !== true) {
      const operator = points.get(key)?.handle?.operator as Partial<CollectSinkSnapshot> | undefined;
      const transactions = region === undefined ? operator?.pendingTransactions : operator?.regions?.find((r) => r.region === region)?.pendingTransactions;
      late = (transactions ?? [])
        .filter((t) => t.checkpointId > committedThrough && t.checkpointId <= sink.committedThrough).flatMap((t) => t.records);
      lateCommits.set(region === undefined ? key : `${key}@${region}`, { records: late, through: sink.committedThrough, ...(region === undefined ? {} : { region }) });
    }
    return [...late, ...sink.pending];
  });
  const withLate = new Set<string>();
  for (const [at, late] of lateCommits) {
    const key = at.split('@')[0] as string;
    const sink = reported.get(key);
    if (sink === undefined) continue;
    withLate.add(key);
    sinks.apply({
      operatorId: sink.operatorId, index: sink.index, written: [], committed: late.records.length, committedThrough: late.through, hash: sink.hash,
      ...(late.region === undefined ? {} : { region: late.region }),
    });
  }
  for (const sink of reported.values()) {
    if (withLate.has(subtaskKey(sink))) continue;
    const region = sink.regions?.[0]?.region;
    sinks.apply({ operatorId: sink.operatorId, index: sink.index, written: [], committed: 0, hash: sink.hash, ...(region === undefined ? {} : { region }) });
  }
  return sinks;
}

/**
 * A takeover's checkpoint commands, per TaskManager: checkpoints the old leader left in flight
 * (ids above the latest completed, up to the highest any TaskManager saw) aborted at every
 * running subtask, so barriers and alignment are released; the latest completion re-sent to
 * sinks that missed it (commits are idempotent by id). Plus the event saying so, if any.
 * `regionsOf` gives a region-sharable committer's per-region commit points for that
 * completion (sharedCommitters.ts `notifyRegions`).
 */
export function takeoverCheckpointCommands(
  latest: number, maxSeen: number, answers: readonly ReconciledMessage[], atMs: VirtualMs,
  regionsOf: (sink: ReconciledSink) => { region: number; snapshotId: number }[] | undefined = () => undefined,
): { commands: Map<number, TaskManagerCommand[]>; event?: RunEvent } {
  const commands = new Map<number, TaskManagerCommand[]>();
  for (const answer of answers) {
    const list: TaskManagerCommand[] = [];
    for (const s of answer.subtasks) {
      if (s.state !== 'running') continue;
      for (let id = latest + 1; id <= maxSeen; id++) list.push({ kind: 'abort-checkpoint', checkpointId: id, operatorId: s.operatorId, subtask: s.index });
    }
    for (const sink of answer.sinks) {
      if (latest <= sink.committedThrough) continue;
      const notify: TaskManagerCommand = { kind: 'notify-checkpoint-complete', checkpointId: latest, operatorId: sink.operatorId, subtask: sink.index };
      const regions = regionsOf(sink);
      if (regions !== undefined) notify.regions = regions;
      list.push(notify);
    }
    commands.set(answer.taskManager, list);
  }
  if (maxSeen <= latest) return { commands };
  const n = maxSeen - latest;
  const ids = n === 1 ? `${maxSeen}` : `${latest + 1}–${maxSeen}`;
  return {
    commands,
    event: { virtualTimeMs: atMs, kind: 'checkpoint-failed', message: `Checkpoint${n === 1 ? '' : 's'} ${ids} failed: the JobManager that triggered ${n === 1 ? 'it' : 'them'} was lost; ids go on from ${maxSeen + 1}.` },
  };
}

/** What a takeover tells the event log: the loss, the election, the reconciliation. */
export function takeoverEvents(
  spec: { lostLeader: string; leader: string; electedBy: HaStoreKind; recoveredFrom: HaStoreKind; reason: string; snapshot: JobManagerSnapshot },
  epoch: number, atMs: VirtualMs, taskManagers: number, kept: number,
): RunEvent[] {
  return [
    { virtualTimeMs: atMs, kind: 'jobmanager-lost', message: `${spec.lostLeader} was lost; its TaskManagers keep running without a leader (last snapshot at ${spec.snapshot.virtualTimeMs} ms).` },
    { virtualTimeMs: atMs, kind: 'leader-elected', message: `${spec.leader} was elected leader with epoch ${epoch} by the ${spec.electedBy} store.` },
    {
      virtualTimeMs: atMs, kind: 'jobmanager-reconciled',
      message: `JobManager ${spec.leader} (epoch ${epoch}) recovered from the ${spec.recoveredFrom} store (${spec.reason}) and reconciled with ${taskManagers} TaskManager${taskManagers === 1 ? '' : 's'}: ${kept} subtasks kept running, none restarted.`,
    },
  ];
}

/**
 * The saved committed output, with every region a shared committer reports listed (a region
 * that had written nothing when the snapshot was taken may hold records now).
 */
function withReportedRegions(saved: Record<string, SavedSinkSubtask[]>, reported: ReadonlyMap<string, ReconciledSink>): Record<string, SavedSinkSubtask[]> {
  const result: Record<string, SavedSinkSubtask[]> = {};
  for (const [sinkId, subtasks] of Object.entries(saved)) {
    result[sinkId] = subtasks.map((entry, index) => {
      const regions = reported.get(subtaskKey({ operatorId: sinkId, index }))?.regions;
      if (regions === undefined) return entry;
      const known = new Set((entry.regions ?? []).map((r) => r.region));
      const added = regions.filter((r) => !known.has(r.region)).map((r) => ({ region: r.region, committedThrough: 0 }));
      return { ...entry, regions: [...(entry.regions ?? []), ...added].sort((a, b) => a.region - b.region) };
    });
  }
  return result;
}

/**
 * Recording: the faults a user clicked during a run (with their virtual times), the job and
 * the run configuration become a scenario/1 document whose expectations say what happened,
 * so replaying it checks that the same thing happens again. A pure function: the host gathers
 * what was observed (outputs, status, recoveries) and passes it in.
 *
 * Recorded bounds are exact (`equals`, `max` as observed): runs are deterministic, so a replay
 * with the same seed must match; loosen them by hand to make a teaching scenario tolerant.
 */
import type { JobGraph } from '../job/types';
import type { ChannelSelection, RunConfig } from '../runtime/runConfig';
import type { Fault, RunStatus } from '../runtime/telemetry';
import type { ScenarioRecovery } from './ports';
import { SCENARIO_FORMAT, type MaxRestartsExpectation, type Scenario, type ScenarioExpectations, type TimelineEntry } from './types';

/** A fault the user injected, at the virtual time it was injected. */
export interface RecordedFault {
  atMs: number;
  fault: Fault;
}

/** What the host saw of the recorded run. */
export interface RecordedObservations {
  /** Counts per collect sink at the end. */
  /**
   * Per collect sink: counts, and how many of the committed records the sink kept (it keeps at
   * most its `keepRecords`); exactly-once is recorded only when every sink kept them all.
   */
  outputs?: Readonly<Record<string, { committedCount: number; pendingCount: number; committedKept?: number }>>;
  status?: RunStatus;
  /** Recoveries, when the cluster reports them. */
  recoveries?: readonly ScenarioRecovery[];
}

/** Everything a recording is made of. */
export interface RecordingInput {
  name: string;
  description?: string;
  /** The job inline, or its gallery path `jobs/<file>.json`. */
  job: JobGraph | string;
  config: Partial<RunConfig>;
  /** How long the recorded run lasted, in virtual ms. */
  durationMs: number;
  faults: readonly RecordedFault[];
  channelSelections?: readonly { atMs: number; selection: ChannelSelection; edge?: string }[];
  notes?: readonly { atMs: number; text: string }[];
  observed?: RecordedObservations;
}

/** The timeline entry for an injected fault. */
export function entryForFault(atMs: number, fault: Fault): TimelineEntry {
  switch (fault.kind) {
    case 'kill-task': return { atMs, do: 'kill-task', operator: fault.operator, subtask: fault.subtask };
    case 'kill-taskmanager': return { atMs, do: 'kill-taskmanager', taskManager: fault.taskManager };
    case 'slow-task': return { atMs, do: 'slow-task', operator: fault.operator, subtask: fault.subtask, factor: fault.factor };
    case 'fail-checkpoint': return { atMs, do: 'fail-checkpoint', region: fault.region };
    case 'kill-jobmanager': return { atMs, do: 'kill-jobmanager' };
    case 'coordination-store-down': return { atMs, do: 'coordination-store-down' };
    case 'coordination-store-up': return { atMs, do: 'coordination-store-up' };
    case 'coordination-store-slow': return { atMs, do: 'coordination-store-slow', latencyMs: fault.latencyMs };
  }
}

/** Builds the scenario; see the module comment. Timeline entries at the same time: notes, then selections, then faults. */
export function recordScenario(input: RecordingInput): Scenario {
  const timeline: TimelineEntry[] = [
    ...(input.notes ?? []).map((n): TimelineEntry => ({ atMs: n.atMs, do: 'note', text: n.text })),
    ...(input.channelSelections ?? []).map((c): TimelineEntry => (c.edge === undefined
      ? { atMs: c.atMs, do: 'set-channel-selection', selection: c.selection }
      : { atMs: c.atMs, do: 'set-channel-selection', selection: c.selection, edge: c.edge })),
    ...input.faults.map((f) => entryForFault(f.atMs, f.fault)),
  ];
  // Array.prototype.sort is stable, so the order above holds among entries at the same time.
  timeline.sort((a, b) => a.atMs - b.atMs);
  const { paused: _paused, ...config } = input.config;
  const scenario: Scenario = {
    sluice: SCENARIO_FORMAT, name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    job: input.job,
    run: { ...config, durationMs: input.durationMs },
    timeline,
    expect: recordedExpectations(input),
  };
  return scenario;
}

/** Expectations from what was observed: sink counts, restarts, records lost, exactly-once. */
export function recordedExpectations(input: RecordingInput): ScenarioExpectations {
  const observed = input.observed ?? {};
  const expect: ScenarioExpectations = {};
  const failed = observed.status?.state === 'failed';
  const outputs = Object.keys(observed.outputs ?? {}).sort();
  let committed = 0;
  /** Every committed record was kept (sinks keep at most `keepRecords`), so outputs can be compared. */
  let allKept = true;
  if (outputs.length > 0) {
    expect.sink = outputs.map((sink) => {
      const counts = (observed.outputs ?? {})[sink] as { committedCount: number; pendingCount: number; committedKept?: number };
      committed += counts.committedCount;
      if (counts.committedKept === undefined || counts.committedKept < counts.committedCount) allKept = false;
      // Before checkpoints commit anything, what was written is the observable outcome.
      return counts.committedCount > 0
        ? { sink, equals: counts.committedCount }
        : { sink, of: 'written' as const, equals: counts.committedCount + counts.pendingCount };
    });
  }
  if (failed) return expect;
  const recoveries = observed.recoveries;
  if (recoveries === undefined) {
    if (input.faults.every((f) => f.fault.kind === 'slow-task')) expect.maxRestarts = [{ max: 0 }];
  } else {
    expect.maxRestarts = restartsObserved(recoveries);
    const lost = recoveries.reduce((n, r) => n + (r.recordsLost ?? 0), 0);
    if (recoveries.some((r) => r.recordsLost !== undefined)) expect.recordsLost = [{ equals: lost }];
  }
  // Recorded runs are cut off at an arbitrary moment: a fault (a kill's restart, a slowed task)
  // leaves the committed output behind the failure-free run's at that moment, never different
  // from it, so the recording checks "nothing duplicated or invented" (subset), not equality.
  // Only when every committed record was kept: otherwise the check could not compare them.
  if (committed > 0 && allKept && input.faults.length > 0) expect.exactlyOnce = { match: 'subset' };
  return expect;
}

function restartsObserved(recoveries: readonly ScenarioRecovery[]): MaxRestartsExpectation[] {
  const counts = new Map<string, { operator: string; subtask: number; max: number }>();
  for (const recovery of recoveries) {
    for (const s of recovery.restarted) {
      const key = `${s.operatorId}#${s.index}`;
      const entry = counts.get(key) ?? { operator: s.operatorId, subtask: s.index, max: 0 };
      entry.max++;
      counts.set(key, entry);
    }
  }
  if (counts.size === 0) return [{ max: 0 }];
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

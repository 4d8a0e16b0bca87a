/**
 * "Save as scenario": the run that is open, with the faults injected during it (from the
 * canvas, the Faults panel, `window.sluice.inject`, or a scenario being played), becomes a
 * scenario/1 whose expectations say what happened (`recordScenario` in the engine).
 *
 * A fault is recorded at the virtual time the UI saw when it was sent: exact while the run is
 * paused (inject, then Step or Resume), within one telemetry frame while it runs. Replaying a
 * recording checks the recorded expectations; play it once before sharing it.
 */
import type { JobGraph } from '../../engine';
import type { RunConfig } from '../../engine/runtime/runConfig';
import type { RunStatus, SinkOutput } from '../../engine/runtime/telemetry';
import { MAX_DURATION_MS, recordScenario, type RecordedFault, type Scenario, type ScenarioRecovery } from '../../engine/scenario';
import type { FaultLogEntry } from '../run/faults/faultLog';

/** What the run slice holds of the run to record. */
export interface RunToRecord {
  job: JobGraph | null;
  config: RunConfig;
  status: RunStatus;
  faults: readonly FaultLogEntry[];
  outputs: Readonly<Record<string, SinkOutput>>;
  recoveries?: readonly ScenarioRecovery[];
}

/** Why the run cannot be recorded yet, or null. */
export function recordBlocker(run: Pick<RunToRecord, 'job' | 'status'>): string | null {
  if (run.job === null) return 'Start a run first: a recording is made of a run and the faults injected into it.';
  if (run.status.virtualTimeMs < 1) return 'Let the run go on for a while first (Step or Resume): a recording needs some virtual time.';
  return null;
}

/** The faults the cluster applied, in the order sent, at whole virtual ms. */
export function appliedFaults(log: readonly FaultLogEntry[], durationMs: number): RecordedFault[] {
  return log
    .filter((e) => e.outcome === 'applied')
    .map((e) => ({ atMs: Math.min(durationMs, Math.max(0, Math.round(e.virtualTimeMs))), fault: e.fault }))
    .sort((a, b) => a.atMs - b.atMs);
}

function keepRecordsOf(config: Readonly<Record<string, unknown>> | undefined): number {
  const keep = config?.keepRecords;
  return typeof keep === 'number' && Number.isFinite(keep) ? keep : 10_000;
}

/** The scenario of the run, named after its job. @throws Error saying why it cannot be recorded. */
export function scenarioFromRun(run: RunToRecord, name?: string): Scenario {
  const blocker = recordBlocker(run);
  if (blocker !== null || run.job === null) throw new Error(blocker ?? 'No run to record.');
  const durationMs = Math.min(MAX_DURATION_MS, Math.max(1, Math.round(run.status.virtualTimeMs)));
  const faults = appliedFaults(run.faults, durationMs);
  const sinks = run.job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
  const outputs: Record<string, { committedCount: number; pendingCount: number; committedKept: number }> = {};
  for (const sink of sinks) {
    const out = run.outputs[sink];
    if (out === undefined) continue;
    // The JobManager keeps a sink's last keepRecords committed records (the catalogue default: 10,000).
    const keep = keepRecordsOf(run.job.operators.find((op) => op.id === sink)?.config);
    outputs[sink] = { committedCount: out.committedCount, pendingCount: out.pendingCount, committedKept: Math.min(out.committedCount, keep) };
  }
  const { paused: _paused, speed: _speed, ...config } = run.config;
  return recordScenario({
    name: name ?? `${run.job.name}: recorded run`,
    description: `Recorded in the Scenario panel: ${faults.length} ${faults.length === 1 ? 'fault' : 'faults'} over ${durationMs} virtual ms.`,
    job: run.job,
    config,
    durationMs,
    faults,
    observed: { outputs, status: run.status, ...(run.recoveries === undefined ? {} : { recoveries: run.recoveries }) },
  });
}

/** File name for an exported scenario: `region-failover.scenario.json`. */
export function scenarioFileName(scenario: Pick<Scenario, 'name'>): string {
  const slug = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `${slug === '' ? 'scenario' : slug}.scenario.json`;
}

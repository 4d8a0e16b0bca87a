/**
 * Checks about what the job produced: `exactlyOnce`, `sink` and `throughputRatio`. Pure
 * functions of what the run observed.
 *
 * `exactlyOnce` compares committed output per sink as multisets of records (canonical JSON),
 * not as sequences: `output()` merges a sink's subtasks, and recovery or rescaling may change
 * which subtask writes a record without breaking exactly-once. Collect sinks keep only their
 * most recent `keepRecords` committed records; when a list was cut, records cannot be compared
 * and the check fails saying which setting to raise, rather than comparing counts only.
 */
import { CATALOGUE } from '../job/catalogue';
import { canonicalJson } from '../runtime/traceHash';
import type { SinkOutput } from '../runtime/telemetry';
import type { StreamRecord } from '../runtime/types';
import type { CheckResult } from './ports';
import { describeBound, round, runFailure, unavailable, withinBound, type Observed } from './observed';
import type { ExactlyOnceExpectation, SinkExpectation, ThroughputRatioExpectation } from './types';

/** The name of the exactlyOnce check. */
export function exactlyOnceName(e: ExactlyOnceExpectation): string {
  return e.name ?? 'exactlyOnce';
}

/** Committed output of each sink equals (or, with `match: 'subset'`, is contained in) the failure-free run's. */
export function checkExactlyOnce(e: ExactlyOnceExpectation, observed: Observed): CheckResult {
  const name = exactlyOnceName(e);
  const subset = e.match === 'subset';
  const expected = subset ? 'committed output within the failure-free run\'s (no duplicates)' : 'committed output equal to the failure-free run\'s';
  const failed = runFailure(observed);
  if (failed !== undefined) return { name, passed: false, expected, actual: failed, detail: 'exactly-once output across failures needs fault tolerance (checkpoints and a failover strategy), which this build does not have' };
  const baseline = observed.baseline;
  if (baseline === undefined || !baseline.ok) return unavailable(name, expected, baseline?.reason ?? 'the failure-free run was not made');
  if (baseline.status.state === 'failed') return unavailable(name, expected, `the failure-free run failed too (${baseline.status.failure?.message ?? 'no cause reported'})`);
  const sinks = e.sinks ?? [...observed.outputs.keys()];
  const baselineCommitted = sinks.reduce((n, id) => n + (baseline.outputs.get(id)?.committedCount ?? 0), 0);
  if (baselineCommitted === 0) {
    return unavailable(name, expected, `nothing to compare: the failure-free run committed no records in ${observed.durationMs} ms; ` +
      'sinks commit on completed checkpoints (which this build does not have) or when a bounded job finishes');
  }
  const summaries: string[] = [];
  for (const id of sinks) {
    const problem = compareSink(id, observed.outputs.get(id), baseline.outputs.get(id), subset);
    if (problem !== undefined) return { name, passed: false, expected, actual: problem.actual, ...(problem.detail === undefined ? {} : { detail: problem.detail }) };
    summaries.push(`${id}: ${observed.outputs.get(id)?.committedCount ?? 0} records`);
  }
  return { name, passed: true, expected, actual: `as expected (${summaries.join('; ')})` };
}

/** Why one sink's committed output breaks the expectation, or undefined. */
function compareSink(id: string, run: SinkOutput | undefined, base: SinkOutput | undefined, subset: boolean): { actual: string; detail?: string } | undefined {
  if (run === undefined || base === undefined) return { actual: `sink ${id} reported no output` };
  for (const [label, output] of [['this run', run], ['the failure-free run', base]] as const) {
    if (output.committed.length < output.committedCount) {
      return {
        actual: `sink ${id} kept ${output.committed.length} of ${output.committedCount} committed records in ${label}`,
        detail: `records can only be compared when all are kept: raise keepRecords of sink ${id} to at least ${Math.max(run.committedCount, base.committedCount)}`,
      };
    }
  }
  const missing = multiset(base.committed);
  let extra = 0;
  let firstExtra: StreamRecord | undefined;
  for (const record of run.committed) {
    const key = canonicalJson(record);
    const left = missing.get(key) ?? 0;
    if (left > 0) missing.set(key, left - 1);
    else if (extra++ === 0) firstExtra = record;
  }
  let absent = 0;
  for (const count of missing.values()) absent += count;
  if (extra > 0) {
    return { actual: `sink ${id}: ${extra} committed records the failure-free run does not have (duplicated or wrong), e.g. ${canonicalJson(firstExtra)}` };
  }
  if (!subset && absent > 0) {
    return { actual: `sink ${id}: ${absent} records of the failure-free run missing (${run.committedCount} committed, ${base.committedCount} expected)` };
  }
  return undefined;
}

function multiset(records: readonly StreamRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = canonicalJson(record);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The name of a sink check: `sink out committed`, `sink out written where {"key":"a"}`. */
export function sinkName(e: SinkExpectation): string {
  if (e.name !== undefined) return e.name;
  return `sink ${e.sink} ${e.of ?? 'committed'}${e.where === undefined ? '' : ` where ${canonicalJson(e.where)}`}`;
}

/** How many records a sink committed (or wrote), optionally those matching `where`. */
export function checkSink(e: SinkExpectation, observed: Observed): CheckResult {
  const name = sinkName(e);
  const expected = `${describeBound(e)} records`;
  const output = observed.outputs.get(e.sink);
  if (output === undefined) return unavailable(name, expected, `sink ${e.sink} reported no output`);
  const written = e.of === 'written';
  const total = output.committedCount + (written ? output.pendingCount : 0);
  const withDetail = (result: CheckResult): CheckResult => {
    const failed = runFailure(observed);
    return failed === undefined || result.passed ? result : { ...result, detail: [result.detail, failed].filter(Boolean).join('; ') };
  };
  if (e.where === undefined) return withDetail({ name, passed: withinBound(total, e), expected, actual: `${total} records`, measured: total });
  const where = e.where;
  const kept = written ? [...output.committed, ...output.pending] : output.committed;
  const matched = kept.filter((record) => Object.keys(where).every((field) => record[field] === where[field])).length;
  if (kept.length >= total) return withDetail({ name, passed: withinBound(matched, e), expected, actual: `${matched} records`, measured: matched });
  // Some records were not kept: `matched` is a lower bound, which settles only "at least".
  const cut = `sink ${e.sink} kept ${kept.length} of ${total} records; raise its keepRecords to count all matches`;
  if (e.atMost === undefined && e.equals === undefined && withinBound(matched, e)) {
    return { name, passed: true, expected, actual: `at least ${matched} records`, measured: matched };
  }
  return unavailable(name, expected, cut);
}

/** The name of a throughput check: `throughputRatio work in 6000–8000 / 1000–3000 ms`. */
export function throughputName(e: ThroughputRatioExpectation, measure: 'in' | 'out'): string {
  return e.name ?? `throughputRatio ${e.operator} ${measure} ${e.after.fromMs}–${e.after.toMs} / ${e.before.fromMs}–${e.before.toMs} ms`;
}

/** Which counter a throughput check reads: as given, else `out` for sources and `in` otherwise. */
export function throughputMeasure(e: ThroughputRatioExpectation, observed: Pick<Observed, 'job'>): 'in' | 'out' {
  if (e.measure !== undefined) return e.measure;
  const op = observed.job.operators.find((o) => o.id === e.operator);
  return op !== undefined && CATALOGUE[op.kind].category === 'source' ? 'out' : 'in';
}

/** Records per virtual second of the operator in `after`, divided by that in `before`. */
export function checkThroughputRatio(e: ThroughputRatioExpectation, observed: Observed): CheckResult {
  const measure = throughputMeasure(e, observed);
  const name = throughputName(e, measure);
  const parts: string[] = [];
  if (e.atLeast !== undefined) parts.push(`≥ ${e.atLeast}`);
  if (e.atMost !== undefined) parts.push(`≤ ${e.atMost}`);
  const expected = `ratio ${parts.join(' and ')}`;
  const count = (ms: number): number | undefined => {
    const op = observed.samples.get(ms)?.operators.find((o) => o.operatorId === e.operator);
    if (op === undefined) return undefined;
    return measure === 'in' ? op.recordsIn : op.recordsOut;
  };
  const rate = (w: { fromMs: number; toMs: number }): number | undefined => {
    const from = count(w.fromMs);
    const to = count(w.toMs);
    return from === undefined || to === undefined ? undefined : ((to - from) * 1000) / (w.toMs - w.fromMs);
  };
  const before = rate(e.before);
  const after = rate(e.after);
  if (before === undefined || after === undefined) return unavailable(name, expected, `the metrics of ${e.operator} were not sampled at the window edges`);
  const rates = `${round(after)} records/s after, ${round(before)} before`;
  if (before === 0) return { name, passed: false, expected, actual: `no records in the before window (${rates})`, detail: runFailure(observed) ?? 'the ratio is undefined' };
  const ratio = after / before;
  const passed = (e.atLeast === undefined || ratio >= e.atLeast) && (e.atMost === undefined || ratio <= e.atMost);
  const result: CheckResult = { name, passed, expected, actual: `ratio ${round(ratio)} (${rates})`, measured: round(ratio) };
  const failed = runFailure(observed);
  if (!passed && failed !== undefined) result.detail = failed;
  return result;
}

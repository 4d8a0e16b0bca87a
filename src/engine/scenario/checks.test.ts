/**
 * The checks as pure functions of observed facts, including the paths that only a cluster
 * with fault tolerance exercises (recovery reports, checkpoint history), so they are ready
 * when it lands.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import type { SinkOutput } from '../runtime/telemetry';
import type { Observed } from './observed';
import { checkExactlyOnce, checkSink } from './outputChecks';
import { checkCheckpoints, checkMaxRestarts, checkRecordsLost } from './recoveryChecks';

const JOB: JobGraph = {
  sluice: 'job/1', name: 'Pipeline',
  operators: [
    { id: 'src', kind: 'sequence', name: 'Src', parallelism: 2 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 2 },
  ],
  edges: [{ from: 'src', to: 'out', partitioner: 'forward' }],
};

const sink = (committed: object[], pending: object[] = [], committedCount = committed.length): SinkOutput => ({
  committed: committed as SinkOutput['committed'], pending: pending as SinkOutput['pending'], committedCount, pendingCount: pending.length,
});

function observed(extra: Partial<Observed> = {}): Observed {
  return {
    job: JOB, durationMs: 5000, status: { state: 'paused', virtualTimeMs: 5000 }, events: [],
    outputs: new Map([['out', sink([{ k: 'a' }, { k: 'b' }, { k: 'a' }], [{ k: 'c' }])]]), samples: new Map(), ...extra,
  };
}

describe('recovery checks', () => {
  it('maxRestarts counts restarts per task and per region from recovery reports', () => {
    const facts = observed({
      recoveries: [
        { virtualTimeMs: 1000, restarted: [{ operatorId: 'src', index: 1 }, { operatorId: 'out', index: 1 }] },
        { virtualTimeMs: 2000, restarted: [{ operatorId: 'src', index: 1 }] },
      ],
    });
    expect(checkMaxRestarts({ max: 1 }, facts)).toMatchObject({ passed: false, actual: '2 restarts (src#1)', measured: 2 });
    expect(checkMaxRestarts({ operator: 'out', max: 1 }, facts)).toMatchObject({ passed: true, actual: '1 restarts (out#1)' });
    expect(checkMaxRestarts({ region: 2, max: 2 }, facts)).toMatchObject({ name: 'maxRestarts region 2', passed: true, measured: 2 });
    expect(checkMaxRestarts({ region: 1, max: 0 }, facts)).toMatchObject({ passed: true, measured: 0 });
  });

  it('without recovery reports: no failure means no restarts; a failure is reported, never passed', () => {
    expect(checkMaxRestarts({ max: 0 }, observed())).toMatchObject({ passed: true, detail: 'no task failed' });
    const failed = observed({ events: [{ virtualTimeMs: 10, kind: 'task-failed', message: 'x' }] });
    expect(checkMaxRestarts({ max: 5 }, failed)).toMatchObject({ passed: false, actual: 'not measurable' });
  });

  it('checkpoints per region and for the job, or a clear message without checkpoints', () => {
    const facts = observed({
      checkpoints: [
        { id: 1, status: 'completed', regions: [{ region: 1, status: 'completed' }, { region: 2, status: 'failed' }] },
        { id: 2, status: 'completed', regions: [{ region: 1, status: 'completed' }, { region: 2, status: 'completed' }] },
        { id: 3, status: 'in-progress' },
      ],
    });
    expect(checkCheckpoints({ completed: { atLeast: 2 } }, facts)).toMatchObject({ passed: true, actual: 'completed 2, failed 0' });
    expect(checkCheckpoints({ region: 2, failed: { equals: 1 }, completed: { atMost: 0 } }, facts)).toMatchObject({ passed: false, actual: 'completed 1, failed 1', expected: 'completed ≤ 0, failed = 1' });
    expect(checkCheckpoints({ completed: { atLeast: 1 } }, observed()).detail).toBe('checkpoint counts need checkpoints, which this build does not have');
  });

  it('recordsLost sums the recovery reports, per operator when broken down', () => {
    const facts = observed({ recoveries: [{ virtualTimeMs: 1, restarted: [], recordsLost: 7, recordsLostByOperator: { src: 7 } }] });
    expect(checkRecordsLost({ atMost: 10 }, facts)).toMatchObject({ passed: true, measured: 7 });
    expect(checkRecordsLost({ operator: 'out', equals: 0 }, facts)).toMatchObject({ passed: true, measured: 0 });
    expect(checkRecordsLost({ equals: 0 }, observed())).toMatchObject({ passed: true, detail: 'no task failed, so nothing was lost' });
  });
});

describe('output checks', () => {
  it('sink counts committed or written, and filters by fields', () => {
    expect(checkSink({ sink: 'out', equals: 3 }, observed())).toMatchObject({ name: 'sink out committed', passed: true });
    expect(checkSink({ sink: 'out', of: 'written', equals: 4 }, observed())).toMatchObject({ passed: true });
    expect(checkSink({ sink: 'out', where: { k: 'a' }, equals: 2 }, observed())).toMatchObject({ name: 'sink out committed where {"k":"a"}', passed: true });
    expect(checkSink({ sink: 'out', of: 'written', where: { k: 'c' }, atLeast: 2 }, observed())).toMatchObject({ passed: false, actual: '1 records' });
  });

  it('sink filters over cut lists settle only "at least"', () => {
    const cut = observed({ outputs: new Map([['out', sink([{ k: 'a' }], [], 50)]]) });
    expect(checkSink({ sink: 'out', where: { k: 'a' }, atLeast: 1 }, cut)).toMatchObject({ passed: true, actual: 'at least 1 records' });
    expect(checkSink({ sink: 'out', where: { k: 'a' }, atMost: 1 }, cut).detail).toMatch(/kept 1 of 50 records; raise its keepRecords/);
  });

  it('exactlyOnce finds duplicates, missing records and lag, as multisets', () => {
    const baseline = (records: object[]) => ({ ok: true as const, status: { state: 'paused' as const, virtualTimeMs: 5000 }, outputs: new Map([['out', sink(records)]]) });
    const same = observed({ baseline: baseline([{ k: 'a' }, { k: 'a' }, { k: 'b' }]) });
    expect(checkExactlyOnce({}, same)).toMatchObject({ passed: true, actual: 'as expected (out: 3 records)' });
    const dup = observed({ baseline: baseline([{ k: 'a' }, { k: 'b' }]) });
    expect(checkExactlyOnce({}, dup)).toMatchObject({ passed: false, actual: 'sink out: 1 committed records the failure-free run does not have (duplicated or wrong), e.g. {"k":"a"}' });
    const lag = observed({ baseline: baseline([{ k: 'a' }, { k: 'a' }, { k: 'b' }, { k: 'd' }]) });
    expect(checkExactlyOnce({}, lag).actual).toBe('sink out: 1 records of the failure-free run missing (3 committed, 4 expected)');
    expect(checkExactlyOnce({ match: 'subset' }, lag).passed).toBe(true);
    expect(checkExactlyOnce({}, observed({ baseline: baseline([]) })).detail).toMatch(/^nothing to compare/);
    const cut = observed({ baseline: { ...baseline([{ k: 'a' }]), outputs: new Map([['out', sink([{ k: 'a' }], [], 9)]]) } });
    expect(checkExactlyOnce({}, cut).detail).toBe('records can only be compared when all are kept: raise keepRecords of sink out to at least 9');
  });
});

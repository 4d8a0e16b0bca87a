/**
 * The collect sink's two-phase commit against a model of the external system (the
 * JobManager's sink output fed by deltas), with crashes: committed output is exactly-once.
 */
import { describe, expect, it } from 'vitest';
import { TestPrng } from '../network/testing';
import type { StreamRecord } from '../runtime/types';
import { CollectSink, type CollectSinkDelta, type CollectSinkSnapshot } from './collectSink';

/** The external system: pending and committed records, applying deltas as the module comment says. */
class External {
  pending: StreamRecord[] = [];
  committed: StreamRecord[] = [];
  committedThrough = 0;

  apply(written: readonly StreamRecord[], delta: CollectSinkDelta): void {
    if (delta.restoredPending !== null) {
      expect(delta.restoredPending).toBeLessThanOrEqual(this.pending.length);
      this.pending.length = delta.restoredPending;
    }
    this.pending.push(...written);
    expect(delta.committed).toBeLessThanOrEqual(this.pending.length);
    this.committed.push(...this.pending.splice(0, delta.committed));
    this.committedThrough = delta.committedThrough;
  }
}

const values = (records: readonly StreamRecord[]) => records.map((r) => r.value);
const sink = () => new CollectSink({ keepRecords: 1_000_000 });

/** A sink subtask with its written-records reporting, as an OperatorTask would do it. */
class Subtask {
  written: StreamRecord[] = [];
  constructor(public sink: CollectSink, private readonly external: External) {}
  write(...vs: number[]): void {
    const records = vs.map((value) => ({ value }));
    this.sink.processSlice(records, [], 0, records.length);
    this.written.push(...records);
  }
  report(): void {
    this.external.apply(this.written, this.sink.takeDelta());
    this.written = [];
  }
}

describe('collect sink, two-phase commit', () => {
  it('a crash after completion but before the notify re-commits the restored transaction once', () => {
    const external = new External();
    const task = new Subtask(sink(), external);
    task.write(1, 2);
    task.sink.snapshotState(1);
    task.write(3);
    task.sink.notifyCheckpointComplete(1);
    const snapshot2 = task.sink.snapshotState(2) as unknown as CollectSinkSnapshot;
    task.write(4);
    task.report();
    expect(values(external.committed)).toEqual([1, 2]);
    expect(values(external.pending)).toEqual([3, 4]);
    // Checkpoint 2 completed, the notify never arrived: a fresh task restores from 2.
    const restarted = new Subtask(sink(), external);
    expect(restarted.sink.recover(structuredClone(snapshot2), external.committedThrough)).toBe(1);
    restarted.report();
    expect(values(external.committed)).toEqual([1, 2, 3]);
    expect(external.pending).toEqual([]);
  });

  it('a notify that arrived before the crash is not committed twice', () => {
    const external = new External();
    const task = new Subtask(sink(), external);
    task.write(1);
    const snapshot1 = task.sink.snapshotState(1) as unknown as CollectSinkSnapshot;
    task.write(2);
    task.sink.notifyCheckpointComplete(1);
    task.report();
    const restarted = new Subtask(sink(), external);
    restarted.sink.restoreState({ ...snapshot1, externallyCommittedThrough: external.committedThrough });
    restarted.report();
    expect(values(external.committed)).toEqual([1]);
    expect(external.pending).toEqual([]);
  });

  it('restoring an older checkpoint aborts the pre-committed transactions after it', () => {
    const external = new External();
    const task = new Subtask(sink(), external);
    task.write(1);
    const snapshot1 = task.sink.snapshotState(1) as unknown as CollectSinkSnapshot;
    task.write(2);
    task.sink.snapshotState(2);
    task.write(3);
    task.report();
    task.sink.recover(snapshot1, 0);
    task.report();
    expect(values(external.committed)).toEqual([1]);
    expect(external.pending).toEqual([]);
    task.sink.notifyCheckpointComplete(2);
    task.report();
    expect(values(external.committed)).toEqual([1]);
  });

  it('refuses a checkpoint id that does not increase', () => {
    const s = sink();
    s.snapshotState(3);
    expect(() => s.snapshotState(3)).toThrow(/ids only increase/);
  });

  it('randomised crashes: committed output equals the input, exactly once', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const prng = new TestPrng(seed);
      const total = 200;
      const external = new External();
      let task = new Subtask(sink(), external);
      let offset = 0;
      let nextId = 1;
      /** Completed checkpoints: source offset and sink snapshot. */
      let latest: { id: number; offset: number; snapshot: CollectSinkSnapshot } | undefined;
      /**
       * Checkpoints snapshotted: an ack travels with the same report as the sink's delta
       * (tick-done), so a snapshot can complete only once its report went out.
       */
      let unreported: { id: number; offset: number; snapshot: CollectSinkSnapshot }[] = [];
      let inFlight: typeof unreported = [];
      let notified = 0;
      for (let step = 0; step < 400 && (offset < total || inFlight.length > 0 || unreported.length > 0 || notified < (latest?.id ?? 0)); step++) {
        const roll = prng.nextInt(10);
        if (roll < 5 && offset < total) {
          const n = Math.min(total - offset, 1 + prng.nextInt(5));
          task.write(...Array.from({ length: n }, (_, i) => offset + i));
          offset += n;
        } else if (roll < 7) {
          const id = nextId++;
          unreported.push({ id, offset, snapshot: structuredClone(task.sink.snapshotState(id)) as unknown as CollectSinkSnapshot });
        } else if (roll < 8 && inFlight.length > 0) {
          latest = inFlight.shift();
        } else if (roll < 9 && latest !== undefined && notified < latest.id) {
          task.sink.notifyCheckpointComplete(latest.id);
          notified = latest.id;
        } else if (roll < 10 && prng.nextInt(3) === 0) {
          // Crash: this tick's output is lost with the task; restore from the latest completed checkpoint.
          task = new Subtask(sink(), external);
          inFlight = [];
          unreported = [];
          offset = latest?.offset ?? 0;
          task.sink.recover(latest?.snapshot, external.committedThrough);
          notified = latest?.id ?? 0;
        }
        if (prng.nextInt(2) === 0) {
          task.report();
          inFlight.push(...unreported);
          unreported = [];
        }
      }
      // Drain: one last checkpoint, completed and notified.
      const last = nextId;
      task.sink.snapshotState(last);
      task.sink.notifyCheckpointComplete(last);
      task.report();
      expect(values(external.committed), `seed ${seed}`).toEqual(Array.from({ length: offset }, (_, i) => i));
      expect(external.pending, `seed ${seed}`).toEqual([]);
    }
  });
});

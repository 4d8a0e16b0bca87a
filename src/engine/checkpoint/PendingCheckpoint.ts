/**
 * One checkpoint in flight (Flink `PendingCheckpoint`), tracked per region so the regional
 * mode can complete it with some regions failed.
 *
 * The checkpoint expects an ack from every subtask that was running when it was triggered;
 * subtasks that had finished are not waited for, and a region whose subtasks all finished is
 * `finished` from the start. A region is `acknowledged` once every expected member acked, and
 * `failed` when a member declines, dies, or the region times out before that. A subtask in
 * several regions (a region-sharable committer) counts for each of them.
 *
 * Strict: an ack for another checkpoint, from a subtask that was not expected, or a second
 * ack from the same subtask is a protocol bug and throws.
 */
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { VirtualMs } from '../runtime/types';
import { regionsOfSubtask, type CheckpointTopology } from './topology';
import type {
  CheckpointFailure, CheckpointType, RegionCheckpointStatus, RegionOutcome, SubtaskAck,
} from './types';

/** An ack with the virtual time it reached the coordinator. */
export interface ReceivedAck<H> extends SubtaskAck<H> {
  ackMs: VirtualMs;
}

interface RegionTracker {
  status: RegionCheckpointStatus;
  /** Expected members that have not acked yet. */
  waiting: Set<string>;
  failure?: CheckpointFailure;
}

/** A checkpoint between trigger and completion or abort; see the module comment. */
export class PendingCheckpoint<H> {
  readonly acks = new Map<string, ReceivedAck<H>>();
  private readonly expected = new Set<string>();
  private readonly regions = new Map<number, RegionTracker>();

  /** @param isRunning whether a subtask was running at trigger time (finished ones are not expected). */
  constructor(
    readonly id: number,
    readonly triggerMs: VirtualMs,
    readonly type: CheckpointType,
    private readonly topology: CheckpointTopology,
    isRunning: (ref: SubtaskRef) => boolean,
  ) {
    for (const region of topology.regions) {
      const waiting = new Set<string>();
      for (const member of region.subtasks) {
        if (!isRunning(member)) continue;
        const key = subtaskKey(member);
        waiting.add(key);
        this.expected.add(key);
      }
      this.regions.set(region.id, { status: waiting.size === 0 ? 'finished' : 'pending', waiting });
    }
  }

  /** Subtasks expected to ack. */
  get total(): number {
    return this.expected.size;
  }

  /** True when every region is acknowledged, failed or finished. */
  get resolved(): boolean {
    for (const tracker of this.regions.values()) if (tracker.status === 'pending') return false;
    return true;
  }

  /** True when the subtask is expected and has not acked. */
  isWaitingFor(ref: SubtaskRef): boolean {
    const key = subtaskKey(ref);
    return this.expected.has(key) && !this.acks.has(key);
  }

  /**
   * Records an ack. @returns the regions it completed.
   * @throws Error on a wrong checkpoint id, an unexpected subtask or a duplicate ack.
   */
  acknowledge(ack: SubtaskAck<H>, ackMs: VirtualMs): number[] {
    const key = subtaskKey(ack.subtask);
    if (ack.checkpointId !== this.id) throw new Error(`Ack of ${key} is for checkpoint ${ack.checkpointId}, not ${this.id}.`);
    if (!this.expected.has(key)) throw new Error(`Checkpoint ${this.id} did not expect an ack from ${key}.`);
    if (this.acks.has(key)) throw new Error(`${key} acknowledged checkpoint ${this.id} twice.`);
    this.acks.set(key, { ...ack, ackMs });
    const completed: number[] = [];
    for (const region of regionsOfSubtask(this.topology, ack.subtask)) {
      const tracker = this.regions.get(region) as RegionTracker;
      tracker.waiting.delete(key);
      if (tracker.status === 'pending' && tracker.waiting.size === 0) {
        tracker.status = 'acknowledged';
        completed.push(region);
      }
    }
    return completed;
  }

  /** Fails a pending region. @returns true when it was pending (and now failed). */
  failRegion(region: number, failure: CheckpointFailure): boolean {
    const tracker = this.regions.get(region);
    if (tracker === undefined) throw new RangeError(`Region ${region} does not exist.`);
    if (tracker.status !== 'pending') return false;
    tracker.status = 'failed';
    tracker.failure = failure;
    return true;
  }

  /** Fails the pending regions holding a subtask that has not acked. @returns those regions. */
  failSubtask(ref: SubtaskRef, failure: CheckpointFailure): number[] {
    if (!this.isWaitingFor(ref)) return [];
    return regionsOfSubtask(this.topology, ref).filter((region) => this.failRegion(region, failure));
  }

  /** Fails every pending region (timeout). @returns those regions. */
  failPending(failure: CheckpointFailure): number[] {
    const failed: number[] = [];
    for (const [region, tracker] of this.regions) {
      if (tracker.status === 'pending' && this.failRegion(region, failure)) failed.push(region);
    }
    return failed;
  }

  /** Status of one region. */
  regionStatus(region: number): RegionCheckpointStatus {
    const tracker = this.regions.get(region);
    if (tracker === undefined) throw new RangeError(`Region ${region} does not exist.`);
    return tracker.status;
  }

  /** Regions with a given status, ascending. */
  regionsWith(status: RegionCheckpointStatus): number[] {
    const out: number[] = [];
    for (const [region, tracker] of this.regions) if (tracker.status === status) out.push(region);
    return out.sort((a, b) => a - b);
  }

  /** The first failure recorded, in region order. */
  firstFailure(): CheckpointFailure | undefined {
    for (const region of this.regionsWith('failed')) {
      const failure = this.regions.get(region)?.failure;
      if (failure !== undefined) return failure;
    }
    return undefined;
  }

  /** Regions as outcomes, ascending (no snapshot ids: those are decided at completion). */
  outcomes(): RegionOutcome[] {
    return [...this.regions.keys()].sort((a, b) => a - b).map((region) => {
      const tracker = this.regions.get(region) as RegionTracker;
      const outcome: RegionOutcome = { region, status: tracker.status };
      if (tracker.failure !== undefined) outcome.failure = tracker.failure;
      return outcome;
    });
  }

  /** Expected members of some regions (acked or not), in plan order. */
  members(regions: readonly number[]): SubtaskRef[] {
    const wanted = new Set(regions);
    return this.topology.subtasks.filter((ref) =>
      this.expected.has(subtaskKey(ref)) && regionsOfSubtask(this.topology, ref).some((r) => wanted.has(r)));
  }
}

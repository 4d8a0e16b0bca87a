/**
 * Aligned checkpoint barriers at one subtask's input gate (Flink `SingleCheckpointBarrierHandler`
 * in its aligned mode, `WaitingForFirstBarrier` → `CollectingBarriers`).
 *
 * When barrier n is read from a channel, that channel is blocked: records behind the barrier
 * belong to the next checkpoint interval and must not reach the operator before its snapshot.
 * The other channels keep being read until their barrier n arrives. Once every channel has
 * delivered barrier n, or has finished (end-of-partition counts as aligned: a finished channel
 * carries nothing more, so it can hold nothing back), the alignment completes: every channel
 * is unblocked and the caller snapshots the subtask, then forwards barrier n on its outputs.
 * Alignment time is virtual ms from the first barrier to the last (Flink's
 * `checkpointAlignmentTime`), measured with the `nowMs` the caller passes.
 *
 * A channel whose sender is down (approximate local recovery) counts as aligned while it is
 * down, like a finished one: Flink's approximate recovery never blocks a live task on a dead
 * peer.
 *
 * Cancellation. An alignment for n is cancelled when
 * - a barrier of a newer checkpoint m > n arrives (n can no longer complete at this subtask:
 *   Flink declines it as subsumed); the alignment for m starts at once, or
 * - the coordinator aborts n (`abort`, the control-plane counterpart of Flink's in-band
 *   `CancelCheckpointMarker`).
 * Either way every channel is unblocked; barriers of n or older that arrive later are ignored.
 *
 * Barriers and credit (see also ResultPartition): a barrier travels in-band, in order with the
 * records of its channel, inside the buffer that carries the records emitted before it, and
 * it finishes that buffer so it never waits for the tick-end flush. That buffer needs a credit
 * like any other. Flink ships an event buffer without credit (`PipelinedSubpartition` lets an
 * event through when `numCreditsAvailable` is 0), but an aligned barrier there also queues
 * behind every data buffer emitted before it, and those do need credit; here the barrier shares
 * the last of them, so it costs no extra buffer and is delayed by exactly the same backlog as in
 * Flink. Blocking a channel stops reading it, so its buffers stay occupied and its credit dries
 * up: the sender's backlog grows, which is the backpressure alignment causes in Flink too.
 *
 * Strict: a barrier read from a blocked channel, or a second barrier of the same checkpoint on
 * one channel, is a bug in the caller (or a transport) and throws.
 */
import type { VirtualMs } from '../runtime/types';

/** What the aligner needs of an input gate (InputGate has it). */
export interface AlignableGate {
  readonly numberOfChannels: number;
  setBlocked(channel: number, blocked: boolean): void;
  isBlocked(channel: number): boolean;
  isChannelFinished(channel: number): boolean;
  /** True while the channel's sender is down (approximate local recovery): it counts as aligned. */
  isChannelDown?(channel: number): boolean;
}

/** What happened to an alignment, for the caller to act on (in order). */
export type AlignmentEvent =
  /** Every channel delivered barrier `checkpointId` (or finished): snapshot now, then forward the barrier. */
  | { kind: 'aligned'; checkpointId: number; startedMs: VirtualMs; alignmentMs: number }
  /** The alignment of `checkpointId` stopped without a snapshot; channels are unblocked. */
  | { kind: 'cancelled'; checkpointId: number; reason: 'newer-barrier' | 'aborted' };

/** Running figures for metrics and the checkpoint panel. */
export interface AlignmentMetrics {
  aligned: number;
  cancelled: number;
  /** The alignment in progress, or null. */
  pendingCheckpointId: number | null;
  /** Alignment time of the last completed alignment (0 before the first). */
  lastAlignmentMs: number;
}

/** Barrier alignment over one gate; see the module comment. */
export class BarrierAligner {
  private pending: number | null = null;
  private startedMs: VirtualMs = 0;
  private readonly arrived: boolean[];
  /** Highest checkpoint aligned, cancelled or aborted; older barriers are ignored. */
  private latest = 0;
  private alignedCount = 0;
  private cancelledCount = 0;
  private lastAlignmentMs = 0;

  constructor(private readonly gate: AlignableGate) {
    this.arrived = new Array<boolean>(gate.numberOfChannels).fill(false);
  }

  /** The checkpoint being aligned, or null. */
  get pendingCheckpointId(): number | null {
    return this.pending;
  }

  /** The highest checkpoint this aligner has dealt with (0 before any). */
  get latestCheckpointId(): number {
    return this.latest;
  }

  /**
   * Barrier `checkpointId` was read from `channel` at virtual time `nowMs`.
   *
   * @throws Error when the channel is blocked or already delivered this barrier.
   */
  onBarrier(channel: number, checkpointId: number, nowMs: VirtualMs): AlignmentEvent[] {
    if (!Number.isSafeInteger(checkpointId) || checkpointId < 1) {
      throw new RangeError(`Barrier with checkpoint id ${String(checkpointId)}: ids are positive integers.`);
    }
    if (this.gate.isBlocked(channel)) {
      throw new Error(`Barrier ${checkpointId} read from channel ${channel}, which is blocked for alignment: a blocked channel is never read.`);
    }
    const events: AlignmentEvent[] = [];
    if (this.pending !== null && checkpointId > this.pending) {
      events.push(this.cancel('newer-barrier'));
    }
    if (this.pending === null) {
      if (checkpointId <= this.latest) return events;
      this.pending = checkpointId;
      this.startedMs = nowMs;
    } else if (checkpointId < this.pending) {
      return events;
    }
    if (this.arrived[channel] === true) {
      throw new Error(`Channel ${channel} delivered barrier ${checkpointId} twice.`);
    }
    this.arrived[channel] = true;
    this.gate.setBlocked(channel, true);
    this.completeIfAligned(nowMs, events);
    return events;
  }

  /** End-of-partition was read from `channel`: it counts as aligned from now on. */
  onEndOfPartition(channel: number, nowMs: VirtualMs): AlignmentEvent[] {
    if (!this.gate.isChannelFinished(channel)) {
      throw new Error(`onEndOfPartition(${channel}): the gate has not seen that channel finish.`);
    }
    const events: AlignmentEvent[] = [];
    if (this.pending !== null) this.completeIfAligned(nowMs, events);
    return events;
  }

  /**
   * `channel`'s sender went down (approximate local recovery): like a finished channel it counts
   * as aligned while down, so alignment never waits on it (the down task's own checkpoint
   * fails for its region at the coordinator).
   */
  onChannelDown(_channel: number, nowMs: VirtualMs): AlignmentEvent[] {
    const events: AlignmentEvent[] = [];
    if (this.pending !== null) this.completeIfAligned(nowMs, events);
    return events;
  }

  /** The coordinator aborted `checkpointId`: cancel its alignment (or an older one) and ignore its barriers. */
  abort(checkpointId: number): AlignmentEvent[] {
    const events: AlignmentEvent[] = [];
    if (this.pending !== null && this.pending <= checkpointId) events.push(this.cancel('aborted'));
    if (checkpointId > this.latest) this.latest = checkpointId;
    return events;
  }

  /** Running figures. */
  metrics(): AlignmentMetrics {
    return {
      aligned: this.alignedCount, cancelled: this.cancelledCount,
      pendingCheckpointId: this.pending, lastAlignmentMs: this.lastAlignmentMs,
    };
  }

  private completeIfAligned(nowMs: VirtualMs, events: AlignmentEvent[]): void {
    const checkpointId = this.pending as number;
    for (let channel = 0; channel < this.arrived.length; channel++) {
      if (this.arrived[channel] !== true && !this.gate.isChannelFinished(channel) && this.gate.isChannelDown?.(channel) !== true) return;
    }
    const startedMs = this.startedMs;
    this.reset(checkpointId);
    this.alignedCount++;
    this.lastAlignmentMs = nowMs - startedMs;
    events.push({ kind: 'aligned', checkpointId, startedMs, alignmentMs: nowMs - startedMs });
  }

  private cancel(reason: 'newer-barrier' | 'aborted'): AlignmentEvent {
    const checkpointId = this.pending as number;
    this.reset(checkpointId);
    this.cancelledCount++;
    return { kind: 'cancelled', checkpointId, reason };
  }

  /** Unblocks every channel and forgets the alignment of `checkpointId`. */
  private reset(checkpointId: number): void {
    for (let channel = 0; channel < this.arrived.length; channel++) {
      if (this.arrived[channel] === true) this.gate.setBlocked(channel, false);
      this.arrived[channel] = false;
    }
    this.pending = null;
    if (checkpointId > this.latest) this.latest = checkpointId;
  }
}

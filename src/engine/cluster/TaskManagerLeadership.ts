/**
 * A TaskManager's side of JobManager high availability (src/engine/ha): which leader it obeys,
 * what it must be able to tell a new one, and fencing.
 *
 * - Epoch: the newest leader epoch that reached it (deploy, start-tick, reconcile). A message
 *   of an older epoch is refused with {@link StaleLeaderError} and changes nothing.
 * - Reports it keeps: every tick report after the last tick the leader acknowledged
 *   (`start-tick.ackedTick`), so a leader that dies before reading a round loses nothing.
 * - Execution attempts per hosted subtask (+1 per restart) and the highest checkpoint id seen,
 *   so a new leader keeps attempts and never reuses a checkpoint id.
 */
import type { StartTickMessage, TaskManagerCommand, TickDoneMessage } from '../runtime/protocol';

/** A command from a JobManager that is no longer leader. */
export class StaleLeaderError extends Error {
  readonly code = 'ha.staleEpoch';

  constructor(readonly taskManager: number, readonly epoch: number, readonly current: number, what: string) {
    super(`TaskManager ${taskManager} refused ${what} of epoch ${epoch}: epoch ${current} leads now.`);
    this.name = 'StaleLeaderError';
  }
}

export class TaskManagerLeadership {
  private epochValue = 0;
  private rejected = 0;
  private unacked: TickDoneMessage[] = [];
  private readonly attempts = new Map<string, number>();
  private maxCheckpoint = 0;
  private lastTickRun = -1;

  get epoch(): number {
    return this.epochValue;
  }

  get staleRejected(): number {
    return this.rejected;
  }

  get lastTick(): number {
    return this.lastTickRun;
  }

  get maxCheckpointId(): number {
    return this.maxCheckpoint;
  }

  /**
   * Admits a message of `epoch` (absent: 0) or throws StaleLeaderError; a newer epoch becomes
   * the one obeyed.
   */
  admit(taskManager: number, epoch: number | undefined, what: string): void {
    const e = epoch ?? 0;
    if (e < this.epochValue) {
      this.rejected++;
      throw new StaleLeaderError(taskManager, e, this.epochValue, what);
    }
    this.epochValue = e;
  }

  /** A start-tick was admitted: forget acknowledged reports, note checkpoint ids and restarts. */
  beginTick(message: StartTickMessage): void {
    const acked = message.ackedTick ?? message.tick - 1;
    if (this.unacked.length > 0 && (this.unacked[0] as TickDoneMessage).tick <= acked) {
      this.unacked = this.unacked.filter((report) => report.tick > acked);
    }
    for (const command of message.commands) this.noteCommand(command);
  }

  /** A tick's report is ready: kept until acknowledged. */
  endTick(report: TickDoneMessage): void {
    this.lastTickRun = report.tick;
    this.unacked.push(report);
    for (const ack of report.checkpointAcks) this.maxCheckpoint = Math.max(this.maxCheckpoint, ack.checkpointId);
    for (const decline of report.checkpointDeclines) this.maxCheckpoint = Math.max(this.maxCheckpoint, decline.checkpointId);
  }

  /** Reports after the last acknowledged tick, oldest first. */
  unacknowledged(): TickDoneMessage[] {
    return [...this.unacked];
  }

  attemptOf(key: string): number {
    return this.attempts.get(key) ?? 0;
  }

  private noteCommand(command: TaskManagerCommand): void {
    switch (command.kind) {
      case 'trigger-checkpoint':
      case 'abort-checkpoint':
      case 'notify-checkpoint-complete':
        this.maxCheckpoint = Math.max(this.maxCheckpoint, command.checkpointId);
        break;
      case 'restart-subtasks':
        for (const spec of command.subtasks) {
          const key = `${spec.operatorId}#${spec.index}`;
          this.attempts.set(key, spec.attempt ?? (this.attempts.get(key) ?? 0) + 1);
        }
        break;
      default:
        break;
    }
  }
}

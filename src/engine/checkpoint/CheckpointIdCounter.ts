/**
 * Checkpoint ids (Flink `CheckpointIDCounter`): they start at 1 and only ever increase, also
 * across restarts, JobManager failover and page reloads. The counter is a port: the
 * coordinator takes one, and whoever persists checkpoint metadata restores it with the next
 * id it recorded, so an id is never handed out twice.
 */

/** A strictly increasing id source; throws on any attempt to go back. */
export class CheckpointIdCounter {
  private nextId: number;

  /** @param next the next id to hand out (1 for a new job; the persisted value after a restart). */
  constructor(next = 1) {
    CheckpointIdCounter.check(next);
    this.nextId = next;
  }

  /** The id the next call to `take` returns. */
  get next(): number {
    return this.nextId;
  }

  /** Hands out the next id. */
  take(): number {
    return this.nextId++;
  }

  /**
   * Moves the counter forward to at least `next` (restoring persisted metadata). Never goes
   * back: a smaller value is ignored, because ids already handed out must stay unique.
   *
   * @throws RangeError unless `next` is a positive safe integer.
   */
  advanceTo(next: number): void {
    CheckpointIdCounter.check(next);
    if (next > this.nextId) this.nextId = next;
  }

  private static check(value: number): void {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Checkpoint id ${String(value)} must be a positive integer: ids start at 1.`);
    }
  }
}

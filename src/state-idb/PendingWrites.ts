/**
 * The writes of one backend view that are not on disk yet (DESIGN.md §5, write path): the
 * current {@link WriteBatch} and the batches taken by flushes that have not committed. Reads
 * see all of them, newest first, so a flush in flight never hides a write.
 *
 * Rules kept here:
 * - A failed flush puts its writes back into the current batch *beneath* every newer write
 *   (the current batch and batches taken later, which may commit first), so the newest value
 *   of an address always wins and nothing is lost.
 * - A restore abandons history: {@link PendingWrites.discard} drops the current batch and
 *   bumps the epoch, so a flush of the abandoned history that fails later does not come back.
 */
import { DELETED, WriteBatch } from './WriteBatch';

/** A batch taken by a flush or a seal, with the epoch it belongs to. */
export interface TakenBatch {
  readonly batch: WriteBatch;
  readonly epoch: number;
}

export class PendingWrites {
  private current = new WriteBatch();
  /** Taken batches not committed yet, oldest first. */
  private readonly inFlight: WriteBatch[] = [];
  private epoch = 0;

  /** Distinct addresses in the current batch. */
  get size(): number {
    return this.current.size;
  }

  /** Addresses in every pending batch (the storage's gauge). */
  get unflushed(): number {
    return this.inFlight.reduce((n, b) => n + b.size, this.current.size);
  }

  get idle(): boolean {
    return this.current.size === 0 && this.inFlight.length === 0;
  }

  /** Virtual time of the oldest write in the current batch. */
  get firstWriteMs(): number | undefined {
    return this.current.firstWriteMs;
  }

  put(keyGroup: number, stateName: string, userKey: string, value: unknown, nowMs: number): void {
    if (value === DELETED) this.current.delete(keyGroup, stateName, userKey, nowMs);
    else this.current.put(keyGroup, stateName, userKey, value, nowMs);
  }

  /** The newest pending write at an address: a value, {@link DELETED}, or `undefined` when none. */
  lookup(keyGroup: number, stateName: string, userKey: string): unknown {
    const own = this.current.lookup(keyGroup, stateName, userKey);
    if (own !== undefined) return own;
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const value = (this.inFlight[i] as WriteBatch).lookup(keyGroup, stateName, userKey);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Every pending batch, oldest first (a load overlays them in this order). */
  batches(): WriteBatch[] {
    return [...this.inFlight, this.current];
  }

  /** Key groups with writes in the current batch. */
  keyGroups(): number[] {
    return this.current.keyGroups();
  }

  /** Hands the current batch to a flush (it stays readable until {@link settle}). */
  take(): TakenBatch {
    const batch = this.current.take();
    this.inFlight.push(batch);
    return { batch, epoch: this.epoch };
  }

  /** A flush ended; a failed one puts its writes back beneath newer ones unless a restore abandoned them. */
  settle(taken: TakenBatch, failed: boolean): void {
    const at = this.inFlight.indexOf(taken.batch);
    if (at < 0) throw new Error('Pending writes: a batch was settled twice (internal error).');
    if (failed && taken.epoch === this.epoch) this.current.restoreUnder(taken.batch, this.inFlight.slice(at + 1));
    this.inFlight.splice(at, 1);
  }

  /** Drops the current batch and abandons the batches in flight (restore). */
  discard(): void {
    this.current = new WriteBatch();
    this.epoch++;
  }
}

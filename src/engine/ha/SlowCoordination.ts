/**
 * The coordination store as the JobManager reaches it, with the `coordination-store-slow` fault:
 * every call waits `latencyMs` wall ms first (the host clock's sleep; virtual time does not
 * move). A call that would wait longer than {@link COORDINATION_TIMEOUT_MS} gives up after
 * that long and counts as unavailable, so the hybrid HA goes on with the file store alone (as
 * Bilibili's falls back to HDFS when ZooKeeper misbehaves) — and the versions tell a later
 * reader which copy is newer.
 */
import { HaUnavailableError, type CoordinationStore, type LeaderEntry, type VersionedRecord } from './types';

/** Largest latency the coordination-store-slow fault accepts. */
export const MAX_STORE_LATENCY_MS = 10_000;
/** Wall ms a coordination-store call may take before it counts as failed. */
export const COORDINATION_TIMEOUT_MS = 1_000;

export class SlowCoordination implements CoordinationStore {
  readonly kind = 'coordination' as const;
  private latency = 0;

  constructor(private readonly inner: CoordinationStore, private readonly sleep: (ms: number) => Promise<void>) {}

  get latencyMs(): number {
    return this.latency;
  }

  setLatency(ms: number): void {
    this.latency = ms;
  }

  put<T>(key: string, value: T, epoch: number): Promise<number> {
    return this.after(() => this.inner.put(key, value, epoch));
  }

  get<T>(key: string): Promise<VersionedRecord<T> | undefined> {
    return this.after(() => this.inner.get<T>(key));
  }

  claimEpoch(candidate: string, atLeast: number): Promise<LeaderEntry> {
    return this.after(() => this.inner.claimEpoch(candidate, atLeast));
  }

  epoch(): Promise<number> {
    return this.after(() => this.inner.epoch());
  }

  leader(): Promise<LeaderEntry | undefined> {
    return this.after(() => this.inner.leader());
  }

  expire(leader: string): Promise<void> {
    return this.after(() => this.inner.expire(leader));
  }

  private async after<T>(call: () => Promise<T>): Promise<T> {
    const latency = this.latency;
    if (latency <= 0) return call();
    await this.sleep(Math.min(latency, COORDINATION_TIMEOUT_MS));
    if (latency > COORDINATION_TIMEOUT_MS) {
      throw new HaUnavailableError('coordination', `it did not answer within ${COORDINATION_TIMEOUT_MS} ms (coordination-store-slow, ${latency} ms per call)`);
    }
    return call();
  }
}

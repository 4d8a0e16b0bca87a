/**
 * The HA stores in memory: the coordination store a worker hosts in the browser (and Node tests
 * use directly), and the file store's twin for Node tests (the browser's is IndexedDB,
 * src/workers/ha). Values are kept and handed out as they are, not copied: writers never
 * change what they wrote (snapshots are built afresh; checkpoint handles are immutable) and
 * readers never change what they read (a takeover copies what it keeps), so copying megabytes of
 * memory-backend handles would only cost time. Across a worker or into IndexedDB the browser's
 * stores copy them anyway.
 *
 * Availability: `setAvailable(false)` (the coordination-store-down fault) makes every call
 * reject with HaUnavailableError until it is up again; what was stored survives.
 */
import {
  HaFencedError, HaUnavailableError,
  type CoordinationStore, type HaRecordStore, type HaStoreKind, type LeaderEntry, type VersionedRecord,
} from './types';

/** What a store counted (the HA panel and the oracle suite read them). */
export interface HaStoreFigures {
  writes: number;
  reads: number;
  /** Writes refused for a stale epoch. */
  fenced: number;
  /** Calls refused while down. */
  refusedWhileDown: number;
}

export class MemoryHaStore implements HaRecordStore {
  private readonly records = new Map<string, VersionedRecord<unknown>>();
  private newestEpoch = 0;
  private up = true;
  protected current: LeaderEntry | undefined;
  /** Every epoch this store granted, with its leader (the oracle checks one leader per epoch). */
  readonly grants: LeaderEntry[] = [];
  readonly figures: HaStoreFigures = { writes: 0, reads: 0, fenced: 0, refusedWhileDown: 0 };

  constructor(readonly kind: HaStoreKind) {}

  get available(): boolean {
    return this.up;
  }

  setAvailable(up: boolean): void {
    this.up = up;
  }

  async put<T>(key: string, value: T, epoch: number): Promise<number> {
    this.requireUp();
    if (epoch < this.newestEpoch) {
      this.figures.fenced++;
      throw new HaFencedError(this.kind, epoch, this.newestEpoch);
    }
    this.newestEpoch = epoch;
    const version = (this.records.get(key)?.version ?? 0) + 1;
    this.records.set(key, { value, version, epoch });
    this.figures.writes++;
    return version;
  }

  async get<T>(key: string): Promise<VersionedRecord<T> | undefined> {
    this.requireUp();
    this.figures.reads++;
    const record = this.records.get(key);
    return record === undefined ? undefined : { ...record } as VersionedRecord<T>;
  }

  async claimEpoch(candidate: string, atLeast: number): Promise<LeaderEntry> {
    this.requireUp();
    const entry: LeaderEntry = { leader: candidate, epoch: Math.max(this.newestEpoch, atLeast) + 1 };
    this.newestEpoch = entry.epoch;
    this.current = entry;
    this.grants.push(entry);
    return { ...entry };
  }

  async epoch(): Promise<number> {
    this.requireUp();
    return this.newestEpoch;
  }

  /** Everything stored, for a file store that mirrors another (tests) or a debugging view. */
  keys(): string[] {
    return [...this.records.keys()];
  }

  protected requireUp(): void {
    if (!this.up) {
      this.figures.refusedWhileDown++;
      throw new HaUnavailableError(this.kind, this.kind === 'coordination' ? 'it was taken down (coordination-store-down)' : 'it cannot be reached');
    }
  }
}

/** The coordination store: records plus the ephemeral leader entry. */
export class MemoryCoordinationStore extends MemoryHaStore implements CoordinationStore {
  declare readonly kind: 'coordination';

  constructor() {
    super('coordination');
  }

  async leader(): Promise<LeaderEntry | undefined> {
    this.requireUp();
    return this.current === undefined ? undefined : { ...this.current };
  }

  async expire(leader: string): Promise<void> {
    this.requireUp();
    if (this.current?.leader === leader) this.current = undefined;
  }
}

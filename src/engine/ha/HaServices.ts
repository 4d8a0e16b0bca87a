/**
 * Hybrid HA (seed 2): every record goes to both stores; a new leader is elected where it can
 * be and recovers from the newer of the two copies, from the file store alone when the
 * coordination store is down. Pure decisions over the two store ports; the caller awaits.
 */
import type { CheckpointMetadata } from '../cluster/CheckpointDriver';
import {
  HA_KEYS, HaFencedError, HaUnavailableError, SNAPSHOT_FORMAT,
  type CoordinationStore, type HaRecordStore, type HaStoreKind, type JobManagerSnapshot, type LeaderEntry, type StoredSnapshot, type VersionedRecord,
} from './types';

/** What a write to both stores did. */
export interface DualWriteResult {
  /** Versions written, per store that took the write. */
  versions: Partial<Record<HaStoreKind, number>>;
  /** Stores that could not take it (down), with why. */
  skipped: { store: HaStoreKind; message: string }[];
}

/** A snapshot a new leader recovers from, and where it came from. */
export interface RecoveredSnapshot {
  snapshot: JobManagerSnapshot;
  version: number;
  from: HaStoreKind;
  /** Said to the user: why this store. */
  reason: string;
}

export class HaServices {
  constructor(readonly coordination: CoordinationStore, readonly file: HaRecordStore) {}

  /**
   * Writes `value` to both stores as `epoch`. A store that is down is skipped (the other keeps
   * the record, and versions tell a later reader which copy is newer); a fenced write rejects:
   * the writer is no longer leader and must stop. Rejects when neither store took it.
   */
  async write<T>(key: string, value: T, epoch: number, only?: HaStoreKind): Promise<DualWriteResult> {
    const result: DualWriteResult = { versions: {}, skipped: [] };
    for (const store of [this.coordination, this.file]) {
      if (only !== undefined && store.kind !== only) continue;
      try {
        result.versions[store.kind] = await store.put(key, value, epoch);
      } catch (error) {
        if (error instanceof HaFencedError) throw error;
        result.skipped.push({ store: store.kind, message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (Object.keys(result.versions).length === 0) {
      throw new HaUnavailableError('file', `neither HA store took '${key}' (${result.skipped.map((s) => s.message).join('; ')})`);
    }
    return result;
  }

  /**
   * Elects `candidate`: the epoch goes one above the newest either store has seen, and both
   * record it. The coordination store decides when it is up; otherwise the file store does.
   */
  async elect(candidate: string): Promise<{ entry: LeaderEntry; electedBy: HaStoreKind }> {
    const fileEpoch = await this.file.epoch().catch(() => 0);
    try {
      const entry = await this.coordination.claimEpoch(candidate, fileEpoch);
      await this.file.claimEpoch(candidate, entry.epoch - 1).catch(() => undefined);
      return { entry, electedBy: 'coordination' };
    } catch (error) {
      if (!(error instanceof HaUnavailableError)) throw error;
      const entry = await this.file.claimEpoch(candidate, fileEpoch);
      return { entry, electedBy: 'file' };
    }
  }

  /** The old leader's session ended; ignored when the coordination store is down (it expires on its own). */
  async expire(leader: string): Promise<void> {
    await this.coordination.expire(leader).catch(() => undefined);
  }

  /**
   * The latest ExecutionGraph snapshot of `jobId`, with its checkpoints: the newer copy of each
   * record, or the only reachable one.
   */
  async recoverSnapshot(jobId: string): Promise<RecoveredSnapshot | undefined> {
    const key = HA_KEYS.snapshot(jobId);
    const pick = choose(await readOrDown<StoredSnapshot>(this.coordination, key), await readOrDown<StoredSnapshot>(this.file, key));
    if (pick === undefined) return undefined;
    const stored = pick.record.value;
    if (stored.format !== SNAPSHOT_FORMAT) {
      throw new Error(`The ${pick.from} store holds a JobManager snapshot of format '${String(stored.format)}', not '${SNAPSHOT_FORMAT}'; the job cannot be taken over.`);
    }
    const metadata = await this.recoverCheckpoints(jobId, stored.latestCheckpointId);
    const { latestCheckpointId: _pointer, nextCheckpointId, ...rest } = stored;
    // The counter in the snapshot may be ahead of the metadata's (checkpoints triggered since the last completion).
    const checkpoints = { ...metadata, nextCheckpointId: Math.max(metadata.nextCheckpointId, nextCheckpointId) };
    return { snapshot: { ...rest, checkpoints }, version: pick.record.version, from: pick.from, reason: pick.reason };
  }

  /**
   * The checkpoints record: in the file store only (the coordination store keeps the pointer,
   * as ZooKeeper keeps pointers to checkpoint metadata on HDFS in Flink), at least as new as
   * the snapshot's pointer.
   */
  private async recoverCheckpoints(jobId: string, pointer: number): Promise<CheckpointMetadata> {
    const record = await this.file.get<CheckpointMetadata>(HA_KEYS.checkpoints(jobId));
    const latest = record?.value.store.completed.reduce((max, c) => Math.max(max, c.id), 0) ?? -1;
    if (record === undefined || latest < pointer) {
      throw new Error(`the snapshot points at checkpoint ${pointer}, but the file store holds ${record === undefined ? 'no checkpoint metadata' : `metadata up to checkpoint ${latest}`}`);
    }
    return record.value;
  }
}

type Read<T> = { down: true; message: string } | { down: false; record: VersionedRecord<T> | undefined };

async function readOrDown<T>(store: HaRecordStore, key: string): Promise<Read<T>> {
  try {
    return { down: false, record: await store.get<T>(key) };
  } catch (error) {
    if (error instanceof HaUnavailableError) return { down: true, message: error.message };
    throw error;
  }
}

/**
 * Which copy a new leader uses: the coordination store's when it is up and at least as new
 * (same epoch and version or newer); the file store's when the coordination store is down or
 * holds an older copy (a write it missed while down).
 */
function choose<T>(coordination: Read<T>, file: Read<T>): { record: VersionedRecord<T>; from: HaStoreKind; reason: string } | undefined {
  const fileRecord = file.down ? undefined : file.record;
  if (coordination.down) {
    return fileRecord === undefined ? undefined : { record: fileRecord, from: 'file', reason: 'the coordination store is down' };
  }
  const coordinationRecord = coordination.record;
  if (coordinationRecord === undefined) {
    return fileRecord === undefined ? undefined : { record: fileRecord, from: 'file', reason: 'the coordination store has no snapshot of this job' };
  }
  if (fileRecord !== undefined && newer(fileRecord, coordinationRecord)) {
    return { record: fileRecord, from: 'file', reason: 'the file store\'s copy is newer (the coordination store missed writes while it was down)' };
  }
  return { record: coordinationRecord, from: 'coordination', reason: 'the coordination store is healthy' };
}

/**
 * Whether `a` was written after `b`. Store versions count writes per store, so they differ once
 * one store missed a write; the record's own `sequence` (the leaders' write counter, going on
 * across epochs) orders copies from both stores.
 */
function newer<T>(a: VersionedRecord<T>, b: VersionedRecord<T>): boolean {
  const sequenceOf = (r: VersionedRecord<T>): number => (r.value as { sequence?: number }).sequence ?? 0;
  return sequenceOf(a) > sequenceOf(b);
}

/**
 * A TaskManager's keyed state: its one StateStorage (memory, or the job's IndexedDB database)
 * and one keyed backend per hosted keyed subtask over it. It opens the backends at deploy
 * (asynchronously when the storage must, synchronously otherwise), ends every tick in the
 * storage (where a failed background flush surfaces), reports occupancy figures, answers key
 * lookups between ticks, and closes everything at cancel while keeping the storage's data.
 */
import type { KeyGroupRange } from '../keygroups/keyGroups';
import type {
  LookupStateMessage, ScanStateMessage, SnapshotReleaseReport, StateLookupReply, StateScanReply, SubtaskStateReport, TaskManagerStateReport,
} from '../runtime/protocol';
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import type { KeyedStateBackend, StateStorage, VersionGcFigures } from '../state/types';
import { storageErrorCode, storageFailure } from './stateFailure';
import { scanPage } from './stateScanTask';

/** What a TaskManager host knows when it creates the storage. */
export interface StateStorageContext {
  /** The job's stable id (cluster/jobId.ts): one IndexedDB database per job. */
  jobId: string;
  taskManager: number;
}

/** A keyed subtask's backend to open: where it is hosted, and what it serves. */
export interface KeyedBackendRequest {
  operatorId: string;
  index: number;
  /** The id state is addressed by: the operator's stable id (plan/operatorIds.ts). */
  stateId: string;
  maxParallelism: number;
  keyGroupRange: KeyGroupRange;
}

function subtaskKeyOf(operatorId: string, index: number): string {
  return `${operatorId}#${index}`;
}

export class TaskManagerState {
  /** By subtask key (operator id, not state id), in plan order. */
  private readonly backends = new Map<string, { request: KeyedBackendRequest; backend: KeyedStateBackend }>();
  private closed = false;
  /** What releases did since the last tick report (the backends' figures). */
  private releases: SnapshotReleaseReport[] = [];

  constructor(
    readonly storage: StateStorage,
    private readonly taskManager: number,
    private readonly release: (storage: StateStorage) => void,
  ) {}

  /** Opens a backend per request, in order; a promise only when the storage opens some asynchronously. */
  open(requests: readonly KeyedBackendRequest[]): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    for (const request of requests) {
      const key = subtaskKeyOf(request.operatorId, request.index);
      const opened = this.storage.openKeyedBackend({
        operatorId: request.stateId, maxParallelism: request.maxParallelism, keyGroupRange: request.keyGroupRange,
      });
      if (opened instanceof Promise) waits.push(opened.then((backend) => void this.backends.set(key, { request, backend })));
      else this.backends.set(key, { request, backend: opened });
    }
    if (waits.length === 0) return undefined;
    // Re-insert in request order, whatever order the opens resolved in.
    return Promise.all(waits).then(() => {
      const opened = new Map(this.backends);
      this.backends.clear();
      for (const request of requests) {
        const key = subtaskKeyOf(request.operatorId, request.index);
        const entry = opened.get(key);
        if (entry !== undefined) this.backends.set(key, entry);
      }
    });
  }

  /**
   * A restarted keyed subtask: closes its backend (what it buffered is abandoned with the
   * attempt; the restore reverts the shards anyway) and opens a fresh one over the same
   * storage, keeping its place in plan order. Undefined for a subtask that is not keyed.
   */
  reopen(operatorId: string, index: number): Promise<void> | undefined {
    const key = subtaskKeyOf(operatorId, index);
    const entry = this.backends.get(key);
    if (entry === undefined) return undefined;
    const { request } = entry;
    const closing = entry.backend.close();
    const open = (): Promise<void> | undefined => {
      const opened = this.storage.openKeyedBackend({
        operatorId: request.stateId, maxParallelism: request.maxParallelism, keyGroupRange: request.keyGroupRange,
      });
      if (opened instanceof Promise) return opened.then((backend) => void this.backends.set(key, { request, backend }));
      this.backends.set(key, { request, backend: opened });
      return undefined;
    };
    return closing === undefined ? open() : closing.catch(() => undefined).then(open);
  }

  /**
   * Folds keyed-state versions no retained checkpoint needs apart, in every hosted backend, and
   * notes what each release freed and kept (see {@link takeReleases}).
   */
  releaseSnapshotsBefore(checkpointId: number): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    const reports: (SnapshotReleaseReport | undefined)[] = [];
    for (const { request, backend } of this.backends.values()) {
      const at = reports.length;
      reports.push(undefined);
      const before = backend.metrics().gc;
      const note = (): void => {
        const after = backend.metrics().gc;
        if (before !== undefined && after !== undefined) reports[at] = releaseReport(request, checkpointId, before, after);
      };
      const pending = backend.releaseSnapshotsBefore(checkpointId);
      if (pending === undefined) note();
      else waits.push(pending.then(note));
    }
    const settle = (): void => {
      for (const report of reports) if (report !== undefined) this.releases.push(report);
    };
    if (waits.length === 0) {
      settle();
      return undefined;
    }
    return Promise.all(waits).then(settle);
  }

  /** Release reports since the last call, in plan order (they go out with the tick's report). */
  takeReleases(): SnapshotReleaseReport[] {
    const taken = this.releases;
    this.releases = [];
    return taken;
  }

  /** The backend of a hosted keyed subtask (undefined for other subtasks). */
  backendOf(operatorId: string, index: number): KeyedStateBackend | undefined {
    return this.backends.get(subtaskKeyOf(operatorId, index))?.backend;
  }

  /** Ends the tick in the storage; the failure of a background flush, if one failed. */
  endTick(nowMs: VirtualMs): FailureInfo | undefined {
    try {
      this.storage.endTick(nowMs);
      return undefined;
    } catch (error) {
      return storageFailure(error, this.taskManager);
    }
  }

  /** The storage's figures and every hosted keyed subtask's key-group occupancy. */
  report(): TaskManagerStateReport {
    const subtasks: SubtaskStateReport[] = [];
    for (const { request, backend } of this.backends.values()) {
      const metrics = backend.metrics();
      subtasks.push({
        operatorId: request.operatorId, index: request.index,
        keyGroups: metrics.keyGroups.map((kg) => ({ ...kg })), totalEntries: metrics.totalEntries,
      });
    }
    return { figures: this.storage.figures(), subtasks };
  }

  /** One key's rows (call between ticks only): prepares the key, then reads it. */
  lookup(message: LookupStateMessage): StateLookupReply | Promise<StateLookupReply> {
    const fail = (code: string, text: string): StateLookupReply => ({
      type: 'state-lookup', taskManager: this.taskManager, requestId: message.requestId, ok: false,
      failure: { code, message: text, taskManager: this.taskManager, operatorId: message.operatorId, subtask: message.subtask },
    });
    const failed = (error: unknown): StateLookupReply => fail(
      storageErrorCode(error) ?? 'state.lookup',
      `TaskManager ${this.taskManager} could not read the state of ${message.operatorId}#${message.subtask}: ${error instanceof Error ? error.message : String(error)}`,
    );
    const backend = this.backendOf(message.operatorId, message.subtask);
    if (backend === undefined || this.closed) {
      return fail('state.lookup', `TaskManager ${this.taskManager} hosts no keyed state of ${message.operatorId}#${message.subtask}.`);
    }
    const read = (): StateLookupReply => ({
      type: 'state-lookup', taskManager: this.taskManager, requestId: message.requestId, ok: true,
      rows: backend.entriesOfKey(message.keyGroup, message.encodedKey),
    });
    try {
      const pending = backend.prepare({ keyGroups: [message.keyGroup], encodedKeys: [message.encodedKey] });
      if (pending === undefined) return read();
      return pending.then(read, failed);
    } catch (error) {
      return failed(error);
    }
  }

  /** A page of one hosted keyed subtask's rows (call between ticks only; stateScanTask.ts). */
  scan(message: ScanStateMessage): Promise<StateScanReply> {
    const fail = (code: string, text: string): StateScanReply => ({
      type: 'state-scan', taskManager: this.taskManager, requestId: message.requestId, ok: false,
      failure: { code, message: text, taskManager: this.taskManager, operatorId: message.operatorId, subtask: message.subtask },
    });
    const backend = this.backendOf(message.operatorId, message.subtask);
    if (backend === undefined || this.closed) {
      return Promise.resolve(fail('state.scan', `TaskManager ${this.taskManager} hosts no keyed state of ${message.operatorId}#${message.subtask}.`));
    }
    return scanPage(backend, message, this.taskManager).catch((error: unknown) => fail(
      storageErrorCode(error) ?? (error as { code?: string }).code ?? 'state.scan',
      `TaskManager ${this.taskManager} could not scan the state of ${message.operatorId}#${message.subtask}: ${error instanceof Error ? error.message : String(error)}`,
    ));
  }

  /**
   * Closes every backend (each flushes what it holds), then releases the storage; best effort.
   * A promise while backends close asynchronously (it never rejects).
   */
  close(): Promise<void> | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const { backend } of this.backends.values()) {
      try {
        const pending = backend.close();
        if (pending !== undefined) closing.push(pending.catch(() => undefined));
      } catch {
        // Closing is best effort: the run is over either way.
      }
    }
    const release = (): void => {
      try {
        this.release(this.storage);
      } catch {
        // As above.
      }
    };
    if (closing.length === 0) {
      release();
      return undefined;
    }
    return Promise.all(closing).then(release);
  }
}

function releaseReport(
  request: KeyedBackendRequest, before: number, was: VersionGcFigures, now: VersionGcFigures,
): SnapshotReleaseReport {
  const report: SnapshotReleaseReport = {
    operatorId: request.operatorId, index: request.index, before,
    versionsReleased: now.versionsReleased - was.versionsReleased,
    rowsReleased: now.rowsReleased - was.rowsReleased,
    versionsRetained: now.versionsRetained, rowsRetained: now.rowsRetained,
  };
  if (now.bytesReleased !== undefined) report.bytesReleased = now.bytesReleased - (was.bytesReleased ?? 0);
  return report;
}

/**
 * The default release at cancel: a memory storage is dropped (its TaskManager's run is over);
 * any other storage keeps its data for later restores, and its host closes it.
 */
export function defaultReleaseStateStorage(storage: StateStorage): void {
  if (storage.kind === 'memory') void storage.dispose();
}

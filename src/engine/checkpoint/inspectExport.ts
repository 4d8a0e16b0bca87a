/**
 * A checkpoint's metadata as a versioned JSON document (`"sluice": "checkpoint-metadata/1"`),
 * the inspector's "Export JSON": seed 2's metadata enrichment (operator id ↔ name next to every
 * handle), so a file read months later still says whose state each entry is.
 *
 * The document is a public contract like the job file (DESIGN.md §8): fields are only ever
 * added, never renamed or removed. It carries the inspector's detail (operators, subtasks, key
 * groups, sizes, full vs incremental origin) and each subtask's restore handle as the
 * coordinator keeps it (source offsets, keyed-state metadata with per-key-group figures,
 * timers, operator state). It holds no keyed state rows: those stay in the state storage.
 */
import type { JobGraph } from '../job/types';
import type { SubtaskSnapshotHandle } from '../runtime/protocol';
import { checkpointDetail, checkpointHandles, type CheckpointDetail, type InspectFacts } from './inspect';

export const CHECKPOINT_METADATA_VERSION = 'checkpoint-metadata/1';

/** One subtask's restore handle in the export. */
export interface ExportedHandle {
  operatorId: string;
  operatorName: string;
  index: number;
  snapshotId: number;
  handle: SubtaskSnapshotHandle | null;
}

/** The exported document; see the module comment. */
export interface CheckpointMetadataDocument {
  sluice: typeof CHECKPOINT_METADATA_VERSION;
  job: { id: string; name: string };
  /** Virtual time of the export. */
  exportedAtMs: number;
  checkpoint: CheckpointDetail;
  /** Operator id → name, and state id → operator id (the enriched metadata of seed 2). */
  operatorNames: Record<string, string>;
  stateIds: Record<string, string>;
  handles: ExportedHandle[];
}

/** What the export needs besides the detail. */
export interface ExportFacts {
  jobId: string;
  job: JobGraph;
  nowMs: number;
  /** Restore handle per `operatorId#index` (CompletedCheckpointStore.restoreAll of the checkpoint). */
  handles: ReadonlyMap<string, SubtaskSnapshotHandle | undefined>;
}

/** Builds the document; JSON-safe (a JSON round trip gives an equal value). */
export function exportCheckpointMetadata(detail: CheckpointDetail, facts: ExportFacts): CheckpointMetadataDocument {
  const operatorNames: Record<string, string> = {};
  const stateIds: Record<string, string> = {};
  const handles: ExportedHandle[] = [];
  for (const op of detail.operators) {
    operatorNames[op.operatorId] = op.name;
    stateIds[op.stateId] = op.operatorId;
    for (const s of op.subtasks) {
      const handle = facts.handles.get(`${op.operatorId}#${s.index}`);
      handles.push({ operatorId: op.operatorId, operatorName: op.name, index: s.index, snapshotId: s.snapshotId, handle: handle === undefined ? null : jsonSafe(handle) });
    }
  }
  return {
    sluice: CHECKPOINT_METADATA_VERSION,
    job: { id: facts.jobId, name: facts.job.name },
    exportedAtMs: facts.nowMs,
    checkpoint: jsonSafe(detail),
    operatorNames,
    stateIds,
    handles,
  };
}

/** The document of retained checkpoint `checkpointId` (default: the latest), or why there is none. */
export function checkpointMetadataDocument(
  facts: InspectFacts & { jobId: string; nowMs: number },
  checkpointId?: number,
): { ok: true; document: CheckpointMetadataDocument } | { ok: false; code: string; message: string } {
  const result = checkpointDetail(facts, checkpointId);
  if (!result.ok) return result;
  const handles = checkpointHandles(facts, result.detail.id);
  return { ok: true, document: exportCheckpointMetadata(result.detail, { jobId: facts.jobId, job: facts.job, nowMs: facts.nowMs, handles }) };
}

export type ReadMetadataResult =
  | { ok: true; document: CheckpointMetadataDocument }
  /** `code`: `inspect.export.syntax`, `.version` or `.shape`. */
  | { ok: false; code: string; message: string };

/** Reads an exported document back (tools, tests): checks the version and the top-level shape. */
export function readCheckpointMetadata(text: string): ReadMetadataResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'inspect.export.syntax', message: `The checkpoint metadata file is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const doc = value as Partial<CheckpointMetadataDocument> | null;
  if (typeof doc !== 'object' || doc === null || doc.sluice !== CHECKPOINT_METADATA_VERSION) {
    return {
      ok: false, code: 'inspect.export.version',
      message: `Expected a Sluice checkpoint metadata file ("sluice": "${CHECKPOINT_METADATA_VERSION}"), found ${JSON.stringify((doc as { sluice?: unknown } | null)?.sluice) ?? 'no "sluice" field'}.`,
    };
  }
  if (typeof doc.checkpoint?.id !== 'number' || !Array.isArray(doc.checkpoint.operators) || !Array.isArray(doc.handles)) {
    return { ok: false, code: 'inspect.export.shape', message: 'The checkpoint metadata file lacks "checkpoint.id", "checkpoint.operators" or "handles"; export it again from the inspector.' };
  }
  return { ok: true, document: doc as CheckpointMetadataDocument };
}

/**
 * A JSON round trip of plain data (handles are plain data by protocol; this turns non-finite
 * numbers into null the way JSON would, once, so the document equals what a reader gets).
 */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The checkpoint inspector's face on the cluster (ClusterApi.checkpointDetail /
 * exportCheckpoint): reads the JobManager's checkpoint facts and hands them to the pure
 * inspector (checkpoint/inspect.ts, inspectExport.ts); failures become coded errors.
 */
import { checkpointDetail, type CheckpointDetail } from '../checkpoint/inspect';
import { checkpointMetadataDocument, type CheckpointMetadataDocument } from '../checkpoint/inspectExport';
import type { JobManagerCore } from './JobManagerCore';
import { coded } from './stateLookup';

function requireRun(jm: JobManagerCore | null): JobManagerCore {
  if (jm === null) throw coded('inspect.noRun', 'No job has run yet: start a job with checkpoints, then inspect its checkpoints.');
  return jm;
}

/**
 * What retained checkpoint `checkpointId` (default: the latest completed) holds.
 *
 * @throws Error (with a `code`) when no job ran, none completed, or the id is not retained.
 */
export function inspectCheckpoint(jm: JobManagerCore | null, checkpointId?: number): CheckpointDetail {
  const result = checkpointDetail(requireRun(jm).inspectFacts(), checkpointId);
  if (!result.ok) throw coded(result.code, result.message);
  return result.detail;
}

/** The `checkpoint-metadata/1` document of a retained checkpoint; throws as {@link inspectCheckpoint}. */
export function exportCheckpoint(jm: JobManagerCore | null, checkpointId?: number): CheckpointMetadataDocument {
  const run = requireRun(jm);
  const result = checkpointMetadataDocument({ ...run.inspectFacts(), jobId: run.jobId, nowMs: run.virtualTimeMs }, checkpointId);
  if (!result.ok) throw coded(result.code, result.message);
  return result.document;
}

/**
 * A job's stable id: what names its state storage (one IndexedDB database per job, DESIGN.md
 * §5). It comes from the job's name alone, so editing operators or parallelism keeps the id
 * (and, later, the state restored from it), while a job under another name gets its own.
 * Readable (a slug of the name) and collision-resistant (a 32-bit FNV-1a hash of the full name,
 * so names that slug alike still differ).
 */
import type { JobGraph } from '../job/types';

const SLUG_MAX = 40;

/** `word-count-1a2b3c4d` for a job named "Word count". */
export function jobIdOf(job: Pick<JobGraph, 'name'>): string {
  const name = job.name;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX) || 'job';
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return `${slug}-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Operator ids in the designer: what a valid id looks like and how new ones are made.
 * Ids are part of the job/1 contract (edges and layout refer to them), so the designer only
 * ever produces ids the validator accepts: 1 to 64 letters, digits, `_` and `-`.
 */
import type { JobGraph } from '../../engine';

export const OPERATOR_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Why an id cannot be used for an operator in `job`, or null when it can. */
export function operatorIdProblem(job: JobGraph, id: string, ignoreId?: string): string | null {
  if (id.length === 0) return 'An operator id cannot be empty.';
  if (!OPERATOR_ID_PATTERN.test(id)) return 'Use 1 to 64 letters, digits, "_" or "-" in an operator id.';
  if (id !== ignoreId && job.operators.some((op) => op.id === id)) return `Another operator already has the id "${id}".`;
  return null;
}

/** Turns any text into a usable id stem (`Word count` → `word-count`). */
export function idStem(text: string): string {
  const stem = text
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56);
  return stem.length > 0 ? stem : 'op';
}

/** The first of `base`, `base-2`, `base-3`, … not used in `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = idStem(base);
  if (!taken.has(stem)) return stem;
  const numbered = /^(.*)-(\d+)$/.exec(stem);
  const root = numbered ? numbered[1] ?? stem : stem;
  let n = numbered ? Number(numbered[2]) + 1 : 2;
  while (taken.has(`${root}-${n}`)) n += 1;
  return `${root}-${n}`;
}

/** The set of operator ids of a job. */
export function operatorIds(job: JobGraph): Set<string> {
  return new Set(job.operators.map((op) => op.id));
}

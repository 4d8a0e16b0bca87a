/**
 * Topological order of a job's operators, stable with respect to the job file.
 *
 * Everything physical (subtask lists, region numbering, the canvas's region colours, trace
 * hashes) is laid out in this order, so it must be deterministic: among operators whose inputs
 * are all placed, the one listed first in `job.operators` goes next (Kahn's algorithm with a
 * file-position tie-break). Editing the file order of independent operators may reorder them;
 * nothing else does.
 *
 * Validation (src/engine/job/validate.ts) rejects cycles with a friendly report; this module
 * still refuses them with an exception rather than looping, because a plan built from an
 * unvalidated job must fail loudly.
 */
import type { JobGraph } from '../job/types';
import { edgeId } from '../job/types';

/**
 * Operator ids in topological order (every edge goes from an earlier to a later operator);
 * ties broken by position in `job.operators`.
 *
 * @throws Error when an edge names an unknown operator, ids repeat, or the edges form a cycle.
 */
export function topologicalOrder(job: Pick<JobGraph, 'operators' | 'edges'>): string[] {
  const position = operatorPositions(job);
  const inDegree = job.operators.map(() => 0);
  const successors: number[][] = job.operators.map(() => []);
  for (const edge of job.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (from === undefined || to === undefined) {
      const missing = from === undefined ? edge.from : edge.to;
      throw new Error(`Edge ${edgeId(edge)} names unknown operator '${missing}'.`);
    }
    (successors[from] as number[]).push(to);
    inDegree[to] = (inDegree[to] as number) + 1;
  }

  const order: string[] = [];
  // Ready operators, kept sorted by file position so the smallest is always taken first.
  const ready = inDegree.flatMap((degree, i) => (degree === 0 ? [i] : []));
  while (ready.length > 0) {
    const next = ready.shift() as number;
    order.push((job.operators[next] as { id: string }).id);
    for (const succ of successors[next] as number[]) {
      inDegree[succ] = (inDegree[succ] as number) - 1;
      if (inDegree[succ] === 0) insertSorted(ready, succ);
    }
  }

  if (order.length !== job.operators.length) {
    const stuck = job.operators.filter((_, i) => (inDegree[i] as number) > 0).map((op) => op.id);
    throw new Error(
      `The job's edges form a cycle; these operators are on it or downstream of it: ${stuck.join(', ')}. ` +
        'A streaming job must be a DAG: remove an edge of the cycle.',
    );
  }
  return order;
}

/** Map from operator id to its position in `job.operators`; refuses duplicate ids. */
function operatorPositions(job: Pick<JobGraph, 'operators'>): Map<string, number> {
  const position = new Map<string, number>();
  job.operators.forEach((op, i) => {
    if (position.has(op.id)) throw new Error(`Operator id '${op.id}' appears more than once.`);
    position.set(op.id, i);
  });
  return position;
}

/** Insert into an ascending array, keeping it ascending (jobs are small; O(n) is fine). */
function insertSorted(sorted: number[], value: number): void {
  let i = 0;
  while (i < sorted.length && (sorted[i] as number) < value) i++;
  sorted.splice(i, 0, value);
}

/**
 * The source `rescale` mode (seed 2: "when Kafka partitions and job parallelism are not
 * multiples, Bilibili disables user-set source parallelism and introduces a Rescale mode that
 * adjusts region division"), and how balanced a job's regions are.
 *
 * The problem. A source with P partitions at parallelism p reads partition i in subtask
 * i mod p (Kafka's assigner). When p does not divide P, some subtasks read ⌈P/p⌉ partitions and
 * others ⌊P/p⌋; down a forward pipeline each subtask is a region, so some regions carry twice
 * the load of others (6 partitions at parallelism 4: 2, 2, 1, 1). A `rebalance` after the
 * source evens the load but fuses every region into one, so one failure restarts everything.
 * Flink's pointwise `rescale` wiring keeps regions apart but splits P source subtasks into p
 * near-equal groups — the same 2-versus-1 imbalance (6 → 4 gives groups of 1, 2, 1, 2).
 *
 * The mode. With `parallelismMode: "rescale"` a source runs one subtask per partition (its
 * parallelism must equal its partitions: the user no longer chooses it), so every source
 * subtask reads the same. Its outgoing `rescale` edges are wired in g = gcd(P, p) equal groups
 * instead of Flink's ranges: group k joins source subtasks [k·P/g, (k+1)·P/g) to downstream
 * subtasks [k·p/g, (k+1)·p/g), all to all inside the group (records dealt round robin, or by
 * backlog, within it). Every region then reads exactly P/g partitions and spreads them over
 * p/g subtasks: balanced. When one count divides the other, g = min(P, p) and the wiring is
 * exactly Flink's pointwise one. The price, shown in the regions preview: when P and p are
 * coprime (5 and 4) there is a single region, as with rebalance — balance is kept, isolation is
 * not; pick a parallelism that shares a factor with the partitions.
 */
import type { JobGraph, OperatorSpec } from '../job/types';
import { CATALOGUE } from '../job/catalogue';
import { partitionsOfSubtask } from '../sources/sourcePartitions';
import { pointwiseLinks, type PointwiseLink } from './pointwise';

const SOURCE_KINDS: ReadonlySet<string> = new Set(['datagen', 'sequence']);

/** Partitions of a source operator (its config, else the catalogue default), or 0 for other kinds. */
export function sourcePartitions(op: Pick<OperatorSpec, 'kind' | 'config'>): number {
  if (!SOURCE_KINDS.has(op.kind)) return 0;
  const configured = op.config?.partitions;
  if (typeof configured === 'number') return configured;
  const fallback = CATALOGUE[op.kind].fields.find((f) => f.name === 'partitions')?.default;
  return typeof fallback === 'number' ? fallback : 1;
}

/** Whether `op` is a source in rescale mode. */
export function inRescaleMode(op: Pick<OperatorSpec, 'kind' | 'config'>): boolean {
  return SOURCE_KINDS.has(op.kind) && op.config?.parallelismMode === 'rescale';
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * The channels of a rescale edge in g = gcd(upstream, downstream) equal groups, all to all
 * within each group, ordered by upstream index, then downstream index.
 */
export function balancedGroupLinks(upstream: number, downstream: number): PointwiseLink[] {
  const groups = gcd(upstream, downstream);
  const up = upstream / groups;
  const down = downstream / groups;
  const links: PointwiseLink[] = [];
  for (let from = 0; from < upstream; from++) {
    const group = Math.floor(from / up);
    for (let to = group * down; to < (group + 1) * down; to++) links.push({ from, to });
  }
  return links;
}

/**
 * The channels of a pointwise edge (`forward`, `rescale`) from `from` to an operator of
 * parallelism `downstream`: balanced groups for a rescale edge out of a rescale-mode source,
 * else Flink's pointwise wiring.
 */
export function pointwiseLinksOf(from: OperatorSpec, partitioner: string, downstream: number): PointwiseLink[] {
  if (partitioner === 'rescale' && inRescaleMode(from)) return balancedGroupLinks(from.parallelism, downstream);
  return pointwiseLinks(from.parallelism, downstream);
}

/** How many source partitions each region reads, and whether they are even. */
export interface RegionBalance {
  /** Partitions read per region id (regions with no source subtask are left out). */
  partitions: Map<number, number>;
  fewest: number;
  most: number;
  balanced: boolean;
}

/**
 * Partitions read by each region of `regions` (members as `{ operatorId, index }`): every
 * source subtask counts the partitions it owns (i mod p). Null when the job has no source
 * with partitions, or fewer than two regions read any (nothing to balance).
 */
export function regionBalance(job: JobGraph, regions: readonly { id: number; subtasks: readonly { operatorId: string; index: number }[] }[]): RegionBalance | null {
  const byId = new Map(job.operators.map((op) => [op.id, op]));
  const partitions = new Map<number, number>();
  for (const region of regions) {
    let read = 0;
    let hasSource = false;
    for (const member of region.subtasks) {
      const op = byId.get(member.operatorId);
      if (op === undefined || sourcePartitions(op) === 0) continue;
      hasSource = true;
      read += partitionsOfSubtask(sourcePartitions(op), op.parallelism, member.index).length;
    }
    if (hasSource) partitions.set(region.id, read);
  }
  if (partitions.size < 2) return null;
  const counts = [...partitions.values()];
  const fewest = Math.min(...counts);
  const most = Math.max(...counts);
  return { partitions, fewest, most, balanced: fewest === most };
}

/**
 * Pipelined regions: the units of failover and of regional checkpoints (DESIGN.md §2, seeds).
 *
 * Rule (Flink `PipelinedRegionComputeUtil`, re-derived): two subtasks are in the same region
 * when a pipelined channel connects them, transitively; regions are the connected components
 * of the subtask graph over pipelined edges. In a streaming job every result partition is
 * pipelined, so every channel counts and regions are simply the connected components of the
 * physical plan. Consequences the UI and tests rely on:
 * - a forward-only pipeline at parallelism p has p regions;
 * - pointwise `rescale` keeps Flink's contiguous groups apart (4→2 and 2→4 give 2 regions);
 * - any all-to-all edge (`hash`, `rebalance`, `broadcast`, `global`) fuses both operators'
 *   subtasks into one region.
 * (Flink also merges regions that depend on each other through blocking edges; with no
 * blocking edges that step never applies.)
 *
 * All-to-all edges are unioned in O(up + down) without materialising up × down channels.
 *
 * Region-sharable committers (seed 2's `RegionSharable`): a collect sink of parallelism 1 with
 * `regionSharable` set does not fuse the pipelines feeding it. Its input channels are left out
 * of the union, and the sink is reported as a member of every region that feeds it, with
 * `sharedBy` listing those regions on its entry (a sink fed by one region is an ordinary
 * member). The checkpoint coordinator and `failoverScope` take such overlapping regions as
 * they are (checkpoint/topology.ts).
 */
import { ALL_TO_ALL } from '../job/types';
import type { JobGraph, OperatorSpec } from '../job/types';
import { subtaskKey, type SubtaskRef } from './executionGraph';
import { pointwiseLinksOf } from './sourceRescaleMode';
import { topologicalOrder } from './topologicalOrder';

/** A member of a region; `sharedBy` is set only on a region-sharable committer fed by several regions. */
export interface RegionMember extends SubtaskRef {
  /** Every region holding this subtask, ascending (the same list on each of its entries). */
  sharedBy?: number[];
}

/** One pipelined region. */
export interface Region {
  /**
   * 1-based and deterministic: regions are numbered in the order of their smallest member
   * that is not shared, members ordered by (topological operator position, subtask index).
   */
  id: number;
  /** Members in (topological operator position, subtask index) order. */
  subtasks: RegionMember[];
}

/** How to divide. */
export interface DivideOptions {
  /** Honour `regionSharable` collect sinks (default true); false fuses their inputs like any edge. */
  shareCommitters?: boolean;
}

/** Whether an operator is a region-sharable committer (a flagged collect sink of parallelism 1). */
export function isRegionSharable(op: Pick<OperatorSpec, 'kind' | 'parallelism' | 'config'>): boolean {
  return op.kind === 'collect' && op.parallelism === 1 && op.config?.regionSharable === true;
}

/**
 * Divide a (valid) job's subtasks into pipelined regions.
 *
 * @throws Error on a cycle or unknown operator (see `topologicalOrder`), RangeError when an
 * operator's parallelism is not a positive integer.
 */
export function divideRegions(job: Pick<JobGraph, 'operators' | 'edges'>, options: DivideOptions = {}): Region[] {
  const share = options.shareCommitters ?? true;
  const order = topologicalOrder(job);
  const byId = new Map(job.operators.map((op) => [op.id, op] as const));

  // Flat numbering in (topological position, index) order, so ascending flat index is the
  // order regions and their members are reported in.
  const refs: SubtaskRef[] = [];
  const offset = new Map<string, number>();
  for (const id of order) {
    const { parallelism } = byId.get(id) as OperatorSpec;
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new RangeError(`Operator '${id}': parallelism ${String(parallelism)} must be a positive integer.`);
    }
    offset.set(id, refs.length);
    for (let index = 0; index < parallelism; index++) refs.push({ operatorId: id, index });
  }

  const sets = new DisjointSets(refs.length);
  const sharable = new Set(share ? job.operators.filter(isRegionSharable).map((op) => op.id) : []);
  for (const edge of job.edges) {
    if (sharable.has(edge.to)) continue;
    const up = offset.get(edge.from) as number;
    const down = offset.get(edge.to) as number;
    const upCount = (byId.get(edge.from) as OperatorSpec).parallelism;
    const downCount = (byId.get(edge.to) as OperatorSpec).parallelism;
    if (ALL_TO_ALL.has(edge.partitioner)) {
      // Every upstream subtask reaches every downstream one: one component holds them all.
      for (let i = 0; i < upCount; i++) sets.union(up, up + i);
      for (let j = 0; j < downCount; j++) sets.union(up, down + j);
    } else {
      const source = byId.get(edge.from) as OperatorSpec;
      for (const { from, to } of pointwiseLinksOf(source, edge.partitioner, downCount)) sets.union(up + from, down + to);
    }
  }

  // A sharable committer fed by one region (or none) is an ordinary member; fed by several, it is shared.
  const sharedRoots = new Map<number, number[]>();
  for (const id of sharable) {
    const flat = offset.get(id) as number;
    const roots = new Set<number>();
    for (const edge of job.edges) {
      if (edge.to !== id) continue;
      const up = offset.get(edge.from) as number;
      const upCount = (byId.get(edge.from) as OperatorSpec).parallelism;
      for (let i = 0; i < upCount; i++) roots.add(sets.find(up + i));
    }
    if (roots.size > 1) sharedRoots.set(flat, [...roots]);
    else for (const root of roots) sets.union(root, flat);
  }

  const regions = collectRegions(refs, sets, new Set(sharedRoots.keys()));
  if (sharedRoots.size === 0) return regions;
  const byRoot = new Map<number, Region>();
  const touched = new Set<Region>();
  refs.forEach((_, i) => {
    if (sharedRoots.has(i)) return;
    const root = sets.find(i);
    if (!byRoot.has(root)) byRoot.set(root, regions[byRoot.size] as Region);
  });
  for (const [flat, roots] of sharedRoots) {
    const ref = refs[flat] as SubtaskRef;
    const holders = roots.map((root) => byRoot.get(sets.find(root)) as Region).sort((a, b) => a.id - b.id);
    const sharedBy = holders.map((region) => region.id);
    for (const region of holders) {
      region.subtasks.push({ operatorId: ref.operatorId, index: ref.index, sharedBy: [...sharedBy] });
      touched.add(region);
    }
  }
  // Keep members in flat order: a shared committer may precede later members of a region.
  const flatOf = new Map(refs.map((ref, i) => [subtaskKey(ref), i] as const));
  for (const region of touched) {
    region.subtasks.sort((a, b) => (flatOf.get(subtaskKey(a)) as number) - (flatOf.get(subtaskKey(b)) as number));
  }
  return regions;
}

/**
 * Lookup from `subtaskKey` (`${operatorId}#${index}`) to the region holding that subtask (for
 * a shared committer: the last of its regions; see `regionIdsOfSubtask` for all of them).
 */
export function regionOfSubtask(regions: readonly Region[]): Map<string, Region> {
  const lookup = new Map<string, Region>();
  for (const region of regions) {
    for (const ref of region.subtasks) lookup.set(subtaskKey(ref), region);
  }
  return lookup;
}

/** Lookup from `subtaskKey` to the ids of every region holding that subtask, ascending. */
export function regionIdsOfSubtask(regions: readonly Region[]): Map<string, number[]> {
  const lookup = new Map<string, number[]>();
  for (const region of [...regions].sort((a, b) => a.id - b.id)) {
    for (const ref of region.subtasks) {
      const key = subtaskKey(ref);
      const list = lookup.get(key) ?? [];
      list.push(region.id);
      lookup.set(key, list);
    }
  }
  return lookup;
}

/** Group subtasks by component root; scanning in flat order numbers regions by smallest member. */
function collectRegions(refs: readonly SubtaskRef[], sets: DisjointSets, skip: ReadonlySet<number>): Region[] {
  const regions: Region[] = [];
  const byRoot = new Map<number, Region>();
  refs.forEach((ref, i) => {
    if (skip.has(i)) return;
    const root = sets.find(i);
    let region = byRoot.get(root);
    if (region === undefined) {
      region = { id: regions.length + 1, subtasks: [] };
      byRoot.set(root, region);
      regions.push(region);
    }
    region.subtasks.push({ operatorId: ref.operatorId, index: ref.index });
  });
  return regions;
}

/** Union-find over 0..size-1 with path halving and union by size. */
class DisjointSets {
  private readonly parent: number[];
  private readonly size: number[];

  constructor(count: number) {
    this.parent = Array.from({ length: count }, (_, i) => i);
    this.size = new Array<number>(count).fill(1);
  }

  find(element: number): number {
    let x = element;
    while (this.parent[x] !== x) {
      const grandparent = this.parent[this.parent[x] as number] as number;
      this.parent[x] = grandparent;
      x = grandparent;
    }
    return x;
  }

  union(a: number, b: number): void {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return;
    if ((this.size[rootA] as number) < (this.size[rootB] as number)) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA] = (this.size[rootA] as number) + (this.size[rootB] as number);
  }
}

/**
 * The division runs use: region-sharable committers are shared (each feeding region keeps its
 * own transactions at the committer, which stays up while one of them restarts; see
 * operators/collectSink.ts and cluster/sharedCommitters.ts). `{ shareCommitters: false }`
 * would fuse their regions, as runs did before the committer committed per region.
 */
export const RUN_REGIONS: DivideOptions = { shareCommitters: true };

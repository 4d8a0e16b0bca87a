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
 */
import { ALL_TO_ALL } from '../job/types';
import type { JobGraph, OperatorSpec } from '../job/types';
import { subtaskKey, type SubtaskRef } from './executionGraph';
import { pointwiseLinks } from './pointwise';
import { topologicalOrder } from './topologicalOrder';

/** One pipelined region. */
export interface Region {
  /**
   * 1-based and deterministic: regions are numbered in the order of their smallest member,
   * members ordered by (topological operator position, subtask index).
   */
  id: number;
  /** Members in (topological operator position, subtask index) order. */
  subtasks: SubtaskRef[];
}

/**
 * Divide a (valid) job's subtasks into pipelined regions.
 *
 * @throws Error on a cycle or unknown operator (see `topologicalOrder`), RangeError when an
 * operator's parallelism is not a positive integer.
 */
export function divideRegions(job: Pick<JobGraph, 'operators' | 'edges'>): Region[] {
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
  for (const edge of job.edges) {
    const up = offset.get(edge.from) as number;
    const down = offset.get(edge.to) as number;
    const upCount = (byId.get(edge.from) as OperatorSpec).parallelism;
    const downCount = (byId.get(edge.to) as OperatorSpec).parallelism;
    if (ALL_TO_ALL.has(edge.partitioner)) {
      // Every upstream subtask reaches every downstream one: one component holds them all.
      for (let i = 0; i < upCount; i++) sets.union(up, up + i);
      for (let j = 0; j < downCount; j++) sets.union(up, down + j);
    } else {
      for (const { from, to } of pointwiseLinks(upCount, downCount)) sets.union(up + from, down + to);
    }
  }

  return collectRegions(refs, sets);
}

/**
 * Lookup from `subtaskKey` (`${operatorId}#${index}`) to the region holding that subtask.
 */
export function regionOfSubtask(regions: readonly Region[]): Map<string, Region> {
  const lookup = new Map<string, Region>();
  for (const region of regions) {
    for (const ref of region.subtasks) lookup.set(subtaskKey(ref), region);
  }
  return lookup;
}

/** Group subtasks by component root; scanning in flat order numbers regions by smallest member. */
function collectRegions(refs: readonly SubtaskRef[], sets: DisjointSets): Region[] {
  const regions: Region[] = [];
  const byRoot = new Map<number, Region>();
  refs.forEach((ref, i) => {
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

/**
 * What the regions preview says about source partitions per region (plan/sourceRescaleMode.ts
 * computes it): balanced, or unbalanced with the sources to blame and what to try.
 */
import type { JobGraph } from '../../engine/job/types';
import { inRescaleMode, regionBalance, sourcePartitions, type RegionBalance } from '../../engine/plan/sourceRescaleMode';
import type { RegionLike } from '../model/regionsView';

export interface BalanceNote {
  balanced: boolean;
  /** One line: "Balanced: every region reads 3 partitions." */
  text: string;
  /** What to try when unbalanced, naming the sources whose partitions do not divide evenly. */
  hint?: string;
  balance: RegionBalance;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The note for `regions` of `job`, or null when there is nothing to balance (fewer than two regions read partitions). */
export function balanceNote(job: JobGraph, regions: readonly RegionLike[]): BalanceNote | null {
  const balance = regionBalance(job, regions);
  if (balance === null) return null;
  if (balance.balanced) {
    return { balanced: true, text: `Balanced: every region reads ${plural(balance.most, 'partition', 'partitions')}.`, balance };
  }
  const uneven = job.operators.filter((op) => {
    const partitions = sourcePartitions(op);
    return partitions > 0 && !inRescaleMode(op) && partitions % op.parallelism !== 0;
  });
  const text = `Unbalanced: regions read ${balance.fewest} to ${plural(balance.most, 'partition', 'partitions')}.`;
  if (uneven.length === 0) return { balanced: false, text, balance };
  const named = uneven.map((op) => `${op.name}: ${plural(sourcePartitions(op), 'partition', 'partitions')} at parallelism ${op.parallelism}`).join('; ');
  return {
    balanced: false, text, balance,
    hint: `${named}. Try parallelismMode "rescale" with a rescale edge: equal regions.`,
  };
}

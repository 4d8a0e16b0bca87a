import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { runRegionsOf, regionsOf } from '../store/derived';
import { regionColours, regionsBySubtask, sharedBackground, sharedTitle } from './regionsView';

const job: JobGraph = {
  sluice: 'job/1', name: 'shared',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 1 },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1 },
    { id: 'commit', kind: 'collect', name: 'Commit', parallelism: 1, config: { regionSharable: true } },
  ],
  edges: [{ from: 'a', to: 'commit', partitioner: 'forward' }, { from: 'b', to: 'commit', partitioner: 'forward' }],
};

describe('regions view of a region-sharable committer', () => {
  it('the preview and runs list the committer in both regions', () => {
    const preview = regionsOf(job);
    const run = runRegionsOf(job);
    expect(preview.ok && regionsBySubtask(preview.regions).get('commit#0')).toEqual([1, 2]);
    expect(run.ok && regionsBySubtask(run.regions).get('commit#0')).toEqual([1, 2]);
  });

  it('draws one stripe per region colour and says which regions share it', () => {
    const background = sharedBackground([1, 2, 3], 'light');
    for (const id of [1, 2, 3]) expect(background).toContain(regionColours(id, 'light').fill);
    expect(background).toMatch(/^linear-gradient\(90deg, .* 0\.00% 33\.33%, .* 33\.33% 66\.67%, .* 66\.67% 100\.00%\)$/);
    expect(sharedTitle([1, 2, 3])).toBe('shared by regions 1, 2, 3');
  });
});

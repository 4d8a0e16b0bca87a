import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { copyOperators, offsetBelow, pasteClipboard, shiftClipboard } from './clipboard';
import { NODE_HEIGHT } from './positions';

function job(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Copy me',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2, uid: 'source-v1', config: { keys: 5 } },
      { id: 'map', kind: 'map', name: 'Map', parallelism: 2 },
      { id: 'sink', kind: 'collect', name: 'Sink', parallelism: 1 },
    ],
    edges: [
      { from: 'src', to: 'map', partitioner: 'forward' },
      { from: 'map', to: 'sink', partitioner: 'rebalance' },
    ],
    layout: { src: { x: 0, y: 0 }, map: { x: 300, y: 0 }, sink: { x: 600, y: 0 } },
  };
}

describe('copy and paste', () => {
  it('copies nothing when nothing is selected', () => {
    expect(copyOperators(job(), [])).toBeNull();
  });

  it('pastes with fresh ids, offset positions, no uid, and only the inner edges', () => {
    const clip = copyOperators(job(), ['src', 'map']);
    if (!clip) throw new Error('expected a clipboard');
    expect(clip.edges).toEqual([{ from: 'src', to: 'map', partitioner: 'forward' }]);
    const { job: pasted, ids } = pasteClipboard(job(), clip);
    expect(ids).toEqual(['src-2', 'map-2']);
    expect(pasted.operators).toHaveLength(5);
    expect(pasted.operators[3]).toEqual({ id: 'src-2', kind: 'datagen', name: 'Source', parallelism: 2, config: { keys: 5 } });
    expect(pasted.edges.at(-1)).toEqual({ from: 'src-2', to: 'map-2', partitioner: 'forward' });
    expect(pasted.edges).toHaveLength(3);
    expect(pasted.layout?.['src-2']).toEqual({ x: 40, y: 40 });
    expect(pasted.layout?.['map-2']).toEqual({ x: 340, y: 40 });
  });

  it('does not share config objects between original and copy', () => {
    const clip = copyOperators(job(), ['src']);
    if (!clip) throw new Error('expected a clipboard');
    const { job: pasted } = pasteClipboard(job(), clip);
    expect(pasted.operators[3]?.config).not.toBe(pasted.operators[0]?.config);
  });

  it('offsets pastes below the copied operators', () => {
    const clip = copyOperators({ ...job(), layout: { src: { x: 0, y: 0 }, map: { x: 300, y: 100 }, sink: { x: 0, y: 0 } } }, ['src', 'map']);
    if (!clip) throw new Error('expected a clipboard');
    expect(offsetBelow(clip)).toEqual({ x: 40, y: 100 + NODE_HEIGHT + 40 });
  });

  it('moves successive pastes further', () => {
    const clip = copyOperators(job(), ['sink']);
    if (!clip) throw new Error('expected a clipboard');
    const first = pasteClipboard(job(), clip);
    const second = pasteClipboard(first.job, shiftClipboard(clip));
    expect(second.ids).toEqual(['sink-3']);
    expect(second.job.layout?.['sink-3']).toEqual({ x: 680, y: 80 });
  });
});

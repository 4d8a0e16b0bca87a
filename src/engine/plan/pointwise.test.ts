import { describe, expect, it } from 'vitest';
import { consumedUpstreamRange, fedDownstreamRange, pointwiseLinks } from './pointwise';

/** Links as `from→to` strings, easy to compare against hand-worked Flink wiring. */
function wiring(up: number, down: number): string[] {
  return pointwiseLinks(up, down).map(({ from, to }) => `${from}→${to}`);
}

describe('pointwiseLinks (Flink EdgeManagerBuildUtil.connectPointwise)', () => {
  it('connects i→i at equal parallelism', () => {
    expect(wiring(3, 3)).toEqual(['0→0', '1→1', '2→2']);
  });

  // Hand-computed from Flink's formulas; comments show the range each subtask gets.
  it('upstream > downstream: downstream d consumes [d*up/down, (d+1)*up/down)', () => {
    expect(wiring(4, 2)).toEqual(['0→0', '1→0', '2→1', '3→1']); // d0 [0,2)  d1 [2,4)
    expect(wiring(3, 2)).toEqual(['0→0', '1→1', '2→1']); // d0 [0,1)  d1 [1,3)
    expect(wiring(5, 3)).toEqual(['0→0', '1→1', '2→1', '3→2', '4→2']); // [0,1) [1,3) [3,5)
    expect(wiring(4, 3)).toEqual(['0→0', '1→1', '2→2', '3→2']); // [0,1) [1,2) [2,4)
    expect(wiring(7, 3)).toEqual(['0→0', '1→0', '2→1', '3→1', '4→2', '5→2', '6→2']); // [0,2) [2,4) [4,7)
    expect(wiring(3, 1)).toEqual(['0→0', '1→0', '2→0']);
  });

  it('upstream < downstream: upstream u feeds [ceil(u*down/up), ceil((u+1)*down/up))', () => {
    expect(wiring(2, 4)).toEqual(['0→0', '0→1', '1→2', '1→3']); // u0 [0,2)  u1 [2,4)
    expect(wiring(2, 3)).toEqual(['0→0', '0→1', '1→2']); // u0 [0,2)  u1 [2,3)
    expect(wiring(3, 5)).toEqual(['0→0', '0→1', '1→2', '1→3', '2→4']); // [0,2) [2,4) [4,5)
    expect(wiring(3, 4)).toEqual(['0→0', '0→1', '1→2', '2→3']); // [0,2) [2,3) [3,4)
    expect(wiring(1, 3)).toEqual(['0→0', '0→1', '0→2']);
  });

  it('exposes the per-subtask ranges', () => {
    expect(consumedUpstreamRange(5, 3, 1)).toEqual({ start: 1, end: 3 });
    expect(fedDownstreamRange(3, 5, 2)).toEqual({ start: 4, end: 5 });
  });

  it('covers every subtask on both sides with max(up, down) channels, no more', () => {
    for (let up = 1; up <= 12; up++) {
      for (let down = 1; down <= 12; down++) {
        const links = pointwiseLinks(up, down);
        expect(links.length, `${up}→${down}`).toBe(Math.max(up, down));
        expect(new Set(links.map((l) => l.from)).size).toBe(up);
        expect(new Set(links.map((l) => l.to)).size).toBe(down);
        // No downstream subtask has more inputs than Flink's computeMaxEdgesToTargetExecutionVertex.
        const maxIn = Math.ceil(up / down);
        for (let d = 0; d < down; d++) {
          expect(links.filter((l) => l.to === d).length).toBeLessThanOrEqual(maxIn);
        }
      }
    }
  });

  it('orders links upstream-major', () => {
    for (const [up, down] of [[7, 3], [3, 7], [5, 5]] as const) {
      const keys = pointwiseLinks(up, down).map((l) => l.from * 100 + l.to);
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
    }
  });

  it('rejects non-positive counts', () => {
    expect(() => pointwiseLinks(0, 2)).toThrow(/Upstream parallelism 0 must be a positive integer/);
    expect(() => pointwiseLinks(2, 1.5)).toThrow(/Downstream parallelism 1.5/);
  });
});

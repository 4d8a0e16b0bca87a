/**
 * Which subtasks a pointwise edge (`forward`, `rescale`) connects, exactly as Flink wires it.
 *
 * Source: Flink `EdgeManagerBuildUtil.connectPointwise` (re-derived, not copied). With `up`
 * upstream and `down` downstream subtasks:
 * - `up == down`: subtask i feeds subtask i.
 * - `up > down`: downstream d consumes upstream [d*up/down, (d+1)*up/down) (int division), so
 *   the upstream subtasks are split into `down` contiguous, near-equal groups.
 * - `up < down`: upstream u feeds downstream [ceil(u*down/up), ceil((u+1)*down/up)), so each
 *   upstream subtask fans out to a contiguous, near-equal group.
 *
 * Either way every subtask on both sides gets at least one channel and no channel crosses a
 * group, which is why pointwise edges keep pipelined regions apart (see regions.ts).
 */

/** One pointwise channel: upstream subtask index → downstream subtask index. */
export interface PointwiseLink {
  from: number;
  to: number;
}

/** The half-open range [start, end) of indices on the other side. */
export interface IndexRange {
  start: number;
  end: number;
}

/**
 * Upstream subtasks consumed by downstream subtask `index` when `upstream > downstream`
 * (the `sourceCount > targetCount` branch of Flink `connectPointwise`).
 */
export function consumedUpstreamRange(upstream: number, downstream: number, index: number): IndexRange {
  return {
    start: Math.trunc((index * upstream) / downstream),
    end: Math.trunc(((index + 1) * upstream) / downstream),
  };
}

/**
 * Downstream subtasks fed by upstream subtask `index` when `upstream < downstream`
 * (the `sourceCount < targetCount` branch of Flink `connectPointwise`; ceil written as
 * `(a + b - 1) / b` in int arithmetic, as Flink does).
 */
export function fedDownstreamRange(upstream: number, downstream: number, index: number): IndexRange {
  return {
    start: Math.trunc((index * downstream + upstream - 1) / upstream),
    end: Math.trunc(((index + 1) * downstream + upstream - 1) / upstream),
  };
}

/**
 * All pointwise channels between `upstream` and `downstream` subtasks, ordered by upstream
 * index, then downstream index.
 *
 * @throws RangeError unless both counts are positive integers.
 */
export function pointwiseLinks(upstream: number, downstream: number): PointwiseLink[] {
  assertCount(upstream, 'Upstream parallelism');
  assertCount(downstream, 'Downstream parallelism');
  const links: PointwiseLink[] = [];
  if (upstream === downstream) {
    for (let i = 0; i < upstream; i++) links.push({ from: i, to: i });
  } else if (upstream > downstream) {
    // Downstream-major in Flink; ranges are contiguous and ascending, so this is also
    // upstream-major order.
    for (let to = 0; to < downstream; to++) {
      const { start, end } = consumedUpstreamRange(upstream, downstream, to);
      for (let from = start; from < end; from++) links.push({ from, to });
    }
  } else {
    for (let from = 0; from < upstream; from++) {
      const { start, end } = fedDownstreamRange(upstream, downstream, from);
      for (let to = start; to < end; to++) links.push({ from, to });
    }
  }
  return links;
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} ${String(value)} must be a positive integer.`);
  }
}

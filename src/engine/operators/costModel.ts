/**
 * Virtual processing cost per operator kind (DESIGN.md §3: "each record costs an
 * operator-specific virtual time; a slow-subtask fault multiplies it"). The scheduler charges
 * a subtask `virtualCostUs(kind, in, out) × costScale × slowFactor` µs of virtual busy time
 * per call (RunConfig `costScale`, default 1) and stops feeding it when a tick's budget is
 * spent; backpressure follows from buffers and credits, not from these numbers directly.
 *
 * Scale: a teaching scale, not a real core's. Each subtask is a small machine, so that the
 * gallery jobs at their default rates keep their busiest subtasks 10–60 % busy and one fault is
 * enough to tip a subtask over (issue 3: `slow-task` ×4 on one `work` subtask of the straggler
 * example back-pressures its source with round robin, much less with backlog selection).
 * Busy time measured over 20 virtual seconds (records per virtual second per subtask × cost):
 *
 * - word count: words 4,000 × 50 µs = 20 %, normalise 4,000 × 150 µs = 60 %, count 11–29 %
 *   (the subtask owning the hottest words most), out 8,000 × 40 µs = 32 %, sample 16 %;
 * - straggler: source 20 %, work 2,000 × 150 µs = 30 %, out 32 %; with ×4 one work subtask
 *   needs 120 % of its time, so round robin fills its queue and back-pressures the source;
 * - dedup: events 10 %, dedup ≈ 20 %; click sessions: sessions 9–15 %, clicks 4 %;
 * - parallel pipeline (500 records/s per subtask) stays light: triple 8 %, evens 4 %.
 *
 * The two map figures pull in opposite directions: the straggler needs map > 125 µs for ×4 to
 * overload it, and word count's normalise (twice the straggler's rate) then sits above 50 %.
 * RunConfig `costScale` multiplies everything (benchmarks use 0.001).
 *
 * Relative weights follow what the operator does per record:
 *
 * | kind      | µs per record in | µs per record out | why                                              |
 * | --------- | ---------------: | ----------------: | ------------------------------------------------ |
 * | datagen   |               50 |                 0 | three hash draws, a key string, one object       |
 * | sequence  |               40 |                 0 | one object                                       |
 * | map       |              150 |                 0 | one expression, one record copy                  |
 * | filter    |               80 |                 0 | one expression, no copy                          |
 * | flatMap   |              150 |                50 | one expression, one copy per element             |
 * | union     |               10 |                 0 | pass-through                                     |
 * | aggregate |              100 |                 0 | key hash, state read and write                   |
 * | window    |              300 |               100 | key hash, state per window, timer registration; each result fires a timer |
 * | dedup     |              200 |                 0 | key hash, TTL state read (and write)             |
 * | collect   |               40 |                 0 | appended to the open transaction                 |
 * | log       |               20 |                 0 | a counter; the sampled lines cost nothing extra  |
 * | discard   |               10 |                 0 | a counter                                        |
 *
 * For sources, "records in" is records generated. A subtask therefore handles at most
 * `1e6 / cost` records per virtual second (map: about 6,700).
 */
import type { OperatorKind } from '../job/types';

export interface OperatorCost {
  /** Virtual µs per record the operator consumes (sources: generates). */
  perRecordUs: number;
  /** Virtual µs per record the operator emits, on top. */
  perOutputUs: number;
}

export const OPERATOR_COSTS: Readonly<Record<OperatorKind, OperatorCost>> = {
  datagen: { perRecordUs: 50, perOutputUs: 0 },
  sequence: { perRecordUs: 40, perOutputUs: 0 },
  map: { perRecordUs: 150, perOutputUs: 0 },
  filter: { perRecordUs: 80, perOutputUs: 0 },
  flatMap: { perRecordUs: 150, perOutputUs: 50 },
  union: { perRecordUs: 10, perOutputUs: 0 },
  aggregate: { perRecordUs: 100, perOutputUs: 0 },
  window: { perRecordUs: 300, perOutputUs: 100 },
  dedup: { perRecordUs: 200, perOutputUs: 0 },
  collect: { perRecordUs: 40, perOutputUs: 0 },
  log: { perRecordUs: 20, perOutputUs: 0 },
  discard: { perRecordUs: 10, perOutputUs: 0 },
};

/** Virtual µs a call costs: `recordsIn × perRecordUs + recordsOut × perOutputUs` (before any slow factor). */
export function virtualCostUs(kind: OperatorKind, recordsIn: number, recordsOut: number): number {
  const cost = OPERATOR_COSTS[kind];
  return recordsIn * cost.perRecordUs + recordsOut * cost.perOutputUs;
}

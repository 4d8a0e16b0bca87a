/**
 * Virtual processing cost per operator kind (DESIGN.md §3: "each record costs an
 * operator-specific virtual time; a slow-subtask fault multiplies it"). The scheduler charges
 * a subtask `virtualCostUs(kind, in, out) × slowFactor` µs of virtual busy time per call and
 * stops feeding it when a tick's budget is spent; backpressure follows from buffers and
 * credits, not from these numbers directly.
 *
 * The figures are relative weights at the scale of a real Flink subtask on one core, where a
 * stateless map handles on the order of a million small records per second and a keyed
 * heap-state update costs a few times that:
 *
 * | kind      | µs per record in | µs per record out | why                                              |
 * | --------- | ---------------: | ----------------: | ------------------------------------------------ |
 * | datagen   |              0.5 |                 0 | three hash draws, a key string, one object       |
 * | sequence  |              0.3 |                 0 | one object                                       |
 * | map       |              0.5 |                 0 | one expression, one record copy                  |
 * | filter    |              0.3 |                 0 | one expression, no copy                          |
 * | flatMap   |              0.5 |               0.2 | one expression, one copy per element             |
 * | union     |              0.1 |                 0 | pass-through                                     |
 * | aggregate |              2.0 |                 0 | key hash, state read and write                   |
 * | window    |              3.0 |               1.0 | key hash, state per window, timer registration; each result fires a timer |
 * | dedup     |              2.0 |                 0 | key hash, TTL state read (and write)             |
 * | collect   |              1.0 |                 0 | kept for the two-phase commit                    |
 * | log       |              0.5 |                 0 | a counter; the sampled lines cost nothing extra  |
 * | discard   |              0.1 |                 0 | a counter                                        |
 *
 * For sources, "records in" is records generated. At these scales the example jobs (a few
 * thousand records per second per subtask) keep subtasks below 1 % busy: a `slow-task` factor
 * of a few hundred to a few thousand is what pushes one into backpressure.
 */
import type { OperatorKind } from '../job/types';

export interface OperatorCost {
  /** Virtual µs per record the operator consumes (sources: generates). */
  perRecordUs: number;
  /** Virtual µs per record the operator emits, on top. */
  perOutputUs: number;
}

export const OPERATOR_COSTS: Readonly<Record<OperatorKind, OperatorCost>> = {
  datagen: { perRecordUs: 0.5, perOutputUs: 0 },
  sequence: { perRecordUs: 0.3, perOutputUs: 0 },
  map: { perRecordUs: 0.5, perOutputUs: 0 },
  filter: { perRecordUs: 0.3, perOutputUs: 0 },
  flatMap: { perRecordUs: 0.5, perOutputUs: 0.2 },
  union: { perRecordUs: 0.1, perOutputUs: 0 },
  aggregate: { perRecordUs: 2, perOutputUs: 0 },
  window: { perRecordUs: 3, perOutputUs: 1 },
  dedup: { perRecordUs: 2, perOutputUs: 0 },
  collect: { perRecordUs: 1, perOutputUs: 0 },
  log: { perRecordUs: 0.5, perOutputUs: 0 },
  discard: { perRecordUs: 0.1, perOutputUs: 0 },
};

/** Virtual µs a call costs: `recordsIn × perRecordUs + recordsOut × perOutputUs` (before any slow factor). */
export function virtualCostUs(kind: OperatorKind, recordsIn: number, recordsOut: number): number {
  const cost = OPERATOR_COSTS[kind];
  return recordsIn * cost.perRecordUs + recordsOut * cost.perOutputUs;
}

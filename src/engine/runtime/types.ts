/**
 * Shared vocabulary of the runtime (DESIGN.md §3, §4): what flows between subtasks, and the
 * ports through which the runtime reaches time and randomness. The network (src/engine/network),
 * the operators (src/engine/operators) and the scheduler all speak these types.
 */
import type { FieldValue } from '../expr';

/** A record: a flat object of fields. Sources produce `{ key, value, ts }`. */
export type StreamRecord = Record<string, FieldValue>;

/** Virtual time in milliseconds since the run started (DESIGN.md §3). */
export type VirtualMs = number;

/** A record with its event timestamp (virtual ms), or null when the job runs without event time. */
export interface TimedRecord {
  record: StreamRecord;
  timestamp: VirtualMs | null;
}

/** Elements of a stream other than records, in the order they travel with records. */
export type StreamEvent =
  | { type: 'watermark'; timestamp: VirtualMs }
  /** A source partition or an input went idle: it no longer holds back the watermark. */
  | { type: 'idle' }
  /** Checkpoint barrier (fault tolerance). */
  | { type: 'barrier'; checkpointId: number; checkpointType?: 'full' | 'incremental' }
  /** The producing subtask finished (bounded input); the channel will carry nothing more. */
  | { type: 'end-of-partition' };

export type StreamElement = ({ type: 'record' } & TimedRecord) | StreamEvent;

/** Identifies one subtask: operator id and index within its parallelism. */
export interface SubtaskId {
  operatorId: string;
  index: number;
}

/** The seeded pseudo-random generator port: one per run, split deterministically per subtask. */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number;
  /** An independent generator derived from this one and a label (e.g. a subtask id). */
  fork(label: string): Prng;
}

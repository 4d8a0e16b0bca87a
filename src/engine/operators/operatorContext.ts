/**
 * Builds an operator's context: the one place the runtime wires ports (clock, state storage,
 * event log) to an operator subtask.
 */
import { CATALOGUE } from '../job/catalogue';
import type { OperatorKind } from '../job/types';
import { keyGroupRangeForOperator } from '../keygroups/keyGroups';
import type { SubtaskId } from '../runtime/types';
import { KeyedStateAccess } from '../state/KeyedStateAccess';
import type { KeyedStateBackend, VirtualClock } from '../state/types';
import { InputKeySelector } from './keySelector';
import { OutputCollector } from './OutputCollector';
import type { LogEntry, OperatorContext, OperatorCounters } from './types';

export interface OperatorContextOptions {
  subtask: SubtaskId;
  kind: OperatorKind;
  operatorName: string;
  parallelism: number;
  maxParallelism: number;
  clock: VirtualClock;
  /**
   * The subtask's keyed backend, opened over the run's `StateStorage` with this subtask's
   * key-group range: required for keyed kinds, ignored otherwise.
   */
  stateBackend?: KeyedStateBackend;
  /** Key source (hash edge `key`) of each input in input order; required for keyed kinds. */
  inputKeys?: readonly (string | undefined)[];
  /** The run's event log; defaults to dropping entries. */
  log?: (entry: LogEntry) => void;
  /**
   * Where emitted records go, built over the context's counters; defaults to a buffering
   * `OutputCollector`. A runtime may pass one that forwards straight into the network.
   */
  output?: (counters: OperatorCounters) => OutputCollector;
}

/**
 * A fresh context (zeroed counters, empty output).
 *
 * @throws Error when a keyed kind lacks a backend or input keys, or the backend's range is not
 * this subtask's.
 */
export function createOperatorContext(options: OperatorContextOptions): OperatorContext {
  const keyGroupRange = keyGroupRangeForOperator(options.maxParallelism, options.parallelism, options.subtask.index);
  const counters: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0 };
  const keyedKind = CATALOGUE[options.kind].category === 'keyed';
  let keyed: KeyedStateAccess | undefined;
  let keys: InputKeySelector | undefined;
  if (keyedKind) {
    const backend = options.stateBackend;
    if (backend === undefined || options.inputKeys === undefined) {
      throw new Error(`Keyed operator ${options.subtask.operatorId} needs a state backend and the key of each input.`);
    }
    const { start, end } = backend.keyGroupRange;
    if (start !== keyGroupRange.start || end !== keyGroupRange.end || backend.maxParallelism !== options.maxParallelism) {
      throw new Error(
        `The state backend of ${options.subtask.operatorId}#${options.subtask.index} serves key groups [${start}, ${end}] ` +
          `but the subtask owns [${keyGroupRange.start}, ${keyGroupRange.end}].`,
      );
    }
    keyed = new KeyedStateAccess(backend, options.clock);
    keys = new InputKeySelector(options.inputKeys);
  }
  const log = options.log ?? (() => undefined);
  return {
    subtask: { ...options.subtask },
    kind: options.kind,
    operatorName: options.operatorName,
    parallelism: options.parallelism,
    maxParallelism: options.maxParallelism,
    keyGroupRange,
    output: options.output?.(counters) ?? new OutputCollector(counters),
    counters,
    clock: options.clock,
    keyed,
    keys,
    log,
  };
}

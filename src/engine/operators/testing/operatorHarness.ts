/**
 * Test support: one operator subtask with a memory backend, a manual clock and a log, driven
 * through the real `OperatorRunner`. Not used by the engine itself.
 */
import type { OperatorKind } from '../../job/types';
import type { StreamRecord, TimedRecord } from '../../runtime/types';
import { createMemoryStateStorage, type MemoryStateStorage } from '../../state/memory/MemoryStateStorage';
import { ManualClock } from '../../state/testing/manualClock';
import { keyGroupRangeForOperator } from '../../keygroups/keyGroups';
import { createOperator } from '../createOperator';
import { createOperatorContext } from '../operatorContext';
import { OperatorRunner } from '../OperatorRunner';
import type { LogEntry } from '../types';

export interface HarnessOptions {
  config?: Record<string, unknown>;
  parallelism?: number;
  index?: number;
  maxParallelism?: number;
  inputKeys?: readonly (string | undefined)[];
  storage?: MemoryStateStorage;
  clock?: ManualClock;
  operatorId?: string;
}

export interface Harness {
  runner: OperatorRunner;
  clock: ManualClock;
  storage: MemoryStateStorage;
  logs: LogEntry[];
  /** Processes records (with timestamps) and returns what was emitted. */
  push(records: readonly TimedRecord[], input?: number): TimedRecord[];
  /** Advances the watermark and returns what the fired timers emitted. */
  watermark(timestamp: number): TimedRecord[];
}

/** Records at event times: `at(5, { key: 'a' })`. */
export function at(timestamp: number | null, record: StreamRecord): TimedRecord {
  return { record, timestamp };
}

export function harness(kind: OperatorKind, options: HarnessOptions = {}): Harness {
  const clock = options.clock ?? new ManualClock();
  const storage = options.storage ?? createMemoryStateStorage();
  const parallelism = options.parallelism ?? 1;
  const index = options.index ?? 0;
  const maxParallelism = options.maxParallelism ?? 128;
  const operatorId = options.operatorId ?? `${kind}-op`;
  const logs: LogEntry[] = [];
  const stateBackend = storage.openKeyedBackend({
    operatorId,
    maxParallelism,
    keyGroupRange: keyGroupRangeForOperator(maxParallelism, parallelism, index),
  });
  const ctx = createOperatorContext({
    subtask: { operatorId, index },
    kind,
    operatorName: `Test ${kind}`,
    parallelism,
    maxParallelism,
    clock,
    stateBackend,
    inputKeys: options.inputKeys ?? ['key'],
    log: (entry) => logs.push(entry),
  });
  const runner = new OperatorRunner(createOperator({ kind, config: options.config }), ctx);
  runner.open();
  return {
    runner,
    clock,
    storage,
    logs,
    push(records, input = 0) {
      runner.processBatch(records, input);
      return ctx.output.drainTimed();
    },
    watermark(timestamp) {
      runner.processWatermark(timestamp);
      return ctx.output.drainTimed();
    },
  };
}

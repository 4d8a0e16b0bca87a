/**
 * Operators (STYLE.md habit 4): the lifecycle, the context the runtime builds, the factory,
 * the runner the scheduler drives, and the virtual cost model.
 */
export {
  BaseOperator,
  keyedParts,
  type LogEntry,
  type OperatorContext,
  type OperatorCounters,
  type OperatorStateSnapshot,
  type StreamOperator,
} from './types';
export { createOperatorContext, type OperatorContextOptions } from './operatorContext';
export { createOperator, isOperatorWithInput, type OperatorKindWithInput } from './createOperator';
export { OperatorRunner, type SubtaskRestore, type SubtaskStateSnapshot } from './OperatorRunner';
export { OutputCollector, type EmittedRecords } from './OutputCollector';
export { InputKeySelector } from './keySelector';
export { UserFunctionError, userFunctionError, operatorFailure } from './UserFunctionError';
export { OPERATOR_COSTS, virtualCostUs, type OperatorCost } from './costModel';
export { AGGREGATE_KINDS, fieldAggregate, type AggregateKind, type FieldAggregate } from './aggregateFunctions';
export { CollectSink, asCollectSink, mergeSinkOutputs, type SinkOutput, type SinkTransaction } from './collectSink';
export { SampledLogSink } from './sampledLogSink';
export { CountingDiscardSink } from './countingDiscardSink';
export { SetFieldMap } from './setFieldMap';
export { ConditionFilter } from './conditionFilter';
export { ListFlatMap } from './listFlatMap';
export { UnionPassThrough } from './unionPassThrough';
export { RunningAggregate, AGGREGATE_STATE } from './runningAggregate';
export { WindowAggregate, WINDOW_CONTENTS_STATE, SESSION_WINDOWS_STATE, type WindowType } from './windowAggregate';
export { FirstPerKeyDedup, DEDUP_STATE } from './firstPerKeyDedup';
export {
  addSessionWindow,
  slidingWindows,
  tumblingWindow,
  windowNamespace,
  parseWindowNamespace,
  type TimeWindow,
  type WindowSpan,
} from './windowAssigners';

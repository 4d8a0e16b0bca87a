/**
 * The engine's public face (DESIGN.md §8, "Engine face").
 *
 * Workers, the UI and users' tests import the engine from here, never from deep paths, so
 * the modules behind it can move. Like the job file this is a contract: names are added,
 * never renamed or removed.
 *
 * Key mapping for every key-group function: string → Java String, int32 number → Integer,
 * bigint → Long, boolean → Boolean (other numbers are rejected; see keygroups/javaHash.ts).
 */

// Job model: the `"sluice": "job/1"` file, its validator and the operator catalogue.
export * from './job/types';
export {
  CATALOGUE,
  OPERATOR_KINDS,
  isOperatorKind,
  configWithDefaults,
  isFieldActive,
  type ConfigField,
  type ConfigFieldType,
  type OperatorKindInfo,
} from './job/catalogue';
export { validateJob } from './job/validate';
export {
  parseJobText,
  utf8ByteLength,
  MAX_JOB_BYTES,
  MAX_OPERATORS,
  MAX_EDGES,
  MAX_STRING,
  ID_PATTERN,
} from './job/parseJob';
export { serializeJob, canonicalJob } from './job/serialize';
export { ERROR_TEMPLATES, formatError } from './job/errors';

// Expressions: parsed on validation; compiled only inside TaskManager workers.
export {
  parseExpression,
  compileExpression,
  compileExpressionSource,
  ExpressionError,
  FUNCTION_NAMES,
  type ParseResult,
  type CompiledExpression,
} from './expr';

// Key groups, bit-compatible with Flink.
export {
  javaHashCode,
  javaStringHashCode,
  javaIntegerHashCode,
  javaLongHashCode,
  javaBooleanHashCode,
  type JavaKey,
} from './keygroups/javaHash';
export {
  MAX_MAX_PARALLELISM,
  FLINK_MIN_DEFAULT_MAX_PARALLELISM,
  SLUICE_MIN_DEFAULT_MAX_PARALLELISM,
  keyGroupForKey,
  keyGroupForHash,
  operatorIndexForKeyGroup,
  keyGroupRangeForOperator,
  maxParallelismFor,
  murmurHash,
  roundUpToPowerOfTwo,
  type KeyGroupRange,
} from './keygroups/keyGroups';

// Physical plan: subtasks, channels and pipelined regions.
export { topologicalOrder } from './plan/topologicalOrder';
export { stableOperatorIds, STABLE_ID_HEX_DIGITS, type StableOperatorId } from './plan/operatorIds';
export { pointwiseLinks, type PointwiseLink } from './plan/pointwise';
export {
  buildExecutionGraph,
  allChannels,
  distributionPattern,
  resolveMaxParallelism,
  subtaskKey,
  type Channel,
  type DistributionPattern,
  type ExecutionEdge,
  type ExecutionGraph,
  type Subtask,
  type SubtaskRef,
} from './plan/executionGraph';
export { divideRegions, isRegionSharable, regionIdsOfSubtask, regionOfSubtask, RUN_REGIONS, type DivideOptions, type Region, type RegionMember } from './plan/regions';
export {
  assignSlots,
  MAX_TASK_MANAGERS,
  MAX_SLOTS_PER_TASK_MANAGER,
  type ClusterShape,
  type SlotAddress,
  type SlotAssignment,
  type SlotDecision,
} from './plan/slots';

// Running a job: run configuration, telemetry, the tick protocol, the cluster cores.
export {
  DEFAULT_RUN_CONFIG,
  MAX_SPEED,
  MIN_SPEED,
  MAX_COST_SCALE,
  MIN_COST_SCALE,
  resolveRunConfig,
  type ChannelSelection,
  type CheckpointMode,
  type CheckpointType,
  type FailoverStrategy as FailoverStrategyName,
  type RunConfig,
  type RunConfigProblem,
  type RunConfigResult,
  type StateBackendKind,
} from './runtime/runConfig';
export type {
  ChannelMetrics,
  FailureInfo,
  Fault,
  MetricsSnapshot,
  OperatorMetrics,
  RunEvent,
  RunEventKind,
  RunState,
  RunStatus,
  SinkOutput,
  SubtaskMetrics,
  SubtaskState,
  TaskManagerInfo,
  TelemetryFrame,
} from './runtime/telemetry';
export type { StreamRecord, TimedRecord, VirtualMs } from './runtime/types';
export { TraceHasher, canonicalJson } from './runtime/traceHash';
export * as protocol from './runtime/protocol';
export {
  JobManagerCore,
  LocalCluster,
  TaskManagerCore,
  planRun,
  noRestart,
  type AcceptedPlan,
  type FailoverDecision,
  type FailoverStrategy,
  type HostClock,
  type LocalClusterPorts,
  type RunOutcome,
  type RunPlan,
  type StartProblem,
  type StartReport,
  type TaskManagerPorts,
} from './cluster';
export {
  previewEditedRestore, isEditedJob,
  type EditedRestoreOptions, type RestoreMapping, type RestoreMappingRow, type RestoreOutcome, type RestoreRefusal,
} from './cluster/restoreEdited';
export { OPERATOR_COSTS, virtualCostUs, type OperatorCost } from './operators/costModel';

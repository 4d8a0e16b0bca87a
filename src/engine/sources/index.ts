/**
 * Sources (DESIGN.md §6): replayable partitions with offsets, Kafka-style assignment to
 * subtasks, bounded out-of-orderness watermarks and idleness.
 */
export { createSource, type SourceOptions } from './createSource';
export {
  MAX_WATERMARK,
  SourceSubtask,
  type PartitionOffset,
  type PartitionSnapshot,
  type SourceSnapshot,
  type RecordSink,
  type SourcePollResult,
  type SourceStatus,
  type SourceSubtaskOptions,
} from './SourceSubtask';
export {
  DatagenPartition,
  KEY_NAME_CACHE_LIMIT,
  KeyNames,
  SequencePartition,
  VALUE_RANGE,
  generationTime,
  partitionIdentity,
  partitionsOfSubtask,
  sequenceSlice,
  type DatagenSettings,
  type PartitionRecord,
  type SourcePartition,
} from './sourcePartitions';
export { BoundedOutOfOrderness } from './BoundedOutOfOrderness';

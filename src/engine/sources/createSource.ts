/**
 * The source factory: a `SourceSubtask` for one subtask of a `datagen` or `sequence` operator,
 * from the job's spec with catalogue defaults, the run seed and the subtask's place.
 */
import type { OperatorSpec } from '../job/types';
import { createKeySampler, type KeyDistribution, type Seed } from '../random';
import { configBoolean, configNumber, configString, fullConfig, type OperatorConfig } from '../operators/operatorConfig';
import {
  DatagenPartition,
  KeyNames,
  SequencePartition,
  partitionIdentity,
  partitionsOfSubtask,
  sequenceSlice,
  type DatagenSettings,
} from './sourcePartitions';
import { SourceSubtask } from './SourceSubtask';

export interface SourceOptions {
  /** The run seed (RunConfig `seed`). */
  seed: Seed;
  parallelism: number;
  subtaskIndex: number;
  /**
   * Identity of the source's data (default: `uid`, else `id`; the cluster passes the stable id,
   * plan/operatorIds.ts). Same seed and source id → same partitions, so a job edit that keeps
   * the source's stable id replays the same records, and its offsets restore into them.
   */
  sourceId?: string;
  /** Partitions silent this long are idle (Flink `withIdleness`); default never. */
  idleTimeoutMs?: number;
}

/** @throws Error for a kind that is not a source, or an impossible subtask index. */
export function createSource(spec: Pick<OperatorSpec, 'id' | 'uid' | 'kind' | 'config'>, options: SourceOptions): SourceSubtask {
  const { parallelism, subtaskIndex } = options;
  if (!Number.isInteger(parallelism) || parallelism < 1 || !Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) {
    throw new RangeError(`Subtask ${String(subtaskIndex)} of parallelism ${String(parallelism)} does not exist.`);
  }
  if (spec.kind !== 'datagen' && spec.kind !== 'sequence') throw new Error(`'${spec.kind}' is not a source: build it with createOperator.`);
  const sourceId = options.sourceId ?? spec.uid ?? spec.id;
  const config = fullConfig(spec);
  const partitions = configNumber(config, 'partitions');
  const owned = partitionsOfSubtask(partitions, parallelism, subtaskIndex);
  const subtaskOptions = options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs };
  switch (spec.kind) {
    case 'datagen': {
      const settings = datagenSettings(config);
      const sampler = createKeySampler(settings.keys, settings.distribution, settings.zipfExponent);
      const names = new KeyNames(settings.keys);
      const readers = owned.map((p) => new DatagenPartition(p, settings, partitionIdentity(options.seed, sourceId, p), sampler, names));
      return new SourceSubtask(sourceId, subtaskIndex, readers, { ...subtaskOptions, bounded: settings.bounded });
    }
    case 'sequence': {
      const from = configNumber(config, 'from');
      const to = configNumber(config, 'to');
      const rate = configNumber(config, 'ratePerSecond');
      const readers = owned.map((p) => {
        const { first, length } = sequenceSlice(from, to, partitions, p);
        return new SequencePartition(p, first, length, rate);
      });
      return new SourceSubtask(sourceId, subtaskIndex, readers, { ...subtaskOptions, bounded: true });
    }
  }
}

function datagenSettings(config: OperatorConfig): DatagenSettings {
  const distribution = configString(config, 'distribution');
  if (distribution !== 'uniform' && distribution !== 'zipf') throw new TypeError(`Unknown key distribution '${distribution}'.`);
  return {
    keys: configNumber(config, 'keys'),
    distribution: distribution as KeyDistribution,
    zipfExponent: configNumber(config, 'zipfExponent'),
    ratePerSecond: configNumber(config, 'ratePerSecond'),
    bounded: configBoolean(config, 'bounded'),
    count: configNumber(config, 'count'),
    eventTime: configBoolean(config, 'eventTime'),
    outOfOrdernessMs: configNumber(config, 'outOfOrdernessMs'),
  };
}

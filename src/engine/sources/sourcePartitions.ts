/**
 * Replayable source partitions: the "log" of a source, like a Kafka topic's partitions.
 *
 * A partition is a pure function from an offset to a record, so any offset can be read again
 * after a failure and gives the same record (DESIGN.md §6: "sources are replayable partitions
 * with offsets"). Nothing here has state; readers (SourceSubtask) keep the offsets.
 *
 * - Generation time: the record at offset `o` of a partition producing `rate` records per
 *   virtual second "arrives in the log" at `floor(o * 1000 / rate)` virtual ms. A reader polled
 *   up to virtual time T emits every offset generated before T, so per tick a partition emits
 *   `rate × tickMs / 1000` records with the fraction carried deterministically (the carry is
 *   implicit in the floor), and the timing does not depend on the tick size.
 * - Randomness is counter-based (random/hash32.ts): draw `d` of offset `o` is a hash of the
 *   partition's identity, `o` and `d`, where the identity is the run seed forked by source id
 *   and partition. Three draws per datagen record: key, value, jitter.
 */
import { counterUniform, createPrng, createKeySampler, type KeyDistribution, type KeySampler, type Seed } from '../random';
import type { StreamRecord, VirtualMs } from '../runtime/types';

/** One record of a partition with its event time (null without event time). */
export interface PartitionRecord {
  record: StreamRecord;
  timestamp: VirtualMs | null;
}

/** A replayable partition: records by offset. */
export interface SourcePartition {
  readonly partition: number;
  /** Records in the partition, or undefined when unbounded. */
  readonly length: number | undefined;
  /** Maximum out-of-orderness of its event times (ms), or null without event time. */
  readonly outOfOrdernessMs: number | null;
  /** Virtual time at which offset `o` becomes readable. */
  generationTime(offset: number): VirtualMs;
  /** The record at `offset` (pure: the same offset always gives the same record). */
  recordAt(offset: number): PartitionRecord;
}

/** Virtual ms at which `offset` is generated at `ratePerSecond`. */
export function generationTime(offset: number, ratePerSecond: number): VirtualMs {
  return Math.floor((offset * 1000) / ratePerSecond);
}

/** The 64-bit identity a partition's draws are keyed by: seed → source id → partition. */
export function partitionIdentity(seed: Seed, sourceId: string, partition: number): [number, number] {
  return createPrng(seed).fork(`source/${sourceId}`).fork(`partition/${partition}`).identity();
}

export interface DatagenSettings {
  keys: number;
  distribution: KeyDistribution;
  zipfExponent: number;
  ratePerSecond: number;
  bounded: boolean;
  count: number;
  eventTime: boolean;
  outOfOrdernessMs: number;
}

/** Values are integers 1..VALUE_RANGE. */
export const VALUE_RANGE = 100;

/** Key names cached per subtask up to this index (about 4 MB of strings at most). */
export const KEY_NAME_CACHE_LIMIT = 131_072;

/**
 * `key-<n>` strings, built once per index and reused: a reused string keeps the hash V8
 * computed for it, so every Map lookup of that key downstream (routing, state) skips hashing
 * it again, and the generator allocates one string per key instead of one per record.
 */
export class KeyNames {
  /** Pre-sized so it stays a fast (holey) array instead of turning into a dictionary. */
  private readonly names: (string | undefined)[];

  constructor(keys: number) {
    this.names = new Array<string | undefined>(Math.min(keys, KEY_NAME_CACHE_LIMIT)).fill(undefined);
  }

  name(index: number): string {
    if (index >= KEY_NAME_CACHE_LIMIT) return `key-${index}`;
    return (this.names[index] ??= `key-${index}`);
  }
}

/**
 * A datagen partition: `{ key: 'key-<n>', value: 1..100, ts }` with n from the key sampler
 * (uniform, or Zipf where key-0 is hottest). With event time, `ts = generation time − jitter`,
 * jitter uniform in [0, outOfOrdernessMs]; without, `ts` is the generation time and the
 * record carries no timestamp.
 */
export class DatagenPartition implements SourcePartition {
  readonly length: number | undefined;
  readonly outOfOrdernessMs: number | null;
  private readonly k0: number;
  private readonly k1: number;

  /** `sampler` and `keyNames` may be shared by the partitions of a subtask (pure, and a cache). */
  constructor(
    readonly partition: number,
    private readonly settings: DatagenSettings,
    identity: [number, number],
    private readonly sampler: KeySampler = createKeySampler(settings.keys, settings.distribution, settings.zipfExponent),
    private readonly keyNames: KeyNames = new KeyNames(settings.keys),
  ) {
    [this.k0, this.k1] = identity;
    this.length = settings.bounded ? settings.count : undefined;
    this.outOfOrdernessMs = settings.eventTime ? settings.outOfOrdernessMs : null;
  }

  generationTime(offset: number): VirtualMs {
    return generationTime(offset, this.settings.ratePerSecond);
  }

  recordAt(offset: number): PartitionRecord {
    const s = this.settings;
    const generated = this.generationTime(offset);
    const key = this.keyNames.name(this.sampler(counterUniform(this.k0, this.k1, offset, 0)));
    const value = 1 + Math.floor(counterUniform(this.k0, this.k1, offset, 1) * VALUE_RANGE);
    if (!s.eventTime) return { record: { key, value, ts: generated }, timestamp: null };
    const jitter = Math.floor(counterUniform(this.k0, this.k1, offset, 2) * (s.outOfOrdernessMs + 1));
    const ts = generated - jitter;
    return { record: { key, value, ts }, timestamp: ts };
  }
}

/**
 * A sequence partition: a contiguous slice of `from..to` (Flink's `NumberSequenceSource`
 * splits the range the same way), as `{ key: 'key-<n>', value: n, ts }`. Timestamps are the
 * generation times, in order, so watermarks trail by 1 ms (out-of-orderness 0).
 */
export class SequencePartition implements SourcePartition {
  readonly length: number;
  readonly outOfOrdernessMs = 0;

  constructor(
    readonly partition: number,
    private readonly first: number,
    length: number,
    private readonly ratePerSecond: number,
  ) {
    this.length = length;
  }

  generationTime(offset: number): VirtualMs {
    return generationTime(offset, this.ratePerSecond);
  }

  recordAt(offset: number): PartitionRecord {
    const n = this.first + offset;
    const ts = this.generationTime(offset);
    return { record: { key: `key-${n}`, value: n, ts }, timestamp: ts };
  }
}

/** Partition `p` of `partitions` over `from..to`: `[from + floor(total·p/P), from + floor(total·(p+1)/P))`. */
export function sequenceSlice(from: number, to: number, partitions: number, partition: number): { first: number; length: number } {
  const total = Math.max(0, to - from + 1);
  const start = Math.floor((total * partition) / partitions);
  const end = Math.floor((total * (partition + 1)) / partitions);
  return { first: from + start, length: end - start };
}

/**
 * Flink's Kafka-style assignment: partition i goes to subtask `i % parallelism` (as
 * `KafkaTopicPartitionAssigner` does with a start index of 0). A subtask may get no partition
 * (more subtasks than partitions): it is idle, or finished at once when the source is bounded.
 */
export function partitionsOfSubtask(partitions: number, parallelism: number, index: number): number[] {
  const owned: number[] = [];
  for (let p = index; p < partitions; p += parallelism) owned.push(p);
  return owned;
}

/**
 * Hash partitioning by key group, bit-compatible with Flink's `KeyGroupStreamPartitioner`:
 * key → Java `hashCode()` → `murmurHash % maxParallelism` (key group) → owning subtask
 * `kg * parallelism / maxParallelism` → the sender's channel to that subtask.
 *
 * The last two steps depend only on the edge, so they are computed once into a table indexed
 * by key group (shared by every sender of the edge); per record the work is the key read, the
 * Java hash, one murmur mix and one array load.
 *
 * The key is the edge's `key`: a field name or an expression (validated at import). A plain
 * field name is read directly instead of through the expression interpreter. Keys must be
 * text (Java String), an int32 number (Integer) or a boolean (Boolean), the key types a record
 * field can hold; anything else (null, 1.5, a list) fails the task with a PartitionKeyError
 * instead of being routed by a guessed Java type (Flink likewise refuses null keys).
 */
import type { FieldValue, Value } from '../expr';
import { compileExpression, parseExpression } from '../expr';
import { isInt32, javaBooleanHashCode, javaStringHashCode } from '../keygroups/javaHash';
import { murmurHash, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import type { StreamRecord } from '../runtime/types';
import type { ChannelSelector } from './ChannelSelector';

/** A record's key could not be hashed: wrong type or null. Carries what the failure report needs. */
export class PartitionKeyError extends Error {
  override readonly name = 'PartitionKeyError';

  constructor(
    readonly edgeId: string,
    readonly keySource: string,
    readonly value: unknown,
  ) {
    super(
      `Edge '${edgeId}': the key '${keySource}' is ${describe(value)} for a record, which cannot be hashed. ` +
        'Keys must be text, an integer within the int32 range, or a boolean. Filter out such records ' +
        'before the edge, or key by an expression that always yields one of those types.',
    );
  }
}

/** Reads a record's key. */
export type KeyExtractor = (record: StreamRecord) => Value;

/**
 * A key extractor for `keySource`: a direct field read when it is a plain field name,
 * otherwise the compiled expression.
 *
 * @throws Error when the source does not parse (validation should have caught it).
 */
export function keyExtractor(keySource: string): KeyExtractor {
  const parsed = parseExpression(keySource);
  if (!parsed.ok) throw new Error(`Hash key '${keySource}' does not parse: ${parsed.message}`);
  if (parsed.ast.type === 'field') {
    const name = parsed.ast.name;
    // Own properties only, as the expression language reads fields (no prototype members).
    return (record) => (Object.prototype.hasOwnProperty.call(record, name) ? (record[name] as FieldValue) ?? null : null);
  }
  return compileExpression(parsed.ast);
}

/**
 * Key group → local channel, for a sender whose channel `i` goes to downstream subtask
 * `targets[i]`. Key groups owned by a subtask the sender has no channel to map to -1 (only
 * possible on a mis-wired edge; all-to-all senders reach every subtask).
 *
 * @throws RangeError on impossible parallelism figures (from operatorIndexForKeyGroup).
 */
export function keyGroupChannelTable(maxParallelism: number, parallelism: number, targets: readonly number[]): Int32Array {
  const channelOfSubtask = new Int32Array(parallelism).fill(-1);
  targets.forEach((subtask, channel) => {
    channelOfSubtask[subtask] = channel;
  });
  const table = new Int32Array(maxParallelism);
  for (let keyGroup = 0; keyGroup < maxParallelism; keyGroup++) {
    table[keyGroup] = channelOfSubtask[operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup)] as number;
  }
  return table;
}

/**
 * The Java `hashCode()` of a key value, or PartitionKeyError. Same results as
 * `javaHashCode` for the three field types; inlined here for the per-record path.
 */
export function keyHash(value: Value, edgeId: string, keySource: string): number {
  if (typeof value === 'string') return javaStringHashCode(value);
  if (typeof value === 'number' && isInt32(value)) return value | 0;
  if (typeof value === 'boolean') return javaBooleanHashCode(value);
  throw new PartitionKeyError(edgeId, keySource, value);
}

/** Flink `KeyGroupStreamPartitioner`: routes each record to the subtask owning its key group. */
export class HashSelector implements ChannelSelector {
  readonly isBroadcast = false;
  readonly numberOfChannels: number;
  private readonly extract: KeyExtractor;
  private readonly maxParallelism: number;

  /**
   * @param table from {@link keyGroupChannelTable}; its length is the max parallelism.
   * @param numberOfChannels the sender's channels on this edge.
   */
  constructor(
    readonly edgeId: string,
    readonly keySource: string,
    private readonly table: Int32Array,
    numberOfChannels: number,
  ) {
    this.extract = keyExtractor(keySource);
    this.maxParallelism = table.length;
    this.numberOfChannels = numberOfChannels;
  }

  /** The key group of a record (exposed for keyed state and tests). */
  keyGroupOf(record: StreamRecord): number {
    return murmurHash(keyHash(this.extract(record), this.edgeId, this.keySource)) % this.maxParallelism;
  }

  /** @throws PartitionKeyError for an unhashable key; Error if the edge cannot reach the owner. */
  selectChannel(record: StreamRecord): number {
    const keyGroup = this.keyGroupOf(record);
    const channel = this.table[keyGroup] as number;
    if (channel < 0) {
      throw new Error(`Edge '${this.edgeId}': no channel reaches the subtask that owns key group ${keyGroup}.`);
    }
    return channel;
  }

  bufferFinished(): void {}
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${String(value)}`;
  return `a ${typeof value}`;
}

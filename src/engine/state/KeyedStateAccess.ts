/**
 * The keyed side of an operator's context: the current key, the typed state views, timers,
 * prepare-by-key and incremental TTL cleanup, over one `KeyedStateBackend`.
 *
 * The runtime (or a keyed operator's loop) calls `setCurrentKey` before touching state for a
 * record, as Flink's `AbstractStreamOperator.setKeyContextElement` does; the timer service
 * sets the timer's key before `onTimer`. The key's group is computed here with Flink's
 * assignment and checked against the subtask's range: a record that reaches the wrong subtask
 * fails loudly instead of silently writing to a key group nobody will restore.
 */
import type { JavaKey } from '../keygroups/javaHash';
import { keyGroupForKey, type KeyGroupRange } from '../keygroups/keyGroups';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors';
import { encodeKey } from './keyEncoding';
import { InternalTimerService, type TimerKeyContext } from './timers/InternalTimerService';
import type { Timer } from './timers/TimerQueue';
import { assertTtlConfig, purgeExpired, type StateTtlConfig } from './ttl';
import type { KeyedStateBackend, VirtualClock } from './types';
import type { CurrentKeyScope } from './views/AbstractStateView';
import { AggregatingState } from './views/AggregatingState';
import { ListState } from './views/ListState';
import { MapState } from './views/MapState';
import { ReducingState } from './views/ReducingState';
import { ValueState } from './views/ValueState';

/** Where incremental TTL cleanup resumes: state, key group and a live row iterator. */
interface CleanupCursor {
  stateIndex: number;
  keyGroup: number;
  rows: IterableIterator<[string, unknown]> | undefined;
}

export class KeyedStateAccess implements CurrentKeyScope, TimerKeyContext {
  currentKeyGroup = -1;
  currentEncodedKey = '';
  readonly timers: InternalTimerService;
  private key: JavaKey | undefined;
  private readonly declared = new Map<string, StateTtlConfig | undefined>();
  private readonly ttlStates: string[] = [];
  private cursor: CleanupCursor;

  constructor(
    readonly backend: KeyedStateBackend,
    readonly clock: VirtualClock,
  ) {
    this.timers = new InternalTimerService(this);
    this.cursor = { stateIndex: 0, keyGroup: backend.keyGroupRange.start, rows: undefined };
  }

  get keyGroupRange(): KeyGroupRange {
    return this.backend.keyGroupRange;
  }

  /** The current key. @throws Error before the first `setCurrentKey`. */
  get currentKey(): JavaKey {
    if (this.key === undefined) throw new Error('No current key: the runtime has not set one yet.');
    return this.key;
  }

  /**
   * Makes `key` current for state and timers.
   *
   * @throws RangeError when the key's group is not owned by this subtask (a routing bug).
   */
  setCurrentKey(key: JavaKey): void {
    if (key === this.key) return;
    const keyGroup = keyGroupForKey(key, this.backend.maxParallelism);
    const { start, end } = this.backend.keyGroupRange;
    if (keyGroup < start || keyGroup > end) {
      throw new RangeError(
        `Key ${JSON.stringify(String(key))} belongs to key group ${keyGroup}, outside this subtask's range [${start}, ${end}] ` +
          `of operator ${this.backend.operatorId}: it was routed to the wrong subtask.`,
      );
    }
    this.key = key;
    this.currentKeyGroup = keyGroup;
    this.currentEncodedKey = encodeKey(key);
  }

  /**
   * Forgets the current key and the cleanup position after the backend was restored: rows
   * the cleanup iterator was walking may be gone or back.
   */
  afterRestore(): void {
    this.key = undefined;
    this.currentKeyGroup = -1;
    this.currentEncodedKey = '';
    this.cursor = { stateIndex: 0, keyGroup: this.backend.keyGroupRange.start, rows: undefined };
  }

  setCurrentKeyFromTimer(timer: Timer): void {
    this.key = timer.key;
    this.currentKeyGroup = timer.keyGroup;
    this.currentEncodedKey = timer.encodedKey;
  }

  getValueState<T>(descriptor: ValueStateDescriptor): ValueState<T> {
    this.declare(descriptor.name, descriptor.ttl);
    return new ValueState<T>(this, descriptor.name, descriptor.ttl);
  }

  getListState<T>(descriptor: ListStateDescriptor): ListState<T> {
    this.declare(descriptor.name, descriptor.ttl);
    return new ListState<T>(this, descriptor.name, descriptor.ttl);
  }

  getMapState<V>(descriptor: MapStateDescriptor): MapState<V> {
    this.declare(descriptor.name, descriptor.ttl);
    return new MapState<V>(this, descriptor.name, descriptor.ttl);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    this.declare(descriptor.name, descriptor.ttl);
    return new ReducingState<T>(this, descriptor.name, descriptor.ttl, descriptor.reduce);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, ACC, OUT> {
    this.declare(descriptor.name, descriptor.ttl);
    return new AggregatingState<IN, ACC, OUT>(this, descriptor.name, descriptor.ttl, descriptor.aggregate);
  }

  /**
   * Asks the backend to load the state of these keys (and of due timers' keys) before a
   * batch. `undefined` when nothing has to wait, always so for the memory backend.
   */
  prepareKeys(keys: readonly JavaKey[], timers: readonly Timer[] = []): Promise<void> | undefined {
    if (!this.backend.needsPrepare || keys.length + timers.length === 0) return undefined;
    const maxParallelism = this.backend.maxParallelism;
    const keyGroups: number[] = [];
    const encodedKeys: string[] = [];
    for (const key of keys) {
      keyGroups.push(keyGroupForKey(key, maxParallelism));
      encodedKeys.push(encodeKey(key));
    }
    for (const timer of timers) {
      keyGroups.push(timer.keyGroup);
      encodedKeys.push(timer.encodedKey);
    }
    return this.backend.prepare({ keyGroups, encodedKeys });
  }

  /**
   * Incremental TTL cleanup (Flink `cleanupIncrementally`): visits at most `budget` rows (and
   * key groups) of the TTL states, resuming where the last call stopped, and removes expired
   * values. Returns how many rows were deleted. Deterministic: the walk order is the
   * backend's scan order, and time is the virtual clock.
   */
  cleanupExpired(budget: number): number {
    if (this.ttlStates.length === 0) return 0;
    const { start, end } = this.backend.keyGroupRange;
    const now = this.clock.now();
    let removed = 0;
    for (let steps = 0; steps < budget; steps++) {
      const c = this.cursor;
      const stateName = this.ttlStates[c.stateIndex] as string;
      c.rows ??= this.backend.scan(c.keyGroup, stateName);
      const next = c.rows.next();
      if (next.done === true) {
        c.rows = undefined;
        c.keyGroup = c.keyGroup >= end ? start : c.keyGroup + 1;
        if (c.keyGroup === start) c.stateIndex = (c.stateIndex + 1) % this.ttlStates.length;
        continue;
      }
      const [userKey, stored] = next.value;
      const purged = purgeExpired(stored, now);
      if (purged === stored) continue;
      if (purged === undefined) {
        this.backend.delete(c.keyGroup, stateName, userKey);
        removed++;
      } else {
        this.backend.put(c.keyGroup, stateName, userKey, purged);
      }
    }
    return removed;
  }

  private declare(name: string, ttl: StateTtlConfig | undefined): void {
    if (this.declared.has(name)) throw new Error(`State '${name}' is declared twice in operator ${this.backend.operatorId}.`);
    if (ttl !== undefined) {
      assertTtlConfig(ttl, name);
      this.ttlStates.push(name);
    }
    this.declared.set(name, ttl);
    this.backend.registerState(ttl === undefined ? { name } : { name, ttlMs: ttl.ttlMs });
  }
}

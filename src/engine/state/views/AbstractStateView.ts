/**
 * What every typed state view shares: the address of the current row (current key from the
 * runtime, namespace from the operator) and the TTL read/write rules of ttl.ts.
 *
 * Views hold no data. Every call reads or writes the backend synchronously at the current
 * key's row, so a view is only valid between `setCurrentKey` calls made by the runtime (or by
 * the timer service before `onTimer`), and only after the batch's keys were prepared.
 */
import { userKeyOf } from '../keyEncoding';
import type { StateTtlConfig, TtlValue } from '../ttl';
import { isExpired, refreshesOnRead, ttlWrap } from '../ttl';
import type { KeyedStateBackend, VirtualClock } from '../types';

/** The runtime's current key, as views read it (implemented by `KeyedStateAccess`). */
export interface CurrentKeyScope {
  readonly backend: KeyedStateBackend;
  readonly clock: VirtualClock;
  /** Key group of the current key, or -1 before the first `setCurrentKey`. */
  readonly currentKeyGroup: number;
  /** Encoded current key (keyEncoding.ts). */
  readonly currentEncodedKey: string;
}

/** Base of ValueState, ListState, MapState, ReducingState and AggregatingState. */
export abstract class AbstractStateView {
  /** Flink's namespace (`VoidNamespace` is `''`); one namespace per time window in the window operator. */
  protected namespace = '';

  constructor(
    protected readonly scope: CurrentKeyScope,
    readonly name: string,
    protected readonly ttl: StateTtlConfig | undefined,
  ) {}

  /** Selects the namespace of subsequent calls (Flink `InternalKvState.setCurrentNamespace`). */
  setCurrentNamespace(namespace: string): void {
    this.namespace = namespace;
  }

  /** Removes the current key's row in the current namespace. */
  clear(): void {
    this.deleteRow(this.namespace);
  }

  protected getRow(namespace: string): unknown {
    const scope = this.scope;
    return scope.backend.get(this.keyGroup(), this.name, userKeyOf(scope.currentEncodedKey, namespace));
  }

  protected putRow(namespace: string, value: unknown): void {
    const scope = this.scope;
    scope.backend.put(this.keyGroup(), this.name, userKeyOf(scope.currentEncodedKey, namespace), value);
  }

  protected deleteRow(namespace: string): void {
    const scope = this.scope;
    scope.backend.delete(this.keyGroup(), this.name, userKeyOf(scope.currentEncodedKey, namespace));
  }

  protected now(): number {
    return this.scope.clock.now();
  }

  /**
   * A whole-value TTL row read for the caller: expired → removed and `undefined`; under
   * `OnReadAndWrite` the expiry is refreshed. Without TTL the row is the value.
   */
  protected readValue<T>(namespace: string, refresh: boolean): T | undefined {
    const stored = this.getRow(namespace);
    if (stored === undefined) return undefined;
    const ttl = this.ttl;
    if (ttl === undefined) return stored as T;
    const now = this.now();
    const wrapped = stored as TtlValue<T>;
    if (isExpired(wrapped, now)) {
      this.deleteRow(namespace);
      return undefined;
    }
    if (refresh && refreshesOnRead(ttl)) this.putRow(namespace, ttlWrap(wrapped.v, ttl, now));
    return wrapped.v;
  }

  /** Writes a whole value, wrapping it with a fresh expiry when the state has a TTL. */
  protected writeValue<T>(namespace: string, value: T): void {
    if (value === undefined) throw new Error(`State '${this.name}': cannot store undefined; call clear() instead.`);
    const ttl = this.ttl;
    this.putRow(namespace, ttl === undefined ? value : ttlWrap(value, ttl, this.now()));
  }

  private keyGroup(): number {
    const keyGroup = this.scope.currentKeyGroup;
    if (keyGroup < 0) throw new Error(`State '${this.name}' used before the runtime set a current key.`);
    return keyGroup;
  }
}

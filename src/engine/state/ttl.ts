/**
 * State time-to-live, after Flink's `StateTtlConfig` (DESIGN.md §5).
 *
 * - Time is processing time from the injected virtual clock (Flink's only TTL time
 *   characteristic).
 * - Update type: `OnCreateAndWrite` refreshes the expiry when a value is created or written;
 *   `OnReadAndWrite` also refreshes it on every read that returns the value (Flink
 *   `StateTtlConfig.UpdateType`).
 * - Visibility: `NeverReturnExpired` (Flink `StateVisibility.NeverReturnExpired`): an expired
 *   value reads as absent even if it is still stored; reading it also removes it (Flink's
 *   cleanup on read). `ReturnExpiredIfNotCleanedUp` is not offered: with it, what a job sees
 *   would depend on cleanup timing, which Sluice's determinism cannot afford.
 * - A value is expired when `lastAccess + ttl <= now` (Flink `TtlUtils.expired`). Stored
 *   values keep the expiry instant itself (`lastAccess + ttl`) rather than the last access,
 *   which is equivalent for a fixed TTL and lets a backend evict without knowing descriptors.
 * - List and Map states apply TTL per element and per entry, as Flink's `TtlListState` and
 *   `TtlMapState` do; Value, Reducing and Aggregating states per value.
 * - Expired rows nobody reads again are removed by incremental cleanup
 *   (`KeyedStateAccess.cleanupExpired`, after Flink's `cleanupIncrementally`).
 */
import type { VirtualMs } from '../runtime/types';

export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';
export type TtlStateVisibility = 'NeverReturnExpired';

export const TTL_UPDATE_TYPES: readonly TtlUpdateType[] = ['OnCreateAndWrite', 'OnReadAndWrite'];

/** Flink `StateTtlConfig`, the part Sluice supports. */
export interface StateTtlConfig {
  /** Time to live in virtual ms; at least 1. */
  ttlMs: number;
  updateType: TtlUpdateType;
  /** Only `NeverReturnExpired` exists; optional for brevity. */
  visibility?: TtlStateVisibility;
}

/** A stored value with its expiry instant (virtual ms): expired when `exp <= now`. */
export interface TtlValue<T> {
  readonly v: T;
  readonly exp: VirtualMs;
}

/** @throws RangeError on a TTL that is not a positive finite number or an unknown update type. */
export function assertTtlConfig(config: StateTtlConfig, stateName: string): void {
  if (!Number.isFinite(config.ttlMs) || config.ttlMs < 1) {
    throw new RangeError(`State '${stateName}': TTL must be at least 1 ms, got ${String(config.ttlMs)}.`);
  }
  if (!TTL_UPDATE_TYPES.includes(config.updateType)) {
    throw new RangeError(`State '${stateName}': unknown TTL update type '${String(config.updateType)}'.`);
  }
  if (config.visibility !== undefined && config.visibility !== 'NeverReturnExpired') {
    throw new RangeError(`State '${stateName}': only NeverReturnExpired visibility is supported.`);
  }
}

/** Wraps a value written now. */
export function ttlWrap<T>(value: T, config: StateTtlConfig, now: VirtualMs): TtlValue<T> {
  return { v: value, exp: now + config.ttlMs };
}

/** Is a stored TTL value expired at `now`? */
export function isExpired(stored: TtlValue<unknown>, now: VirtualMs): boolean {
  return stored.exp <= now;
}

/** Does a read refresh the expiry under this config? */
export function refreshesOnRead(config: StateTtlConfig): boolean {
  return config.updateType === 'OnReadAndWrite';
}

/**
 * For cleanup: the stored row with expired parts removed, `undefined` when nothing is left,
 * or the same object when nothing expired. Knows the three stored shapes: a `TtlValue`, an
 * array of them (List) and a Map of them (Map state).
 */
export function purgeExpired(stored: unknown, now: VirtualMs): unknown {
  if (Array.isArray(stored)) {
    const alive = (stored as TtlValue<unknown>[]).filter((element) => !isExpired(element, now));
    if (alive.length === stored.length) return stored;
    return alive.length === 0 ? undefined : alive;
  }
  if (stored instanceof Map) {
    let expired = 0;
    for (const entry of (stored as Map<string, TtlValue<unknown>>).values()) if (isExpired(entry, now)) expired++;
    if (expired === 0) return stored;
    if (expired === stored.size) return undefined;
    const alive = new Map<string, TtlValue<unknown>>();
    for (const [k, entry] of stored as Map<string, TtlValue<unknown>>) if (!isExpired(entry, now)) alive.set(k, entry);
    return alive;
  }
  return isExpired(stored as TtlValue<unknown>, now) ? undefined : stored;
}

/**
 * Keyed state (DESIGN.md §5): the port, the in-memory backend, typed views with TTL, timers.
 */
export type {
  KeyGroupFigures,
  KeyedBackendOptions,
  KeyedStateBackend,
  KeyedStateMetrics,
  KeyedStateSnapshot,
  MaybePromise,
  PrepareRequest,
  StateRegistration,
  StateStorage,
  VirtualClock,
} from './types';
export { KEY_SEPARATOR, decodeKey, encodeKey, escapePart, splitUserKey, unescapePart, userKeyOf } from './keyEncoding';
export { MemoryKeyedStateBackend, MemoryStateStorage, createMemoryStateStorage } from './memory/MemoryStateStorage';
export {
  TTL_UPDATE_TYPES,
  isExpired,
  purgeExpired,
  ttlWrap,
  type StateTtlConfig,
  type TtlStateVisibility,
  type TtlUpdateType,
  type TtlValue,
} from './ttl';
export type {
  AggregateFunction,
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReduceFunction,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors';
export { KeyedStateAccess } from './KeyedStateAccess';
export { AggregatingState } from './views/AggregatingState';
export { ListState } from './views/ListState';
export { MapState } from './views/MapState';
export { ReducingState } from './views/ReducingState';
export { ValueState } from './views/ValueState';
export { InternalTimerService, type TimerCallback, type TimerServiceSnapshot } from './timers/InternalTimerService';
export { compareTimers, type Timer } from './timers/TimerQueue';

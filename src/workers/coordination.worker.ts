/**
 * The coordination store worker (DESIGN.md §6, the ZooKeeper-like half of hybrid HA): hosts one
 * MemoryCoordinationStore for a run, started by the main thread so that it outlives every
 * JobManager worker. Each JobManager worker gets its own port to it (`connect`), over which
 * the store is exposed with comlink (coordinationClient.ts wraps it back into a
 * CoordinationStore). `setAvailable(false)` is the coordination-store-down fault.
 */
import * as Comlink from 'comlink';
import { MemoryCoordinationStore } from '../engine/ha/MemoryHaStore';
import type { CoordinationConnect } from './ha/coordinationClient';

const store = new MemoryCoordinationStore();
const api = {
  put: (key: string, value: unknown, epoch: number) => store.put(key, value, epoch),
  get: (key: string) => store.get(key),
  claimEpoch: (candidate: string, atLeast: number) => store.claimEpoch(candidate, atLeast),
  epoch: () => store.epoch(),
  leader: () => store.leader(),
  expire: (leader: string) => store.expire(leader),
  setAvailable: (up: boolean) => store.setAvailable(up),
  available: () => store.available,
};

/** What the coordination worker exposes on each connected port. */
export type CoordinationApi = typeof api;

self.addEventListener('message', (event: MessageEvent<CoordinationConnect>) => {
  if (event.data?.type === 'connect') Comlink.expose(api, event.data.port);
});

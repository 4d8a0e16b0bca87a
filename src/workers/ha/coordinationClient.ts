/**
 * A JobManager worker's view of the coordination store worker (coordination.worker.ts): a
 * CoordinationStore over a comlink port. Comlink carries a thrown error as a plain Error with
 * its name and message, so the two HA errors the engine tells apart (HaUnavailableError: use
 * the other store; HaFencedError: stop leading) are rebuilt here from what crossed.
 */
import * as Comlink from 'comlink';
import { HaFencedError, HaUnavailableError, type CoordinationStore, type LeaderEntry, type VersionedRecord } from '../../engine/ha/types';
import type { CoordinationApi } from '../coordination.worker';

/** Main thread → coordination worker: serve the store on `port` (transferred). */
export interface CoordinationConnect {
  type: 'connect';
  port: MessagePort;
}

/** The coordination store as HaPorts wants it, plus whether it is up (the HA status). */
export type RemoteCoordinationStore = CoordinationStore & { setAvailable(up: boolean): Promise<void>; available(): Promise<boolean> };

/** Turns an error that crossed the port back into the engine's HA error it was. */
export function rebuildHaError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'HaUnavailableError') return new HaUnavailableError('coordination', error.message.replace(/^The coordination store is unavailable: /, ''));
  if (error.name === 'HaFencedError') {
    const match = /epoch (\d+): epoch (\d+)/.exec(error.message);
    return new HaFencedError('coordination', Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  }
  return error;
}

function rethrowing<T>(call: Promise<T>): Promise<T> {
  return call.catch((error: unknown) => {
    throw rebuildHaError(error);
  });
}

/** The coordination store reached over `port`. */
export function coordinationOverPort(port: MessagePort): RemoteCoordinationStore {
  const remote = Comlink.wrap<CoordinationApi>(port);
  return {
    kind: 'coordination',
    put: (key, value, epoch) => rethrowing(remote.put(key, value, epoch)),
    get: <T>(key: string) => rethrowing(remote.get(key) as Promise<VersionedRecord<T> | undefined>),
    claimEpoch: (candidate, atLeast) => rethrowing(remote.claimEpoch(candidate, atLeast) as Promise<LeaderEntry>),
    epoch: () => rethrowing(remote.epoch()),
    leader: () => rethrowing(remote.leader() as Promise<LeaderEntry | undefined>),
    expire: (leader) => rethrowing(remote.expire(leader)),
    setAvailable: (up) => rethrowing(remote.setAvailable(up)),
    available: () => rethrowing(remote.available()),
  };
}

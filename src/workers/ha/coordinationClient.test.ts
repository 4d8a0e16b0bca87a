/**
 * The coordination store across a port (as between a JobManager worker and the coordination
 * store worker): the engine's HA errors arrive as themselves, so a store that is down is
 * skipped and a stale writer is fenced; and a JobManager that lost leadership answers nothing.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { MemoryCoordinationStore } from '../../engine/ha/MemoryHaStore';
import { HaFencedError, HaUnavailableError } from '../../engine/ha/types';
import type { HostedClusterApi } from '../localClusterApi';
import { coordinationOverPort } from './coordinationClient';
import { leaderApi } from './leaderApi';

function connected() {
  const store = new MemoryCoordinationStore();
  const channel = new MessageChannel();
  Comlink.expose({
    put: (k: string, v: unknown, e: number) => store.put(k, v, e), get: (k: string) => store.get(k),
    claimEpoch: (c: string, a: number) => store.claimEpoch(c, a), epoch: () => store.epoch(), leader: () => store.leader(),
    expire: (l: string) => store.expire(l), setAvailable: (up: boolean) => store.setAvailable(up), available: () => store.available,
  }, channel.port1);
  return { store, remote: coordinationOverPort(channel.port2), close: () => { channel.port1.close(); channel.port2.close(); } };
}

describe('coordination store over a port', () => {
  it('answers like the store, and its errors arrive as HaUnavailableError and HaFencedError', async () => {
    const { remote, close } = connected();
    expect(await remote.claimEpoch('jobmanager-1', 0)).toEqual({ leader: 'jobmanager-1', epoch: 1 });
    expect(await remote.put('k', { a: 1 }, 3)).toBe(1);
    const fenced = await remote.put('k', { a: 2 }, 2).catch((e: unknown) => e);
    expect(fenced).toBeInstanceOf(HaFencedError);
    expect(fenced).toMatchObject({ epoch: 2, current: 3, code: 'ha.fenced' });
    await remote.setAvailable(false);
    expect(await remote.available()).toBe(false);
    const down = await remote.get('k').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(HaUnavailableError);
    expect((down as HaUnavailableError).store).toBe('coordination');
    await remote.setAvailable(true);
    expect((await remote.get('k'))?.value).toEqual({ a: 1 });
    close();
  });
});

describe('leaderApi', () => {
  it('withholds every answer once leadership is lost, and reports the advance in flight', async () => {
    let finishAdvance: (() => void) | undefined;
    const inner = {
      status: async () => ({ state: 'paused', virtualTimeMs: 300 }),
      advance: () => new Promise((resolve) => { finishAdvance = () => resolve({ state: 'stopped', virtualTimeMs: 350 }); }),
      haStatus: async () => ({ epoch: 1, leader: 'jobmanager-1', coordinationUp: true, snapshotWrites: 0, leaderChanges: [], staleRejected: 0 }),
      failFromHost: () => undefined,
    } as unknown as HostedClusterApi;
    const leader = leaderApi(inner, async () => false);
    expect((await leader.api.haStatus()).coordinationUp).toBe(false);
    let answered = false;
    void leader.api.advance(200).then(() => { answered = true; });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(leader.lose()).toBe(500);
    finishAdvance?.();
    let statusAnswered = false;
    void leader.api.status().then(() => { statusAnswered = true; });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toBe(false);
    expect(statusAnswered).toBe(false);
  });
});

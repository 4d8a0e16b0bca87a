/**
 * The ClusterApi of a JobManager worker that can lose leadership (JobManager HA in the browser).
 *
 * - Once the leader is lost, no answer leaves this worker: a call in flight would otherwise
 *   answer from a JobManager that no longer leads (a stopped run). The main thread gives such
 *   calls to the successor instead (clusterClient.ts), so each gets exactly one answer.
 * - An `advance(ms)` in flight is remembered as its target virtual time, which the handoff
 *   carries, so the successor runs on to the same time (`continueAdvance`): `advance` stays exact
 *   across a failover.
 * - `haStatus().coordinationUp` is asked of the coordination store worker itself: the store's
 *   health outlives the JobManager that saw it go down.
 */
import type { RunStatus } from '../../engine/runtime/telemetry';
import type { HostedClusterApi } from '../localClusterApi';

export interface LeaderApi {
  api: HostedClusterApi;
  /** Leadership is lost: from now on nothing answers. @returns the target of the advance in flight, if one is. */
  lose(): number | undefined;
  /** A successor continues the dead leader's advance; `continueAdvance()` answers with its end. */
  continueAdvance(running: Promise<RunStatus>): void;
}

const never = new Promise<never>(() => undefined);

export function leaderApi(inner: HostedClusterApi, coordinationUp: () => Promise<boolean>): LeaderApi {
  let lost = false;
  let advanceTargetMs: number | undefined;
  let continued: Promise<RunStatus> | undefined;
  const answer = <T>(call: () => Promise<T>): Promise<T> => {
    if (lost) return never;
    return call().then((value) => (lost ? never : value), (error: unknown) => (lost ? never : Promise.reject(error)));
  };
  const guarded = Object.fromEntries(Object.entries(inner).map(([name, fn]) => [
    name, name === 'failFromHost' ? fn : (...args: unknown[]) => answer(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args)),
  ])) as unknown as HostedClusterApi;
  const api: HostedClusterApi = {
    ...guarded,
    advance: (ms) => answer(async () => {
      advanceTargetMs = (await inner.status()).virtualTimeMs + ms;
      try {
        return await inner.advance(ms);
      } finally {
        advanceTargetMs = undefined;
      }
    }),
    haStatus: () => answer(async () => {
      const status = await inner.haStatus();
      return { ...status, coordinationUp: await coordinationUp().catch(() => status.coordinationUp) };
    }),
    continueAdvance: () => answer(() => continued ?? inner.status()),
  };
  return {
    api,
    lose: () => {
      lost = true;
      return advanceTargetMs;
    },
    continueAdvance: (running) => {
      continued = running;
    },
  };
}

/**
 * The run's JobManager HA status for the Cluster tab and the failover banner: asked of the
 * cluster (`runHaStatus`) when the run starts, once a wall second while it is connected, and
 * at once when a failover or a coordination-store fault shows up in the events. Null in design
 * mode, or until the first answer.
 */
import { useEffect, useState } from 'react';
import type { RunEvent } from '../../../engine/runtime/telemetry';
import { useApp, useAppStore } from '../../store/appStore';
import type { HaStatusView } from '../../store/types';

/** Wall ms between two asks while the run is connected. */
export const HA_POLL_MS = 1_000;

const HA_EVENT_KINDS = new Set<RunEvent['kind']>(['jobmanager-lost', 'leader-elected', 'jobmanager-reconciled', 'ha-store-down', 'ha-store-up']);

/** How many HA events the log holds (a change means: ask again now). */
function haEventCount(events: readonly RunEvent[]): number {
  let n = 0;
  for (const e of events) if (HA_EVENT_KINDS.has(e.kind)) n++;
  return n;
}

export function useHaStatus(): HaStatusView | null {
  const store = useAppStore();
  const active = useApp((s) => s.runActive);
  const leaderLost = useApp((s) => s.runLeaderLost);
  const takeovers = useApp((s) => s.runTakeovers.length);
  const haEvents = useApp((s) => haEventCount(s.runLog.events));
  const [status, setStatus] = useState<HaStatusView | null>(null);
  useEffect(() => {
    if (!active) {
      setStatus(null);
      return undefined;
    }
    let stopped = false;
    const ask = () => {
      const s = store.getState();
      if (!s.runConnected()) return;
      s.runHaStatus().then((next) => {
        if (!stopped) setStatus(next);
      }, () => undefined);
    };
    ask();
    const timer = setInterval(ask, HA_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [store, active, leaderLost, takeovers, haEvents]);
  return status === null ? null : { ...status, failingOver: leaderLost };
}

/**
 * The ClusterApi the JobManager worker exposes, for now a LocalCluster with every
 * TaskManager in-process (in this one worker). A later step moves TaskManagers into workers
 * of their own behind the same API (runtime/protocol.ts says how).
 *
 * Browser ports live here, not in the engine: wall time from `performance.now`, and a yield
 * that does not suffer the 4 ms clamp of nested `setTimeout(0)` (a MessageChannel round),
 * so a run at speed 'max' yields between slices of ticks at almost no cost.
 */
import { LocalCluster, type HostClock, type LocalClusterPorts } from '../engine/cluster/LocalCluster';
import type { ClusterApi } from './clusterApi';
import type { FailureInfo, TelemetryFrame } from '../engine/runtime/telemetry';

/** Yields to the event loop once, through a MessageChannel (no timer clamp). */
function yieldOnce(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export const browserClock: HostClock = {
  now: () => performance.now(),
  sleep: (ms) => (ms <= 0 ? yieldOnce() : new Promise((resolve) => setTimeout(resolve, ms))),
};

/** What the worker needs beyond ClusterApi: a way to turn a stray error into a failed run. */
export interface HostedClusterApi extends ClusterApi {
  failFromHost(failure: FailureInfo): void;
}

/**
 * A ClusterApi over a LocalCluster with browser ports. `ports.taskManagers` chooses where the
 * TaskManagers run (default: in-process; a WorkerTaskManagers factory moves them to workers).
 */
export function createLocalClusterApi(ports: Partial<LocalClusterPorts> = {}): HostedClusterApi {
  const cluster = new LocalCluster({ ...ports, clock: ports.clock ?? browserClock });
  return {
    start: (job, config) => cluster.start(job, config),
    pause: () => cluster.pause(),
    resume: () => cluster.resume(),
    advance: (ms) => cluster.advance(ms),
    stop: () => cluster.stop(),
    setSpeed: (speed) => cluster.setSpeed(speed),
    setChannelSelection: (selection, edgeId) => cluster.setChannelSelection(selection, edgeId),
    status: () => cluster.status(),
    metrics: () => cluster.metrics(),
    output: (sinkId) => cluster.output(sinkId),
    inject: (fault) => cluster.inject(fault),
    events: () => cluster.events(),
    traceHash: () => cluster.traceHash(),
    subscribe: (onFrame) => cluster.subscribe((frame: TelemetryFrame) => {
      // onFrame is a comlink proxy: its call is a promise that rejects once the page is gone.
      void Promise.resolve(onFrame(frame)).catch(() => undefined);
    }),
    failFromHost: (failure) => cluster.failFromHost(failure),
  };
}

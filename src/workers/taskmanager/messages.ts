/**
 * The messages between the JobManager worker's TaskManager host (WorkerTaskManagers) and one
 * TaskManager worker: runtime/protocol.ts's messages, wrapped with what only a multi-worker
 * host needs — the peer ports at deploy, and at each tick the peers whose batch to wait for.
 * A small message protocol rather than comlink: one message per tick each way, with
 * transferables, and nothing to await per call.
 */
import type {
  DeployMessage, LookupStateMessage, ReconcileMessage, ScanStateMessage, StartTickMessage, TaskManagerToJobManager,
} from '../../engine/runtime/protocol';
import type { BatchEncoding } from '../transport/peerTransport';
import type { PackedTickDone } from '../transport/tickReport';

/** Host → TaskManager worker. */
export type HostToTaskManager =
  | {
    type: 'deploy';
    deploy: DeployMessage;
    /** `peers[j]`: the port to TaskManager j (null for itself). Transferred. */
    peers: (MessagePort | null)[];
    encoding: BatchEncoding;
    /** Where the worker shows what it is doing, readable while it hangs (null without cross-origin isolation). */
    progress: SharedArrayBuffer | null;
    /**
     * A fresh worker taking a lost one's place (failover): the first tick it will run. It sends
     * its peers an empty batch for the tick before, as they do to it (`replace-peer`).
     */
    firstTick?: number;
  }
  /**
   * Between ticks: TaskManager `peer` was replaced by a fresh worker reachable on `port`
   * (transferred); send it an empty batch for tick `tick` so both can run the next tick.
   */
  | { type: 'replace-peer'; peer: number; port: MessagePort; tick: number }
  /**
   * TaskManager `peer` died during tick `tick` (a crash, a missed deadline): it never sends its
   * batch of that tick or later, so no queued tick after it waits for one; nothing more goes to it.
   */
  | { type: 'peer-lost'; peer: number; tick: number }
  | {
    type: 'start-ticks';
    /** Consecutive ticks, run in order (a round of one or more). */
    starts: StartTickMessage[];
    /** Live TaskManagers other than this one: their batch of tick t-1 must be in before tick t runs. */
    peers: number[];
  }
  /** Between ticks only (the host never sends it while a tick or round is in flight). */
  | { type: 'lookup-state'; lookup: LookupStateMessage }
  /** Between ticks only, like `lookup-state`: a page of a keyed subtask's rows. */
  | { type: 'scan-state'; scan: ScanStateMessage }
  /**
   * A new JobManager leader took over (HA failover): answer what runs here (`reconciled`, its
   * unacknowledged reports without peer batches, which already went over the peer ports).
   * Served between ticks, like a lookup.
   */
  | { type: 'reconcile'; reconcile: ReconcileMessage }
  | { type: 'cancel' };

/**
 * Main thread → TaskManager worker (the main thread owns TaskManager workers, so they outlive a
 * JobManager worker): from now on the JobManager is reachable on `port` (transferred); host
 * messages arrive on it and answers go to it. Sent at spawn, and again to every TaskManager
 * when a new JobManager worker takes over.
 */
export interface JobManagerLink {
  type: 'jm-link';
  port: MessagePort;
}

/** TaskManager worker → host: the protocol's answers (tick reports with many sink records packed). */
export type TaskManagerToHost = TaskManagerToJobManager | PackedTickDone;

/**
 * Progress cell layout (Int32Array over the shared buffer): what the worker is doing now. A
 * worker stuck in a user function cannot answer messages, but the host can still read this.
 */
export const PROGRESS = {
  TICK: 0,
  PHASE: 1,
  /** Position (plan order among the subtasks it hosts) of the subtask running, or -1. */
  SUBTASK: 2,
  LENGTH: 3,
} as const;

export const PHASE = {
  IDLE: 0,
  /** Tick received; waiting for peers' batches of the previous tick. */
  WAITING_FOR_PEERS: 1,
  RUNNING: 2,
} as const;

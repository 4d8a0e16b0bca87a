/**
 * The control link between the main thread and a JobManager worker (JobManager HA in the
 * browser). The main thread owns every worker of a run — the JobManager, the TaskManagers and
 * the coordination store — so that TaskManagers and the store outlive a JobManager worker that
 * is terminated. Over this link the JobManager asks for TaskManager workers and reports its own
 * death; the main thread forwards what only the owner of a Worker object hears (its `error`).
 */
import type { JobManagerHandoff } from '../../engine/cluster/LocalCluster';
import type { StartReport } from '../clusterApi';

/** A running TaskManager handed to a new JobManager: its slot, its id, and a fresh link to it. */
export interface TaskManagerLinkOffer {
  taskManager: number;
  id: string;
  /** The JobManager end of a new channel; the TaskManager got the other end with `jm-link`. */
  port: MessagePort;
}

/** What a successor JobManager worker takes over. */
export interface AdoptionOrder {
  handoff: JobManagerHandoff;
  /** An `advance` was running when the leader died: the successor runs on to this virtual time, then pauses. */
  advanceTargetMs?: number;
  taskManagers: TaskManagerLinkOffer[];
}

/** Main thread → JobManager worker, the first message on its scope (before any comlink call). */
export interface JobManagerInit {
  type: 'jm-init';
  /** The JobManager's end of the control link (transferred). */
  control: MessagePort;
  /** A port to the coordination store worker (transferred). */
  coordination: MessagePort;
  /** 1 for the run's first JobManager worker, +1 per takeover (prefixes TaskManager ids). */
  generation: number;
  adopt?: AdoptionOrder;
}

/** JobManager worker → main thread. */
export type JobManagerToMain =
  /** Comlink is exposed; calls may come. A successor says how the takeover went. */
  | { type: 'ready'; adopted?: StartReport }
  /** Start a TaskManager worker for slot `taskManager` and give it `port` as its JobManager link. */
  | { type: 'spawn-tm'; id: string; taskManager: number; port: MessagePort }
  | { type: 'terminate-tm'; id: string }
  /**
   * This JobManager lost leadership (kill-jobmanager) and stopped: terminate it and start a
   * successor with the TaskManagers, which keep running.
   */
  | { type: 'jobmanager-lost'; handoff: JobManagerHandoff; advanceTargetMs?: number };

/** Main thread → JobManager worker: a TaskManager worker's `error` / `messageerror`, as its owner heard it. */
export interface TaskManagerWorkerEvent {
  type: 'tm-event';
  id: string;
  kind: 'error' | 'messageerror';
  message?: string;
  filename?: string;
  lineno?: number;
}

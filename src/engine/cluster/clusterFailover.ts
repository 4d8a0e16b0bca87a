/**
 * The host side of fault tolerance in LocalCluster: replacing lost TaskManagers before the
 * restart tick that needs them, and saving each completed checkpoint's metadata in completion
 * order. Both are I/O at the edge; the decisions are the JobManager's.
 */
import type { DeployedMessage } from '../runtime/protocol';
import type { FailureInfo } from '../runtime/telemetry';
import type { CheckpointMetadata } from './CheckpointDriver';
import type { CheckpointMetadataStore } from './clusterPorts';
import type { JobManagerCore } from './JobManagerCore';
import { savedRunOf } from './resume';
import type { TaskManagerHost } from './TaskManagerHost';

/** What replacing TaskManagers reports back to the cluster. */
export interface ReplacementOutcome {
  /** The run's generation still current (a stop or new start drops late answers). */
  current(): boolean;
  /** TaskManagers deployed again. */
  replaced(answers: readonly DeployedMessage[]): void;
  /** The host cannot replace TaskManagers, or the redeploy threw. */
  failed(failure: FailureInfo | unknown): void;
}

/**
 * Deploys fresh TaskManagers for the restart due with the next tick
 * (JobManagerCore.redeployMessages); undefined when none is due.
 */
export function replaceLostTaskManagers(jm: JobManagerCore, host: TaskManagerHost, outcome: ReplacementOutcome): Promise<void> | undefined {
  const messages = jm.redeployMessages();
  if (messages.length === 0) return undefined;
  if (host.redeploy === undefined) {
    outcome.failed({ code: 'taskmanager.noRedeploy', message: 'These TaskManagers cannot be replaced after a loss, so the job cannot recover.' });
    return Promise.resolve();
  }
  return Promise.resolve(host.redeploy(messages)).then((answers) => {
    if (!outcome.current()) return;
    outcome.replaced(answers);
    jm.onRedeployed(answers);
  }, (error: unknown) => {
    if (outcome.current()) outcome.failed(error);
  });
}

/** Saves checkpoint metadata one save after the other, so the newest lands last. */
export class CheckpointPersister {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly store: CheckpointMetadataStore | undefined) {}

  /** Queues the latest completion's metadata, if the JobManager has one; `onError` hears a failed save. */
  persist(jm: JobManagerCore, onError: (error: unknown) => void): void {
    const metadata: CheckpointMetadata | undefined = jm.takeCheckpointMetadata();
    const store = this.store;
    if (metadata === undefined || store === undefined) return;
    // Taken now (the sinks' committed output at this completion), saved with the metadata in one write.
    const run = savedRunOf(jm, metadata);
    this.chain = this.chain.then(() => store.save(jm.jobId, metadata, run)).catch(onError);
  }

  /** Forgets the job's saved checkpoints once the saves queued before are done (a stop or the end of the run). */
  forget(jobId: string): Promise<void> {
    const store = this.store;
    if (store === undefined) return Promise.resolve();
    this.chain = this.chain.then(() => store.clear(jobId)).catch(() => undefined);
    return this.chain;
  }
}

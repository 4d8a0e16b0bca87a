/**
 * The cluster (DESIGN.md §3, §4): the TaskManager and JobManager cores that speak the tick
 * protocol of runtime/protocol.ts, and LocalCluster, which runs both in one thread behind the
 * ClusterApi semantics.
 */
export { TaskManagerCore, type TaskManagerPorts } from './TaskManagerCore';
export { TaskManagerNetwork } from './TaskManagerNetwork';
export { JobManagerCore, EVENTS_KEPT, type AcceptedPlan, type RunOutcome } from './JobManagerCore';
export { LocalCluster, FRAME_INTERVAL_MS, FRAME_RECORDS, SLICE_MS, type HostClock, type LocalClusterPorts, type StartReport } from './LocalCluster';
export { planRun, type RunPlan, type StartProblem } from './planRun';
export { noRestart, type FailoverDecision, type FailoverStrategy, type FailureFacts } from './failover';
export { RunMetrics } from './RunMetrics';
export { SinkOutputs, PENDING_KEPT } from './SinkOutputs';
export { EMPTY_RECORD_HASH, hashRecord } from './recordHash';
export { InProcessTaskManagers, type TaskManagerHost, type TaskManagerHostFactory, type TickResult } from './TaskManagerHost';

/**
 * The messages between the JobManager core and the TaskManager cores (DESIGN.md §3, §4): the
 * bulk-synchronous tick protocol. Plain, structured-cloneable data only (no classes, no
 * functions, no typed arrays that would be shared), so a TaskManager can live in the same
 * thread today (the local host) and in its own Web Worker later, with the same messages.
 *
 * ## Control plane (JobManager ↔ each TaskManager)
 *
 *   JM → TM  deploy        the plan slice: the job, the resolved RunConfig, where every
 *                          subtask runs; the TM rebuilds the ExecutionGraph and the network
 *                          wiring itself (pure functions, so every TM agrees on channel ids)
 *   TM → JM  deployed      ok, plus the initial credit its input gates announce (Flink's
 *                          credit sent with the partition request), delivered at tick 0
 *   JM → TM  start-tick    tick t covers virtual time [fromMs, toMs); commands that take
 *                          effect at its start (faults, channel selection, later checkpoint
 *                          triggers) ride on it, so they hit the same virtual instant
 *                          whatever the wall clock did
 *   TM → JM  tick-done     per-subtask metric deltas, per-channel gauges, events, sink output
 *                          deltas, failures; in the local host also the data-plane batches for
 *                          other TMs; with the channel gauges, the state storage's figures
 *                          and every hosted keyed subtask's key-group occupancy
 *   JM → TM  lookup-state  between ticks only (never while one runs): the rows of one key
 *                          of one hosted keyed subtask (the State panel's lookup); answered
 *                          by `state-lookup` with the same request id
 *   JM → TM  scan-state    between ticks only: a page of every row of one hosted keyed
 *                          subtask, in key-group order (the State panel's state processor);
 *                          answered by `state-scan` with the same request id
 *   JM → TM  cancel        close every subtask and release state; answered by `canceled`
 *   TM → JM  tm-error      an uncaught error inside the TM (the host turns a dead or hung
 *                          worker into the same thing, code `taskmanager.lost` or
 *                          `taskmanager.tickDeadline`)
 *
 * ## Data plane (TM ↔ TM)
 *
 * At the end of tick t a TaskManager flushes its output gates and collects, for every
 * TaskManager including itself, one {@link PeerBatch}: buffers shipped on channels whose
 * receiver lives there, backlog announcements, and the credit its own input gates announce to
 * senders there. Nothing crosses per record or per buffer: one batch per TM pair per tick.
 * The batch a TM addresses to itself never leaves it; it is applied at t+1 like the others.
 * - Local host (one thread): the non-empty batches for other TMs travel inside `tick-done`
 *   to the JobManager, which hands them to the receivers inside the next `start-tick`
 *   (`incoming`).
 * - Multi-worker host: each TM pair has a direct MessagePort (created by the JobManager worker
 *   and transferred at deploy); a TM posts its batch for a peer on that port before it posts
 *   `tick-done`, and sends a batch every tick, empty or not. Before running tick t+1 a TM
 *   waits until it holds the tick-t batch of every peer (ports are not ordered with respect
 *   to each other, so `start-tick` alone does not prove the peers' batches arrived).
 *   Two refinements (src/workers/taskmanager): TMs that share no channel exchange nothing
 *   and wait for nothing (every batch between them would be empty), and the JobManager may
 *   send a round of consecutive `start-tick`s at once (JobManagerCore.beginTicks), which a
 *   TM runs back to back behind the same per-tick barrier, so the JobManager's round trip is
 *   paid once per round instead of once per tick.
 *
 * ## Determinism (same output and trace hash with 1, 2 or 4 TaskManagers)
 * - Everything produced during tick t, local or remote, is delivered at the start of tick
 *   t+1: buffers, backlog announcements and credit alike. A channel between two subtasks of
 *   the same TM behaves exactly like one between two TMs, so placement never changes timing.
 * - Incoming batches are applied in sender TM index order, each batch in the order its sender
 *   produced it (plan order of partitions and gates; per channel, sequence order).
 * - Each TM runs its subtasks in the fixed plan order (topological operator order, then
 *   index) with a virtual-time budget; cost is virtual, never measured wall time.
 * - The JobManager merges `tick-done` reports in TM index order, then puts subtask reports,
 *   events, sink deltas and failures in plan order before anything reaches the trace hash,
 *   so the trace only depends on plan-ordered facts, never on which TM hosted what.
 * - Commands carry absolute data (a factor, a selection), never "since the last message".
 */
import type { SubtaskAck } from '../checkpoint/types';
import type { JobGraph } from '../job/types';
import type { OperatorStateSnapshot } from '../operators/types';
import type { RegionRestorePoint } from '../operators/collectSink';
import type { SourceSnapshot } from '../sources/SourceSubtask';
import type { TimerServiceSnapshot } from '../state/timers/InternalTimerService';
import type { KeyedStateSnapshot, KeyGroupFigures, StateStorageFigures } from '../state/types';
import type { BacklogAnnouncement, BufferShipment, CreditAnnouncement } from '../network/messages';
import type { ChannelLoss, ChannelResetSpec } from '../network/channelReset';
import type { ChannelSelection, RunConfig } from './runConfig';
import type { FailureInfo, RunEvent, SubtaskState } from './telemetry';
import type { StreamRecord, VirtualMs } from './types';
import type { SubtaskRef } from '../plan/executionGraph';

/** Bumped on any incompatible change; a TM refuses a deploy of another version. */
export const PROTOCOL_VERSION = 1;

/** Where one subtask runs. */
export interface SubtaskPlacement {
  operatorId: string;
  index: number;
  taskManager: number;
  /** Slot index within its TaskManager (slot sharing: one subtask per operator per slot). */
  slot: number;
}

/** What a TaskManager needs to host its part of the job. */
export interface PlanSlice {
  /**
   * The job's stable id (cluster/jobId.ts): names its state storage, e.g. the IndexedDB
   * database `sluice-state-<jobId>` (one database per job, DESIGN.md §5).
   */
  jobId: string;
  /** The validated job; the TM derives the ExecutionGraph and network wiring from it. */
  job: JobGraph;
  /** The resolved run configuration (seed, tick length, cost scale, channel selection…). */
  config: RunConfig;
  /** Every subtask of the plan, in ExecutionGraph order, with its TaskManager and slot. */
  placement: SubtaskPlacement[];
  /**
   * A fresh TaskManager taking a lost one's place (failover): its subtasks are built
   * `restarting`, announce no initial credit, and wait for the `restart-subtasks` command of
   * the restart tick, which rebuilds and restores them like their peers elsewhere.
   */
  recovering?: boolean;
}

/**
 * What one subtask contributes to a checkpoint (the handle its ack carries): plain data. The
 * keyed state itself stays in the state storage; `keyed` is its metadata handle.
 */
export interface SubtaskSnapshotHandle {
  /** Sources: partition offsets and reader state. */
  source?: SourceSnapshot;
  /** Operator-local state (a collect sink's transactions, …). */
  operator?: OperatorStateSnapshot;
  /** Keyed operators: the backend's handle. */
  keyed?: KeyedStateSnapshot;
  /** Keyed operators: timers (they are not in the keyed backend). */
  timers?: TimerServiceSnapshot;
  /**
   * A rescaled subtask (cluster/rescale.ts): the handles of every former subtask of its
   * operator; it restores its key groups, timers and source partitions from them.
   */
  rescaledFrom?: SubtaskSnapshotHandle[];
}

/** What a restarted subtask restores from (DESIGN.md §6). */
export interface SubtaskRestoreSpec {
  operatorId: string;
  index: number;
  /** The checkpoint whose snapshot it restores; 0: from the beginning (offset 0, empty state). */
  snapshotId: number;
  handle?: SubtaskSnapshotHandle;
  /** Collect sinks: the last checkpoint whose transactions the JobManager's output committed. */
  committedThrough?: number;
  /**
   * A region-sharable committer: per region, the snapshot that region restores from and what
   * the JobManager's output committed of it (operators/collectSink.ts `recoverRegions`).
   */
  regions?: RegionRestorePoint[];
  /** The subtask had finished (its whole region had): it comes back finished, restoring nothing. */
  finished?: boolean;
  /** Its new execution attempt, as the JobManager counts them (absent: one more than before). */
  attempt?: number;
}

/** A subtask's ack as it travels in `tick-done`. */
export type SubtaskCheckpointAck = SubtaskAck<SubtaskSnapshotHandle>;

/** A subtask that could not snapshot a checkpoint. */
export interface CheckpointDecline {
  checkpointId: number;
  operatorId: string;
  index: number;
  message: string;
}

/** One TaskManager's traffic for another (or itself) produced at the end of one tick. */
export interface PeerBatch {
  from: number;
  to: number;
  /** The tick whose end produced it (-1: the initial credit at deploy); applied at `tick + 1`. */
  tick: number;
  /** Buffers for input channels hosted by `to`, per channel in sequence order. */
  shipments: BufferShipment[];
  /** Backlog announcements for input channels hosted by `to`. */
  backlogs: BacklogAnnouncement[];
  /** Credit from `from`'s input gates for output channels hosted by `to`. */
  credits: CreditAnnouncement[];
}

// ---- JobManager → TaskManager -------------------------------------------------------------

export interface DeployMessage {
  type: 'deploy';
  protocol: typeof PROTOCOL_VERSION;
  taskManager: number;
  taskManagers: number;
  slots: number;
  plan: PlanSlice;
  /** A replacement deployed mid-run (`plan.recovering`): the first tick it will run. */
  firstTick?: number;
  /** The deploying JobManager's leadership epoch (HA, src/engine/ha); absent: 0. */
  epoch?: number;
}

/**
 * A command applied at the start of a tick, before any subtask runs. Targets name subtasks
 * the receiving TM hosts (the JobManager sends each TM only its own).
 */
export type TaskManagerCommand =
  /** `slow-task`: multiply the subtask's per-record cost (1 restores it). */
  | { kind: 'set-slow-factor'; operatorId: string; subtask: number; factor: number }
  /** `kill-task`: the subtask fails now with this failure (reported back in `tick-done`). */
  | { kind: 'fail-task'; operatorId: string; subtask: number; failure: FailureInfo }
  /** Switch rebalance/rescale output gates (all, or those of one edge) to a selection. */
  | { kind: 'set-channel-selection'; selection: ChannelSelection; edgeId?: string }
  /** Inject barrier `checkpointId` at a source before it polls this tick (Flink `triggerCheckpoint`). */
  | {
    kind: 'trigger-checkpoint'; checkpointId: number; checkpointType: 'full' | 'incremental'; operatorId: string; subtask: number;
    /** Stop with this checkpoint (a rescale): the source emits nothing after the barrier (Flink's synchronous savepoint). */
    stop?: boolean;
  }
  /** The coordinator gave up on `checkpointId` at this subtask: stop aligning it, snapshot nothing for it. */
  | { kind: 'abort-checkpoint'; checkpointId: number; operatorId: string; subtask: number }
  /**
   * `checkpointId` completed: commit (collect sinks). `regions`, for a region-sharable
   * committer: each of its regions commits up to the snapshot it maps to in the checkpoint.
   */
  | {
    kind: 'notify-checkpoint-complete'; checkpointId: number; operatorId: string; subtask: number;
    regions?: { region: number; snapshotId: number }[];
  }
  /**
   * A region-sharable committer stays up while one of its regions restarts from `snapshotId`:
   * it aborts that region's transactions after the snapshot (their records come again).
   */
  | { kind: 'rewind-region'; operatorId: string; subtask: number; region: number; snapshotId: number }
  /** No retained checkpoint needs keyed-state versions older than `checkpointId`: fold them (every hosted keyed backend). */
  | { kind: 'release-snapshots'; before: number }
  /** A failover: these subtasks stop now and wait, `restarting`, for their restart. */
  | { kind: 'cancel-subtasks'; subtasks: SubtaskRef[] }
  /**
   * The restart: each subtask is rebuilt with fresh channels on both ends (their peers restart
   * with them: pipelined regions share no channels), restores from its spec, and runs again.
   * Anything still in flight on those channels is dropped.
   */
  | { kind: 'restart-subtasks'; subtasks: SubtaskRestoreSpec[] }
  /**
   * Approximate local recovery (network/channelReset.ts): the channels between restarting and
   * live subtasks go `down` (the cancel tick) or come `up` (the restart tick) at whichever ends
   * this TM hosts; every live TM gets the same list, ascending by channel.
   */
  | { kind: 'reset-channels'; phase: 'down' | 'up'; channels: ChannelResetSpec[] };

export interface StartTickMessage {
  type: 'start-tick';
  tick: number;
  /** The tick covers virtual time [fromMs, toMs). */
  fromMs: VirtualMs;
  toMs: VirtualMs;
  commands: TaskManagerCommand[];
  /**
   * Ask for per-channel gauges in `tick-done` (the JobManager samples them every 100 virtual
   * ms rather than every tick; rates come from the cumulative counts).
   */
  reportChannels: boolean;
  /** Local host only: batches for this TM from tick-1, in sender TM order (with its own). */
  incoming?: PeerBatch[];
  /**
   * The sender's leadership epoch (HA fencing): a TaskManager that has seen a newer leader
   * rejects the tick (src/engine/ha). Absent: 0.
   */
  epoch?: number;
  /**
   * The last tick whose report the JobManager has processed: the TaskManager may forget its
   * reports up to it. Later ones it keeps, to hand to a new leader at reconciliation.
   */
  ackedTick?: number;
}

/**
 * A new JobManager leader (HA failover) asks a TaskManager that kept running what it runs
 * (src/engine/ha, DESIGN.md §6): answered by {@link ReconciledMessage}. From now on the
 * TaskManager rejects messages of older epochs.
 */
export interface ReconcileMessage {
  type: 'reconcile';
  epoch: number;
}

export interface CancelMessage {
  type: 'cancel';
}

/**
 * "What is this key's state?" for one hosted keyed subtask. Sent only between ticks; the JM
 * has already mapped the key to its key group, subtask and TaskManager.
 */
export interface LookupStateMessage {
  type: 'lookup-state';
  /** Echoed in the reply. */
  requestId: number;
  operatorId: string;
  subtask: number;
  keyGroup: number;
  /** The key as state/keyEncoding.ts `encodeKey` encodes it. */
  encodedKey: string;
}

/**
 * "Every row of this keyed subtask, a page at a time" (the state processor). Sent only between
 * ticks. Rows come in key-group order, within a key group ordered by `userKey`, then state
 * name (plain string order), so a page can resume after its last row.
 */
export interface ScanStateMessage {
  type: 'scan-state';
  /** Echoed in the reply. */
  requestId: number;
  operatorId: string;
  subtask: number;
  /** The first key group to read (inside the subtask's range). */
  fromKeyGroup: number;
  /** Resume inside `fromKeyGroup` after this row; absent: from its first row. */
  after?: [userKey: string, stateName: string];
  /** Most rows in the reply (at least 1). */
  limit: number;
  /** False: keys only, values left out (seed 2's state processor reads keys without values). */
  values: boolean;
}

export type JobManagerToTaskManager = DeployMessage | StartTickMessage | LookupStateMessage | ScanStateMessage | CancelMessage | ReconcileMessage;

// ---- TaskManager → JobManager -------------------------------------------------------------

export type DeployedMessage =
  | { type: 'deployed'; taskManager: number; ok: true; outgoing: PeerBatch[] }
  | { type: 'deployed'; taskManager: number; ok: false; failure: FailureInfo };

/** What one subtask did during one tick: deltas, except gauges (state, watermark). */
export interface SubtaskTickReport {
  operatorId: string;
  index: number;
  state: SubtaskState;
  /** Records consumed during the tick (sources: records generated). */
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  /** Virtual ms of the tick spent processing; the rest is idle or back-pressured. */
  busyMs: number;
  backPressuredMs: number;
  idleMs: number;
  /** The subtask's current output watermark (null before the first; Infinity at the end). */
  watermark: VirtualMs | null;
  slowFactor: number;
}

/** The sender's end of one output channel at the end of a tick (sampled on request). */
export interface ChannelTickReport {
  /** Global channel id (index in `allChannels(graph)`). */
  channel: number;
  /** Records written into the channel since deploy (cumulative). */
  recordsOut: number;
  backlog: number;
  credit: number;
}

/**
 * A collect sink subtask's output during one tick. `written` joins the pending (uncommitted)
 * records; then the first `committed` pending records, oldest first, become committed
 * (commits are always a prefix of what was written, as two-phase commit per checkpoint is).
 */
export interface SinkDelta {
  operatorId: string;
  index: number;
  written: StreamRecord[];
  committed: number;
  /** A region-sharable committer reports per region: the rest of this delta is that region's. */
  region?: number;
  /**
   * After a restore (two-phase commit recovery), applied first: keep only the oldest this-many
   * pending records, drop the rest (their records will be replayed). Absent: nothing dropped.
   */
  restoredPending?: number;
  /** The last checkpoint whose transactions this sink subtask committed (0: none). */
  committedThrough?: number;
  /**
   * Rolling 32-bit hash of everything this sink subtask has written, with event times
   * (computed where the records are, so the JobManager never re-reads them for the trace).
   */
  hash: number;
}

/** One hosted keyed subtask's state occupancy (sampled with the channel gauges). */
export interface SubtaskStateReport {
  operatorId: string;
  index: number;
  /** Non-empty key groups only, ascending. */
  keyGroups: KeyGroupFigures[];
  totalEntries: number;
}

/** A TaskManager's state figures at the end of a sampled tick. */
export interface TaskManagerStateReport {
  figures: StateStorageFigures;
  /** Hosted keyed subtasks, in plan order. */
  subtasks: SubtaskStateReport[];
}

/**
 * What one `release-snapshots` command folded away in one hosted keyed subtask, and what that
 * subtask's shards keep: the backend's own figures (`KeyedStateMetrics.gc`), not estimates.
 */
export interface SnapshotReleaseReport {
  operatorId: string;
  index: number;
  /** The command's `before`. */
  before: number;
  versionsReleased: number;
  rowsReleased: number;
  /** Approximate bytes (backends that measure them: IndexedDB). */
  bytesReleased?: number;
  versionsRetained: number;
  rowsRetained: number;
}

export interface TickDoneMessage {
  type: 'tick-done';
  taskManager: number;
  tick: number;
  /** One per hosted subtask, in plan order. */
  subtasks: SubtaskTickReport[];
  /** When asked (`reportChannels`): every output channel of a hosted subtask, in plan order. */
  channels: ChannelTickReport[];
  /** Events of the tick (subtask finished, log sink lines), in plan order. */
  events: RunEvent[];
  /** Collect sinks that wrote or committed something. */
  sinks: SinkDelta[];
  /** Subtasks that failed during the tick (user function error, kill-task), or the state storage. */
  failures: FailureInfo[];
  /**
   * Snapshots finished during the tick, in plan order; an ack travels in the same tick-done as
   * the sink delta of the records its snapshot covers, never earlier.
   */
  checkpointAcks: SubtaskCheckpointAck[];
  checkpointDeclines: CheckpointDecline[];
  /** When asked (`reportChannels`): the state storage's figures and keyed subtasks' key groups. */
  state?: TaskManagerStateReport;
  /** Approximate local recovery: what this TM's ends of reset channels lost this tick (ascending by channel). */
  channelLosses?: ChannelLoss[];
  /** `release-snapshots` carried out during the tick: per hosted keyed subtask, in plan order. */
  snapshotReleases?: SnapshotReleaseReport[];
  /**
   * Local host: the batches for every TM (this one included) produced at the end of the
   * tick, in TM order. Multi-worker host: empty; batches went over the peer ports.
   */
  outgoing: PeerBatch[];
}

export interface CanceledMessage {
  type: 'canceled';
  taskManager: number;
}

export interface TaskManagerErrorMessage {
  type: 'tm-error';
  taskManager: number;
  failure: FailureInfo;
}

/** The answer to a {@link LookupStateMessage}. */
export type StateLookupReply =
  | {
    type: 'state-lookup'; taskManager: number; requestId: number; ok: true;
    /** The key's rows over all the subtask's states: `[stateName, userKey, value]`. */
    rows: [stateName: string, userKey: string, value: unknown][];
  }
  | { type: 'state-lookup'; taskManager: number; requestId: number; ok: false; failure: FailureInfo };

/** One hosted subtask as a TaskManager reports it at reconciliation. */
export interface ReconciledSubtask {
  operatorId: string;
  index: number;
  state: SubtaskState;
  /** 0 for the first execution; +1 at every restart (Flink's execution attempt number). */
  attempt: number;
}

/** One hosted collect sink subtask at reconciliation: what its destination holds uncommitted. */
export interface ReconciledSink {
  operatorId: string;
  index: number;
  /** The last checkpoint whose transactions it committed (0: none). */
  committedThrough: number;
  /** Records written and not committed (pre-committed transactions, then the open one), oldest first. */
  pending: StreamRecord[];
  /** Rolling hash of everything it wrote (SinkDelta.hash). */
  hash: number;
  /** A region-sharable committer: the same per region (its deltas are per region). */
  regions?: { region: number; committedThrough: number; pending: StreamRecord[] }[];
}

/** A TaskManager's answer to {@link ReconcileMessage}. */
export interface ReconciledMessage {
  type: 'reconciled';
  taskManager: number;
  epoch: number;
  /** The last tick it ran (-1: none yet). */
  lastTick: number;
  /** Hosted subtasks, in plan order. */
  subtasks: ReconciledSubtask[];
  sinks: ReconciledSink[];
  /** The highest checkpoint id it has seen (triggers, acks, declines, aborts, completions). */
  maxCheckpointId: number;
  /** Reports of ticks after the last acknowledged one (the old leader may never have read them), in tick order. */
  unacknowledged: TickDoneMessage[];
  /** Messages of older epochs it rejected so far (fencing). */
  staleRejected: number;
}

/** The answer to a {@link ScanStateMessage}. */
export type StateScanReply =
  | {
    type: 'state-scan'; taskManager: number; requestId: number; ok: true;
    /** `[keyGroup, stateName, userKey, value]` in scan order; value null when keys only. */
    rows: [keyGroup: number, stateName: string, userKey: string, value: unknown][];
    /** Where the next page starts; null once the subtask's last key group is done. */
    next: { keyGroup: number; after?: [userKey: string, stateName: string] } | null;
    /** Key groups read for this page. */
    keyGroupsRead: number;
  }
  | { type: 'state-scan'; taskManager: number; requestId: number; ok: false; failure: FailureInfo };

export type TaskManagerToJobManager =
  | DeployedMessage | TickDoneMessage | StateLookupReply | StateScanReply | CanceledMessage | TaskManagerErrorMessage | ReconciledMessage;

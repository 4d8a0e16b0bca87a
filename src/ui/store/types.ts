/**
 * The app's store shape: five slices (graph, selection, ui, library, run; STYLE.md habit 9)
 * combined into one zustand store.
 * Components read it with narrow selectors; every action delegates to a pure helper.
 */
import type { TakeoverReport } from '../run/clusterClient';
import type { HaStatus } from '../../workers/clusterApi';
import type { JobGraph, ValidationError } from '../../engine';
import type { ChannelSelection, RunConfig } from '../../engine/runtime/runConfig';
import type { CheckpointsReport, Fault, MetricsSnapshot, RecoveryReport, RunEventKind, RunStatus, SinkOutput } from '../../engine/runtime/telemetry';
import type { FaultLogEntry } from '../run/faults/faultLog';
import type { TimelineData } from '../run/timeline/timelineModel';
import type { OwnershipMemory, RescaleDiff } from '../run/viz/rescale';
import type { ClusterApi, EditedRestoreOptions, EditedRestoreReport, StartReport } from '../../workers/clusterApi';
import type { Remote } from 'comlink';
import type { EventLog } from '../model/runEvents';
import type { MetricsIndex } from '../model/runMetrics';
import type { Clipboard } from '../model/clipboard';
import type { History } from '../model/history';
import type { Theme } from '../model/regionsView';

export interface CommitOptions {
  /** Commits with the same key in a row form one undo step (one field focus, one drag). */
  coalesce?: string;
  /** The selection after the commit; by default the current one, pruned to what still exists. */
  select?: { operators: string[]; edge: string | null };
}

export interface GraphSlice {
  history: History;
  /** The open job (`history.present`), for narrow selectors. */
  job: JobGraph;
  /** Bumped whenever another job is opened (not on edits). */
  docVersion: number;
  commit(next: JobGraph, options?: CommitOptions): void;
  /** Opens a job as a new document: fresh history, empty selection. */
  openJob(job: JobGraph): void;
  undo(): void;
  redo(): void;
}

export interface SelectionSlice {
  /** Selected operator ids, in the order they were selected. */
  selectedOperators: string[];
  /** Selected edge id (`from->to`), if any. */
  selectedEdge: string | null;
  select(operators: string[], edge?: string | null): void;
  clearSelection(): void;
}

export type Dialog =
  | { type: 'library' }
  | { type: 'examples' }
  /** The scenario gallery (src/ui/scenario). */
  | { type: 'scenarios' }
  | { type: 'command-palette' }
  | { type: 'problems'; testId: string; title: string; intro: string; errors: ValidationError[] }
  | { type: 'share-link'; url: string };

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  message: string;
}

export interface UiSlice {
  /** True once the first job is open (the root then carries `data-testid="app-ready"`). */
  ready: boolean;
  theme: Theme;
  regionsPreview: boolean;
  /** Is the validation panel expanded (collapsed, it shows only its header and count)? */
  validationOpen: boolean;
  dialog: Dialog | null;
  toasts: Toast[];
  clipboard: Clipboard | null;
  setReady(ready: boolean): void;
  setTheme(theme: Theme): void;
  setRegionsPreview(on: boolean): void;
  setValidationOpen(open: boolean): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  toast(message: string, kind?: Toast['kind']): void;
  dismissToast(id: number): void;
  setClipboard(clipboard: Clipboard | null): void;
}

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface LibrarySlice {
  /** Library id of the open job, or null until it is first saved. */
  libraryId: string | null;
  saveStatus: SaveStatus;
  /** Epoch ms of the last successful save. */
  savedAt: number | null;
  setLibraryId(id: string | null): void;
  setSaveStatus(status: SaveStatus, savedAt?: number): void;
}

export type RunDockTab = 'output' | 'events' | 'cluster' | 'metrics' | 'state' | 'checkpoints' | 'inspector' | 'faults' | 'channels' | 'scenario';

/** What a timeline mark opened: a checkpoint in the Checkpoints panel, or the Events panel filtered. */
export type RunFocus =
  | { kind: 'checkpoint'; id: number }
  | { kind: 'events'; eventKind?: RunEventKind; operatorId?: string };

/**
 * Run slice: the run of the open job, if any. A run puts the app in run mode (`runActive`):
 * the canvas is read-only and shows live figures, the dock shows the run's panels. It stays in
 * run mode after the run fails or finishes, so its cause and output can be read, until Stop.
 * Actions call the cluster through one `ClusterSession`; the UI and `window.sluice` share them.
 */
export interface RunSlice {
  runActive: boolean;
  /** `{ state: 'idle' }` in design mode. */
  runStatus: RunStatus;
  runMetrics: MetricsSnapshot | null;
  /** `runMetrics` indexed for the canvas (entries shared across frames while unchanged). */
  runIndex: MetricsIndex | null;
  runLog: EventLog;
  /** Latest records and counts per sink id. */
  runOutputs: Readonly<Record<string, SinkOutput>>;
  /** The configuration edited in the run bar; after a start, the one the cluster runs with. */
  runConfig: RunConfig;
  /** The job as it was started (the canvas shows the same job, read-only). */
  runJob: JobGraph | null;
  runDockTab: RunDockTab;
  /** Latest checkpoint report (null until a frame carries one: checkpoints off or not yet). */
  runCheckpoints: CheckpointsReport | null;
  /** Recoveries of this run, oldest first (bounded). */
  runRecoveries: readonly RecoveryReport[];
  /** The timeline's bounded buffers (mutated in place; read with `runTimelineVersion`). */
  runTimeline: TimelineData | null;
  runTimelineVersion: number;
  /** Faults injected in this run, newest last, with the cluster's answer. */
  runFaults: readonly FaultLogEntry[];
  /** What a timeline mark asked the panels to show. */
  runFocus: RunFocus | null;
  /** Key-group ownership last seen per keyed operator, to tell when a rescale moved it. */
  runOwnership: OwnershipMemory;
  /** Rescales of keyed operators in this run, oldest first (bounded): ownership before and after. */
  runRescales: readonly RescaleDiff[];
  /** JobManager takeovers of this run (HA failover), oldest first, with their wall time. */
  runTakeovers: readonly TakeoverReport[];
  /** The JobManager was lost and its successor has not taken over yet. */
  runLeaderLost: boolean;
  /** JobManager HA status of the run, with the takeovers' wall times (`window.sluice.haStatus`). */
  runHaStatus(): Promise<HaStatusView>;
  /** Shows `focus` in its panel (switches the dock's tab). */
  focusRun(focus: RunFocus): void;
  /** Starts a checkpoint now; resolves to its id (rejects with the cluster's message). */
  triggerRunCheckpoint(): Promise<number>;
  /** Starts a run of the open job; resolves when the cluster is up (or with why it did not start). */
  startRun(config?: Partial<RunConfig>): Promise<StartReport>;
  /**
   * Resumes the open job's run saved before a reload or crash, from its last completed
   * checkpoint (ClusterApi.resumeSaved); resolves like `startRun`.
   */
  resumeSavedRun(overrides?: { paused?: boolean; speed?: number | 'max' }): Promise<StartReport>;
  /**
   * Restores the open job, edited since its run was saved, from that run's last completed
   * checkpoint (ClusterApi.restoreEdited); resolves like `startRun`, plus the id ↔ name mapping.
   */
  restoreEditedRun(options?: EditedRestoreOptions): Promise<EditedRestoreReport>;
  pauseRun(): Promise<RunStatus>;
  resumeRun(): Promise<RunStatus>;
  /** Runs exactly `ms` of virtual time, then pauses. */
  advanceRun(ms: number): Promise<RunStatus>;
  /** Stops the run, terminates its workers and returns to design mode. */
  stopRun(): Promise<RunStatus>;
  setRunSpeed(speed: number | 'max'): Promise<void>;
  setRunChannelSelection(selection: ChannelSelection): Promise<void>;
  injectFault(fault: Fault): Promise<void>;
  /** Edits the configuration for the next run (seed, cluster shape, …). */
  editRunConfig(patch: Partial<RunConfig>): void;
  setRunDockTab(tab: RunDockTab): void;
  /** Asks the running cluster something (status, metrics, output, events, trace hash). */
  queryRun<T>(label: string, fn: (api: Remote<ClusterApi>) => Promise<T>): Promise<T>;
  /** Is there a live connection to a cluster (a run that has not been stopped and has not crashed)? */
  runConnected(): boolean;
}

/** HaStatus as the UI shows it: plus each takeover's wall ms (kill → successor reconciled) and whether one is under way. */
export type HaStatusView = HaStatus & { takeovers: { generation: number; wallMs: number }[]; failingOver: boolean };

export type AppState = GraphSlice & SelectionSlice & UiSlice & LibrarySlice & RunSlice;

/**
 * Run slice: starts, drives and stops a run of the open job through one `ClusterSession`
 * (src/ui/run/clusterClient.ts), and keeps what the cluster reports. Telemetry frames arrive
 * at most ten times a wall second; each replaces the status, metrics and outputs and appends
 * its events to a bounded log. A session that ends on its own (worker crash, rejected control
 * call, no answer) turns the run into `failed` with the message, never into a silent hang.
 *
 * Both the run bar's commands and `window.sluice` call these actions: there is one path.
 */
import type { StateCreator } from 'zustand';
import type { JobGraph } from '../../engine';
import { DEFAULT_RUN_CONFIG, resolveRunConfig, type RunConfig } from '../../engine/runtime/runConfig';
import { jobIdOf } from '../../engine/cluster/jobId';
import type { MetricsSnapshot, RunStatus, SinkOutput, TelemetryFrame } from '../../engine/runtime/telemetry';
import type { Remote } from 'comlink';
import type { ClusterApi, EditedRestoreReport, StartReport } from '../../workers/clusterApi';
import { appendEvents, EMPTY_LOG } from '../model/runEvents';
import { indexMetrics } from '../model/runMetrics';
import { runBlocker } from '../model/runReadiness';
import { ClusterSession, errorMessage, type CallOptions, type ClientFailureCode, type WorkerFactory } from '../run/clusterClient';
import { validationOf } from './derived';
import { appendFault, describeFault, settleFault } from '../run/faults/faultLog';
import { frameCoalescer, vizInitialState, vizOnFrame, vizRecordTimeline, type FrameCoalescer } from './runViz';
import type { AppState, RunSlice } from './types';

export const IDLE_STATUS: RunStatus = Object.freeze({ state: 'idle', virtualTimeMs: 0 }) as RunStatus;

/** Wall ms the cluster may take to come up (it starts a worker per TaskManager and opens storage). */
export const START_TIMEOUT_MS = 30_000;
/** Wall ms a stop may take before the workers are terminated anyway. */
export const STOP_TIMEOUT_MS = 3_000;

/** StartReport code of a run that began but whose cluster failed while starting (it shows as failed). */
export const RUN_NOT_STARTED = 'run.notStarted';

const NO_RUN = 'No run is active. Press Run (Ctrl+Enter), or call window.sluice.start(), first.';

/** Sinks whose records the Output panel shows. */
function collectSinks(job: JobGraph | null): string[] {
  return job?.operators.filter((op) => op.kind === 'collect').map((op) => op.id) ?? [];
}

function designModeState(): Partial<AppState> {
  return { runTakeovers: [], runLeaderLost: false, runActive: false, runStatus: IDLE_STATUS, runMetrics: null, runIndex: null, runLog: EMPTY_LOG, runOutputs: {}, runJob: null, ...vizInitialState(null) };
}

export function createRunSlice(workerFactory?: WorkerFactory): StateCreator<AppState, [], [], RunSlice> {
  return (set, get) => {
    let session: ClusterSession | null = null;
    /** The session's telemetry coalescer: flushed before control answers are applied. */
    let frames: FrameCoalescer | null = null;
    const flushFrames = () => frames?.flushNow();

    const applySnapshot = (status: RunStatus, metrics: MetricsSnapshot | null, outputs: Record<string, SinkOutput>, frame?: TelemetryFrame, timelineMoved = false) =>
      set((s) => ({
        runStatus: status,
        ...(metrics ? { runMetrics: metrics, runIndex: indexMetrics(metrics, s.runIndex) } : {}),
        runOutputs: Object.keys(outputs).length > 0 ? { ...s.runOutputs, ...outputs } : s.runOutputs,
        runLog: frame ? appendEvents(s.runLog, frame.events) : s.runLog,
        ...(frame ? vizOnFrame(s, frame, timelineMoved) : {}),
      }));

    const failFromClient = (message: string, code: ClientFailureCode) => set((s) => {
      const at = s.runStatus.virtualTimeMs;
      return {
        runStatus: { state: 'failed', virtualTimeMs: at, failure: { code, message } },
        runLog: appendEvents(s.runLog, [{ virtualTimeMs: at, kind: 'run-failed', message }]),
      };
    });

    const openSession = (): ClusterSession => {
      session?.terminate();
      // Frames are sampled into the timeline as they come and applied to the store coalesced, in
      // an animation frame at most five times a second, so a burst of frames costs one render.
      let timelineMoved = false;
      frames?.cancel();
      const mineFrames = frameCoalescer((frame) => {
        const moved = timelineMoved;
        timelineMoved = false;
        if (session === mine) applySnapshot(frame.status, frame.metrics, frame.outputs, frame, moved);
      });
      frames = mineFrames;
      const mine: ClusterSession = new ClusterSession({
        onFrame: (frame) => {
          if (session !== mine) return;
          timelineMoved = vizRecordTimeline(get(), frame) || timelineMoved;
          mineFrames.push(frame);
        },
        onFatal: (message, code) => {
          if (session === mine) failFromClient(message, code);
        },
        onFailover: (event) => {
          if (session !== mine) return;
          if (event.phase === 'lost') set({ runLeaderLost: true });
          else {
            set((s) => ({ runLeaderLost: false, runTakeovers: [...s.runTakeovers, event.takeover] }));
            // The successor paces the run as its snapshot's config says; a speed chosen since then goes on.
            const speed = get().runConfig.speed;
            void mine.call('keep the speed', (api) => api.setSpeed(speed), { fatal: false }).catch(() => undefined);
          }
        },
      }, workerFactory);
      session = mine;
      return mine;
    };

    let nextFaultId = 1;

    const live = (): ClusterSession => {
      if (!session) throw new Error(NO_RUN);
      if (!session.alive) throw new Error(session.endMessage ?? NO_RUN);
      return session;
    };

    /** Reads status, metrics and outputs now (after a pause or step, when no frame may follow). */
    const refresh = async (current: ClusterSession) => {
      try {
        const sinks = collectSinks(get().runJob);
        const [status, metrics, ...outs] = await Promise.all([
          current.call('read the status', (api) => api.status(), { fatal: false }),
          current.call('read the metrics', (api) => api.metrics(), { fatal: false }),
          ...sinks.map((id) => current.call(`read the output of “${id}”`, (api) => api.output(id), { fatal: false })),
        ]);
        if (session !== current) return;
        flushFrames();
        const outputs: Record<string, SinkOutput> = {};
        sinks.forEach((id, i) => {
          const out = outs[i];
          if (out) outputs[id] = out;
        });
        applySnapshot(status, metrics, outputs);
      } catch (error) {
        // The next telemetry frame carries the same figures; a failed session reports itself.
        console.warn('Sluice: could not refresh the run figures.', error);
      }
    };

    const control = async (label: string, call: Parameters<ClusterSession['call']>[1], timeoutMs?: number, options: CallOptions = {}): Promise<RunStatus> => {
      const current = live();
      const status = (await current.call(label, call, timeoutMs === undefined ? options : { ...options, timeoutMs })) as RunStatus;
      if (session === current) {
        flushFrames();
        set({ runStatus: status });
      }
      return status;
    };

    /** Opens a session and starts (or resumes) a run of `job` through `begin`; see startRun. */
    const launch = async (job: JobGraph, config: RunConfig, begin: (api: Remote<ClusterApi>) => Promise<StartReport>): Promise<StartReport> => {
      // A run before this one is stopped politely (its workers release their storage) first.
      if (session?.alive) await get().stopRun();
      const current = openSession();
      set({ ...designModeState(), ...vizInitialState(job), runActive: true, runJob: job, runConfig: config, runStatus: { state: 'starting', virtualTimeMs: 0 } });
      try {
        await current.subscribe();
        const result = await current.call<StartReport>('start the cluster', begin, { timeoutMs: START_TIMEOUT_MS });
        if (session !== current) return result;
        if (!result.ok) {
          current.terminate();
          session = null;
          set(designModeState());
          return result;
        }
        set({ runConfig: result.config });
        const status = await current.call('read the status', (api) => api.status());
        if (session === current) {
          flushFrames();
          set({ runStatus: status });
        }
        return result;
      } catch (error) {
        // A failed session has already shown the run as failed, with this message.
        return { ok: false, errors: [{ path: '$', message: errorMessage(error), code: RUN_NOT_STARTED }] };
      }
    };

    return {
      runActive: false,
      runStatus: IDLE_STATUS,
      runMetrics: null,
      runIndex: null,
      runLog: EMPTY_LOG,
      runOutputs: {},
      runConfig: { ...DEFAULT_RUN_CONFIG },
      runJob: null,
      runDockTab: 'output',
      ...vizInitialState(null),

      startRun: async (config) => {
        const s = get();
        const resolved = resolveRunConfig(config ?? s.runConfig);
        if (!resolved.ok) return { ok: false, errors: resolved.errors.map((e) => ({ ...e, code: 'run.config' })) };
        const job = s.job;
        const report = validationOf(job);
        if (!report.ok) return { ok: false, errors: report.errors.map((e) => ({ path: e.path, message: e.message, code: e.code })) };
        const blocker = runBlocker(job, resolved.config, report);
        if (blocker) return { ok: false, errors: [{ path: '$', message: blocker, code: 'run.notRunnable' }] };
        return launch(job, resolved.config, (api) => api.start(job, resolved.config) as Promise<StartReport>);
      },

      resumeSavedRun: async (overrides) => {
        const job = get().job;
        return launch(job, get().runConfig, (api) => api.resumeSaved(jobIdOf(job), overrides ?? {}) as Promise<StartReport>);
      },

      restoreEditedRun: async (options) => {
        const job = get().job;
        const restore = (api: Remote<ClusterApi>) => api.restoreEdited(jobIdOf(job), job, options ?? {}) as Promise<StartReport>;
        return (await launch(job, get().runConfig, restore)) as EditedRestoreReport;
      },

      pauseRun: async () => {
        const status = await control('pause', (api) => api.pause());
        if (session) await refresh(session);
        return status;
      },

      resumeRun: () => control('resume', (api) => api.resume()),

      advanceRun: async (ms) => {
        if (!(typeof ms === 'number' && Number.isFinite(ms) && ms > 0)) {
          throw new Error(`advance(ms) needs a positive number of virtual milliseconds, not ${String(ms)}.`);
        }
        // A JobManager failover during the advance: the successor runs on to the same virtual time.
        const status = await control(`advance ${ms} ms`, (api) => api.advance(ms), 0, { onFailover: (api) => api.continueAdvance() });
        if (session) await refresh(session);
        return status;
      },

      stopRun: async () => {
        const current = session;
        const before = get().runStatus;
        let status: RunStatus = { state: 'stopped', virtualTimeMs: before.virtualTimeMs };
        if (current?.alive) {
          try {
            status = await current.call('stop', (api) => api.stop(), { timeoutMs: STOP_TIMEOUT_MS, fatal: false });
          } catch {
            // It is being terminated anyway.
          }
        }
        current?.terminate();
        if (session === current) {
          session = null;
          set(designModeState());
        }
        return status;
      },

      setRunSpeed: async (speed) => {
        set((s) => ({ runConfig: { ...s.runConfig, speed } }));
        if (session?.alive) await session.call('change the speed', (api) => api.setSpeed(speed));
      },

      setRunChannelSelection: async (selection) => {
        set((s) => ({ runConfig: { ...s.runConfig, channelSelection: selection } }));
        if (session?.alive) await session.call('switch the channel selection', (api) => api.setChannelSelection(selection));
      },

      injectFault: async (fault) => {
        const current = live();
        const id = nextFaultId++;
        const s = get();
        set({ runFaults: appendFault(s.runFaults, { id, virtualTimeMs: s.runStatus.virtualTimeMs, fault, label: describeFault(fault, s.runJob), outcome: 'pending' }) });
        try {
          await current.call(`inject ${fault.kind}`, (api) => api.inject(fault), { fatal: false, onFailover: 'refuse' });
          if (session === current) set((x) => ({ runFaults: settleFault(x.runFaults, id, 'applied') }));
        } catch (error) {
          if (session === current) set((x) => ({ runFaults: settleFault(x.runFaults, id, 'refused', errorMessage(error)) }));
          throw error;
        }
      },

      triggerRunCheckpoint: () => live().call('trigger a checkpoint', (api) => api.triggerCheckpoint(), { fatal: false, onFailover: 'refuse' }),

      runTakeovers: [],
      runLeaderLost: false,

      runHaStatus: async () => {
        const current = live();
        const status = await current.call('read the JobManager HA status', (api) => api.haStatus(), { fatal: false });
        return { ...status, takeovers: current.takeovers.map((t) => ({ generation: t.generation, wallMs: t.wallMs })), failingOver: get().runLeaderLost };
      },

      focusRun: (focus) => set({ runFocus: focus, runDockTab: focus.kind === 'checkpoint' ? 'checkpoints' : 'events' }),

      editRunConfig: (patch) => {
        if (get().runActive) return;
        set((s) => ({ runConfig: { ...s.runConfig, ...patch } }));
      },

      setRunDockTab: (runDockTab) => set({ runDockTab }),

      queryRun: (label, fn) => {
        try {
          return live().call(label, fn, { fatal: false });
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },

      runConnected: () => session?.alive ?? false,
    };
  };
}

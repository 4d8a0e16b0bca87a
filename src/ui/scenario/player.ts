/**
 * The Scenario panel's player: opens a scenario (gallery, file, recording), plays it as a
 * guided demo on the app's run, and runs it for `window.sluice.runScenario`. One runner for
 * all of it (`runScenario` of the engine); this module only paces and gates it:
 *
 * - pacing: the runner awaits `onProgress` after every advance, so sleeping there plays the
 *   run at a chosen speed (virtual ms per wall ms). Every advance is exact virtual time, so
 *   pacing, pausing and stepping never change the run or its result.
 * - pause and step: `onProgress` and `onNote` wait on a gate while paused; Step resumes and
 *   pauses again at the next narrated entry.
 *
 * Its state lives in a small zustand store of its own (one per app services), read by the
 * panel with `useScenario`.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { validateJob, type JobGraph } from '../../engine';
import {
  runScenario, validateScenario, type ActionOutcome, type Scenario, type ScenarioProblem, type ScenarioResult,
} from '../../engine/scenario';
import type { Services } from '../app/services';
import { errorMessage } from '../run/clusterClient';
import { appCluster, baselineCluster } from './clusters';
import { loadPublicJob } from './scenarioFiles';
import { paceDelayMs, progressStepFor, type PlaySpeed } from './timelineModel';

export type ScenarioPhase = 'empty' | 'opening' | 'ready' | 'playing' | 'paused' | 'comparing' | 'done' | 'error';

export interface Caption {
  index: number;
  atMs: number;
  text: string;
}

export interface ScenarioPlayState {
  scenario: Scenario | null;
  /** Where it came from: a gallery file name, an imported file name, or `recording`. */
  source: string | null;
  phase: ScenarioPhase;
  /** Virtual time the run has reached. */
  virtualMs: number;
  /** Narration reached so far, oldest first. */
  captions: Caption[];
  outcomes: ActionOutcome[];
  result: ScenarioResult | null;
  error: string | null;
  speed: PlaySpeed;
  /** Seed to play with instead of the scenario's (replaying a failure). */
  seed: number | null;
}

const EMPTY: Omit<ScenarioPlayState, 'speed' | 'seed'> = {
  scenario: null, source: null, phase: 'empty', virtualMs: 0, captions: [], outcomes: [], result: null, error: null,
};

/** A problem list that refused a scenario; `runScenario` rejects with it too. */
export class ScenarioOpenError extends Error {
  constructor(readonly errors: ScenarioProblem[]) {
    super(`The scenario cannot be opened. ${errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`).join(' ')}`);
    this.name = 'ScenarioOpenError';
  }
}

export class ScenarioPlayer {
  readonly store: StoreApi<ScenarioPlayState> = createStore<ScenarioPlayState>()(() => ({ ...EMPTY, speed: 1, seed: null }));
  private gate: { promise: Promise<void>; release(): void } | null = null;
  private stopAtNote = false;
  private signal = { aborted: false };
  private playing: Promise<ScenarioResult | null> | null = null;

  constructor(private readonly services: Services) {}

  private set(patch: Partial<ScenarioPlayState>): void {
    this.store.setState(patch);
  }

  /**
   * Validates `doc` and shows it: its job opens on the canvas and a run starts paused at 0 in
   * the Scenario tab, ready to play. Nothing runs until Play.
   * @throws ScenarioOpenError listing every problem (the panel shows them).
   */
  async open(doc: unknown, source: string): Promise<Scenario> {
    const report = validateScenario(doc);
    if (!report.ok || report.scenario === undefined) throw new ScenarioOpenError(report.errors);
    await this.abort();
    const scenario = report.scenario;
    this.set({ ...EMPTY, scenario, source, phase: 'opening', seed: null });
    try {
      const job = await this.jobOf(scenario);
      await this.services.documents.open(job, { libraryId: null, force: true });
      const s = this.services.store.getState();
      const { durationMs: _d, ...settings } = scenario.run;
      const started = await s.startRun({ ...settings, paused: true });
      if (!started.ok) throw new Error(started.errors.map((e) => `${e.path}: ${e.message}`).join(' '));
      this.services.store.getState().setRunDockTab('scenario');
      this.set({ phase: 'ready' });
    } catch (error) {
      this.set({ phase: 'error', error: errorMessage(error) });
    }
    return scenario;
  }

  /** Shows an already validated scenario (a recording) without touching the run; Play runs it. */
  async show(scenario: Scenario, source: string): Promise<void> {
    await this.abort();
    this.set({ ...EMPTY, scenario, source, phase: 'ready', seed: null });
  }

  private async jobOf(scenario: Scenario): Promise<JobGraph> {
    if (typeof scenario.job !== 'string') return scenario.job;
    const report = validateJob(await loadPublicJob(scenario.job));
    if (!report.ok || report.job === undefined) throw new Error(`${scenario.job} is not a valid job: ${report.errors[0]?.message ?? ''}`);
    return report.job;
  }

  /** Plays from the start, or resumes a paused play. */
  play(): void {
    const { phase } = this.store.getState();
    if (phase === 'paused') {
      this.stopAtNote = false;
      this.resumeGate();
      return;
    }
    if (phase === 'ready' || phase === 'done' || phase === 'error') void this.start(false);
  }

  pause(): void {
    if (this.store.getState().phase !== 'playing') return;
    this.set({ phase: 'paused' });
    this.closeGate();
  }

  /** Plays on to the next narrated entry and pauses there (starts the play if needed). */
  step(): void {
    const { phase } = this.store.getState();
    this.stopAtNote = true;
    if (phase === 'paused') this.resumeGate();
    else if (phase === 'ready' || phase === 'done' || phase === 'error') void this.start(true);
  }

  setSpeed(speed: PlaySpeed): void {
    this.set({ speed });
  }

  setSeed(seed: number | null): void {
    this.set({ seed });
  }

  /** Stops a play in progress (the run is left as it is, paused); resolves when it has ended. */
  async abort(): Promise<void> {
    this.signal.aborted = true;
    this.resumeGate();
    await this.playing?.catch(() => null);
  }

  /** Closes the scenario. */
  async close(): Promise<void> {
    await this.abort();
    this.set({ ...EMPTY });
  }

  /**
   * For `window.sluice.runScenario`: opens and runs `doc` at full speed, without pauses, and
   * resolves to its result. @throws ScenarioOpenError or the runner's ScenarioError.
   */
  async runNow(doc: unknown, source: string, seed?: number): Promise<ScenarioResult> {
    await this.open(doc, source);
    const opened = this.store.getState();
    if (opened.phase === 'error') throw new Error(opened.error ?? 'The scenario could not be opened.');
    this.set({ speed: 'max', seed: seed ?? null });
    const result = await this.start(false, true);
    if (result === null) throw new Error(this.store.getState().error ?? 'The scenario did not run to its end.');
    return result;
  }

  private start(stepping: boolean, rethrow = false): Promise<ScenarioResult | null> {
    const { scenario, seed } = this.store.getState();
    if (scenario === null) return Promise.resolve(null);
    this.signal = { aborted: false };
    const signal = this.signal;
    this.stopAtNote = stepping;
    this.gate = null;
    this.set({ phase: 'playing', virtualMs: 0, captions: [], outcomes: [], result: null, error: null });
    let lastMs = 0;
    let lastWall = performance.now();
    const run = runScenario(scenario, appCluster(this.services), {
      loadJob: loadPublicJob,
      baselineCluster: () => {
        if (signal === this.signal) this.set({ phase: 'comparing' });
        return baselineCluster();
      },
      ...(seed === null ? {} : { seed }),
      progressStepMs: progressStepFor(this.store.getState().speed),
      signal,
      onProgress: async (virtualMs) => {
        this.set({ virtualMs });
        const delay = paceDelayMs(virtualMs - lastMs, this.store.getState().speed, performance.now() - lastWall);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await this.waitIfPaused();
        lastMs = virtualMs;
        lastWall = performance.now();
      },
      onNote: async (text, entry, index) => {
        // A run that failed or finished early never reached this moment: its story is not told.
        if (entry.atMs > this.store.getState().virtualMs) return;
        this.set({ captions: [...this.store.getState().captions, { index, atMs: entry.atMs, text }] });
        if (this.stopAtNote && !signal.aborted) {
          this.set({ phase: 'paused' });
          this.closeGate();
          await this.waitIfPaused();
          lastWall = performance.now();
        }
      },
      onAction: (_entry, outcome) => {
        this.set({ outcomes: [...this.store.getState().outcomes, outcome] });
      },
    });
    const settled = run.then(
      (result) => {
        if (signal === this.signal) this.set({ phase: 'done', result, virtualMs: result.virtualTimeMs });
        return result;
      },
      (error: unknown) => {
        if (signal === this.signal) this.set({ phase: 'error', error: errorMessage(error) });
        if (rethrow) throw error;
        return null;
      },
    );
    this.playing = settled;
    return settled;
  }

  private closeGate(): void {
    if (this.gate !== null) return;
    let release = () => undefined as void;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gate = { promise, release };
  }

  private resumeGate(): void {
    const gate = this.gate;
    this.gate = null;
    if (this.store.getState().phase === 'paused') this.set({ phase: 'playing' });
    gate?.release();
  }

  private async waitIfPaused(): Promise<void> {
    while (this.gate !== null) await this.gate.promise;
  }
}

const players = new WeakMap<Services, ScenarioPlayer>();

/** The player of these app services (one per app). */
export function scenarioPlayer(services: Services): ScenarioPlayer {
  let player = players.get(services);
  if (player === undefined) {
    player = new ScenarioPlayer(services);
    players.set(services, player);
  }
  return player;
}

/** Reads the player's state with a narrow selector. */
export function useScenario<T>(player: ScenarioPlayer, selector: (state: ScenarioPlayState) => T): T {
  return useStore(player.store, selector);
}

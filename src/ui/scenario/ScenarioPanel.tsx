/**
 * The Scenario tab of the run dock: the open scenario as a guided demo. Its timeline drawn with
 * a playhead, narration captions as they are reached, Play/Pause, Step (on to the next
 * narrated entry), Stop, speed and seed, the result with every check, and "Save as scenario"
 * (the faults injected into this run, with what happened as expectations) and Export.
 *
 * Keys while the panel has focus: P play/pause, N next note, Escape stop.
 */
import { useState, type KeyboardEvent } from 'react';
import { useServices } from '../app/services';
import { errorMessage } from '../run/clusterClient';
import { useApp } from '../store/appStore';
import { downloadScenario } from './download';
import { scenarioPlayer, useScenario, type ScenarioPhase } from './player';
import { recordBlocker, scenarioFromRun } from './recording';
import { ScenarioResults } from './ScenarioResults';
import { ScenarioTimeline } from './ScenarioTimeline';
import { PLAY_SPEEDS, formatVirtualMs, type PlaySpeed } from './timelineModel';
import './scenario.css';

const PHASE_TEXT: Record<ScenarioPhase, string> = {
  empty: 'No scenario open',
  opening: 'Opening…',
  ready: 'Ready to play',
  playing: 'Playing',
  paused: 'Paused',
  comparing: 'Comparing with the failure-free run…',
  done: 'Done',
  error: 'Could not run',
};

function speedLabel(speed: PlaySpeed): string {
  return speed === 'max' ? 'max' : `${speed}×`;
}

export function ScenarioPanel() {
  const services = useServices();
  const player = scenarioPlayer(services);
  const scenario = useScenario(player, (s) => s.scenario);
  const source = useScenario(player, (s) => s.source);
  const phase = useScenario(player, (s) => s.phase);
  const virtualMs = useScenario(player, (s) => s.virtualMs);
  const captions = useScenario(player, (s) => s.captions);
  const outcomes = useScenario(player, (s) => s.outcomes);
  const result = useScenario(player, (s) => s.result);
  const error = useScenario(player, (s) => s.error);
  const speed = useScenario(player, (s) => s.speed);
  const seed = useScenario(player, (s) => s.seed);
  const canRecord = useApp((s) => recordBlocker({ job: s.runJob, status: s.runStatus }) === null);
  const [seedText, setSeedText] = useState('');

  const busy = phase === 'playing' || phase === 'comparing' || phase === 'opening';
  const canPlay = scenario !== null && (phase === 'ready' || phase === 'paused' || phase === 'done' || phase === 'error');
  const latest = captions[captions.length - 1];

  const record = async () => {
    const s = services.store.getState();
    try {
      const recoveries = await s.queryRun('read the recoveries', (api) => api.recoveries()).catch(() => undefined);
      const st = services.store.getState();
      const recorded = scenarioFromRun({
        job: st.runJob, config: st.runConfig, status: st.runStatus, faults: st.runFaults, outputs: st.runOutputs,
        ...(recoveries === undefined ? {} : { recoveries }),
      });
      await player.show(recorded, 'recording');
      st.toast(`Recorded “${recorded.name}”: play it to replay the run, or export it.`);
    } catch (e) {
      s.toast(`Save as scenario failed: ${errorMessage(e)}`, 'error');
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const key = e.key.toLowerCase();
    if (key === 'p') {
      if (phase === 'playing') player.pause();
      else if (canPlay) player.play();
    } else if (key === 'n') {
      if (scenario !== null && phase !== 'comparing' && phase !== 'opening') player.step();
    } else if (e.key === 'Escape') {
      if (busy || phase === 'paused') void player.abort();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="scenario-panel" data-testid="scenario-panel" data-phase={phase} onKeyDown={onKeyDown}>
      <header className="scenario-panel__bar">
        <div className="scenario-panel__title">
          <strong data-testid="scenario-name" title={scenario?.description}>{scenario?.name ?? 'Scenarios'}</strong>
          {source && <span className="muted mono">{source}</span>}
          <span className={`scenario-phase scenario-phase--${phase}`} data-testid="scenario-phase" aria-live="polite">
            {PHASE_TEXT[phase]}{scenario && phase !== 'empty' ? ` · ${formatVirtualMs(virtualMs)} of ${formatVirtualMs(scenario.run.durationMs)}` : ''}
            {result && result.state !== 'paused' ? ` · the run ${result.state} at ${formatVirtualMs(result.virtualTimeMs)}` : ''}
          </span>
        </div>
        <div className="scenario-panel__controls" role="toolbar" aria-label="Scenario controls">
          {phase === 'playing' ? (
            <button type="button" className="btn btn--primary" data-testid="scenario-pause" aria-keyshortcuts="P" title="Pause (P)" onClick={() => player.pause()}>❚❚ Pause</button>
          ) : (
            <button type="button" className="btn btn--primary" data-testid="scenario-play" aria-keyshortcuts="P" title="Play (P)" disabled={!canPlay} onClick={() => player.play()}>
              ▶ {phase === 'paused' ? 'Resume' : phase === 'done' || phase === 'error' ? 'Play again' : 'Play'}
            </button>
          )}
          <button type="button" className="btn" data-testid="scenario-step" aria-keyshortcuts="N" title="Play on to the next narrated entry and pause there (N)"
            disabled={scenario === null || phase === 'comparing' || phase === 'opening'} onClick={() => player.step()}>» Next note</button>
          <button type="button" className="btn" data-testid="scenario-stop" aria-keyshortcuts="Escape" title="Stop playing (Escape); the run stays paused"
            disabled={!(busy || phase === 'paused')} onClick={() => void player.abort()}>■ Stop</button>
          <label className="scenario-panel__field" title="Virtual time per wall time while playing; max runs as fast as the machine can">
            Speed
            <select data-testid="scenario-speed" value={String(speed)} onChange={(e) => player.setSpeed(e.target.value === 'max' ? 'max' : Number(e.target.value) as PlaySpeed)}>
              {PLAY_SPEEDS.map((s) => <option key={String(s)} value={String(s)}>{speedLabel(s)}</option>)}
            </select>
          </label>
          <label className="scenario-panel__field" title="Play with another seed (empty: the scenario's own)">
            Seed
            <input
              type="number" min={0} step={1} className="scenario-panel__seed" data-testid="scenario-seed" disabled={busy}
              placeholder={String(scenario?.run.seed ?? 1)} value={seedText}
              onChange={(e) => {
                setSeedText(e.target.value);
                const n = Number(e.target.value);
                player.setSeed(e.target.value !== '' && Number.isInteger(n) && n >= 0 ? n : null);
              }}
            />
          </label>
          <span className="scenario-panel__spacer" />
          <button type="button" className="btn" data-testid="scenario-open-gallery" title="Open a scenario from the gallery, or import a file"
            onClick={() => services.store.getState().openDialog({ type: 'scenarios' })}>Scenarios…</button>
          <button type="button" className="btn" data-testid="scenario-record" disabled={!canRecord || busy}
            title="Turn this run and the faults injected into it into a scenario, with what happened as its checks" onClick={() => void record()}>● Save as scenario</button>
          <button type="button" className="btn" data-testid="scenario-export" disabled={scenario === null}
            title="Download the scenario as a file" onClick={() => scenario && downloadScenario(scenario)}>Export</button>
        </div>
      </header>
      {scenario === null ? (
        <p className="dock__empty">
          Open a scenario from the gallery (Scenarios…), or inject faults into this run and save them as a scenario.
        </p>
      ) : (
        <>
          <ScenarioTimeline scenario={scenario} virtualMs={virtualMs} outcomes={outcomes} {...(latest ? { current: latest.index } : {})} />
          <div className="scenario-caption" data-testid="scenario-caption" aria-live="polite" data-index={latest?.index ?? -1}>
            {latest ? <><span className="scenario-caption__time mono">{formatVirtualMs(latest.atMs)}</span> {latest.text}</> : <span className="muted">Narration appears here as the scenario plays. Press Play, or Next note to go one step at a time.</span>}
          </div>
          {scenario.description && captions.length === 0 && <p className="scenario-panel__description">{scenario.description}</p>}
          {captions.length > 1 && (
            <details className="scenario-captions">
              <summary>Earlier narration ({captions.length - 1})</summary>
              <ol data-testid="scenario-captions">
                {captions.slice(0, -1).map((c) => <li key={`${c.index}`}><span className="mono muted">{formatVirtualMs(c.atMs)}</span> {c.text}</li>)}
              </ol>
            </details>
          )}
          {error && <p className="dialog__error" role="alert" data-testid="scenario-error">{error}</p>}
          {result && <ScenarioResults result={result} />}
          {seed !== null && !result && <p className="muted">Plays with seed {seed} instead of {scenario.run.seed ?? 1}.</p>}
        </>
      )}
    </div>
  );
}

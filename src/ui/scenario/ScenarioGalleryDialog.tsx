/**
 * The scenario gallery: a card per scenario of public/scenarios/index.json with its one-line
 * description, and "Import a scenario file…". Opening one validates it, opens its job and a
 * run paused at 0 in the Scenario tab; nothing plays until Play. An invalid file lists every
 * problem with its JSON path and changes nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useServices } from '../app/services';
import { Dialog } from '../dialogs/Dialog';
import { errorMessage } from '../run/clusterClient';
import { ScenarioOpenError, scenarioPlayer } from './player';
import { fetchScenario, fetchScenarioIndex, readScenarioFile, scenarioStem, type ScenarioEntry } from './scenarioFiles';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; entries: ScenarioEntry[] };

export function ScenarioGalleryDialog({ onClose }: { onClose(): void }) {
  const services = useServices();
  const player = scenarioPlayer(services);
  const fileInput = useRef<HTMLInputElement>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    fetchScenarioIndex()
      .then((entries) => live && setLoad({ state: 'ready', entries }))
      .catch((error: unknown) => live && setLoad({ state: 'error', message: errorMessage(error) }));
    return () => {
      live = false;
    };
  }, []);

  const refuse = (title: string, intro: string, errors: ScenarioOpenError['errors']) =>
    services.store.getState().openDialog({ type: 'problems', testId: 'scenario-errors', title, intro, errors });

  const openReport = async (report: Awaited<ReturnType<typeof readScenarioFile>>, source: string) => {
    if (!report.ok || report.scenario === undefined) {
      refuse(`${source} cannot be opened`, 'Nothing was run. Fix these problems in the scenario and open it again.', report.errors);
      return;
    }
    services.store.getState().closeDialog();
    await player.open(report.scenario, source);
  };

  const openEntry = async (entry: ScenarioEntry) => {
    try {
      await openReport(await fetchScenario(entry.file), entry.file);
    } catch (error) {
      services.store.getState().toast(errorMessage(error), 'error');
    }
  };

  const importFile = async (file: File) => {
    try {
      await openReport(await readScenarioFile(file), file.name);
    } catch (error) {
      services.store.getState().toast(`${file.name} could not be read: ${errorMessage(error)}`, 'error');
    }
  };

  return (
    <Dialog testId="scenario-gallery" title="Scenarios" onClose={onClose} wide>
      <p className="dialog__intro">
        Scripted failure stories: a job, a timeline of faults with narration, and checks. Opening one shows it in the
        Scenario tab, ready to play.
      </p>
      <div className="dialog__actions dialog__actions--start">
        <button type="button" className="btn" data-testid="scenario-import" onClick={() => fileInput.current?.click()}>
          Import a scenario file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="scenario-import-input"
          aria-label="Import a scenario file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </div>
      {load.state === 'loading' && <p className="dialog__intro">Loading scenarios…</p>}
      {load.state === 'error' && <p className="dialog__error" role="alert">{load.message}</p>}
      {load.state === 'ready' && (
        <ul className="gallery">
          {load.entries.map((entry, i) => (
            <li key={entry.file}>
              <button
                type="button"
                className="gallery__card"
                data-testid={`scenario-${scenarioStem(entry.file)}`}
                {...(i === 0 ? { 'data-autofocus': true } : {})}
                onClick={() => void openEntry(entry)}
              >
                <span className="gallery__name">{entry.name}</span>
                <span className="gallery__description">{entry.description}</span>
                <span className="gallery__file">{entry.file}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

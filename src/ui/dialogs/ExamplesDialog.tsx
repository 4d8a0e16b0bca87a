/** The example gallery: a card per job of public/jobs/index.json; opening one loads a copy. */
import { useEffect, useState } from 'react';
import { useServices } from '../app/services';
import { exampleStem, fetchExample, fetchExampleIndex, type ExampleEntry } from '../persistence/examples';
import { errorMessage } from '../persistence/libraryClient';
import { Dialog } from './Dialog';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; examples: ExampleEntry[] };

export function ExamplesDialog({ onClose }: { onClose(): void }) {
  const services = useServices();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    fetchExampleIndex()
      .then((examples) => live && setLoad({ state: 'ready', examples }))
      .catch((error: unknown) => live && setLoad({ state: 'error', message: errorMessage(error) }));
    return () => {
      live = false;
    };
  }, []);
  const open = async (entry: ExampleEntry) => {
    const s = services.store.getState();
    try {
      const report = await fetchExample(entry.file);
      if (!report.ok || !report.job) {
        s.openDialog({ type: 'problems', testId: 'example-errors', title: `${entry.name} cannot be opened`, intro: 'The example file has problems.', errors: report.errors });
        return;
      }
      if (await services.documents.open(report.job, { libraryId: null })) {
        s.closeDialog();
        s.toast(`Opened a copy of “${entry.name}”.`);
      }
    } catch (error) {
      s.toast(errorMessage(error), 'error');
    }
  };
  return (
    <Dialog testId="examples-dialog" title="Examples" onClose={onClose} wide>
      {load.state === 'loading' && <p className="dialog__intro">Loading examples…</p>}
      {load.state === 'error' && <p className="dialog__error" role="alert">{load.message}</p>}
      {load.state === 'ready' && (
        <>
          <p className="dialog__intro">Opening an example loads a copy into your library; the original stays as it is.</p>
          <ul className="gallery">
            {load.examples.map((entry) => (
              <li key={entry.file}>
                <button type="button" className="gallery__card" data-testid={`example-${exampleStem(entry.file)}`} onClick={() => void open(entry)}>
                  <span className="gallery__name">{entry.name}</span>
                  <span className="gallery__description">{entry.description}</span>
                  <span className="gallery__file">{entry.file}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

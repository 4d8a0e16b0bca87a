/** Wires the designer together: store, library, autosave, documents, effects, commands. */
import { runCommand } from '../commands/dispatch';
import { startAutosave } from '../persistence/autosave';
import { LibraryClient } from '../persistence/libraryClient';
import { createAppStore } from '../store/appStore';
import { Documents } from './documents';
import { createEffects } from './effects';
import type { Services } from './services';

export function createServices(): Services {
  const store = createAppStore();
  const library = new LibraryClient();
  const autosave = startAutosave(store, library);
  const documents = new Documents(store, autosave);
  const canvas: Services['canvas'] = { current: null };
  const importInput: Services['importInput'] = { current: null };
  const effects = createEffects({ store, library, autosave, documents, canvas, importInput });
  return {
    store, library, autosave, documents, canvas, importInput, effects,
    run: (id) => runCommand(store, effects, id),
  };
}

/** Renders the dialog the store says is open (one at a time). */
import { useApp, useAppStore } from '../store/appStore';
import { CommandPalette } from './CommandPalette';
import { ExamplesDialog } from './ExamplesDialog';
import { LibraryDialog } from './LibraryDialog';
import { ProblemsDialog } from './ProblemsDialog';
import { ShareLinkDialog } from './ShareLinkDialog';
import { ScenarioGalleryDialog } from '../scenario/ScenarioGalleryDialog';

export function DialogHost() {
  const store = useAppStore();
  const dialog = useApp((s) => s.dialog);
  const close = () => store.getState().closeDialog();
  if (!dialog) return null;
  switch (dialog.type) {
    case 'command-palette':
      return <CommandPalette onClose={close} />;
    case 'library':
      return <LibraryDialog onClose={close} />;
    case 'examples':
      return <ExamplesDialog onClose={close} />;
    case 'problems':
      return <ProblemsDialog testId={dialog.testId} title={dialog.title} intro={dialog.intro} errors={dialog.errors} onClose={close} />;
    case 'scenarios':
      return <ScenarioGalleryDialog onClose={close} />;
    case 'share-link':
      return <ShareLinkDialog url={dialog.url} onClose={close} />;
  }
}

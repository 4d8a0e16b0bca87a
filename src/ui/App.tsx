/** The designer's layout: top bar, palette, canvas, inspector, validation panel, overlays. */
import { Canvas } from './canvas/Canvas';
import { DialogHost } from './dialogs/DialogHost';
import { ImportInput } from './dialogs/ImportInput';
import { Inspector } from './inspector/Inspector';
import { Palette } from './palette/Palette';
import { ShortcutListener } from './commands/ShortcutListener';
import { useApp } from './store/appStore';
import { Toasts } from './toasts/Toasts';
import { TopBar } from './toolbar/TopBar';
import { ValidationPanel } from './validation/ValidationPanel';

export function App() {
  const ready = useApp((s) => s.ready);
  return (
    <div className="app" data-testid={ready ? 'app-ready' : 'app-loading'} aria-busy={!ready}>
      <TopBar />
      <Palette />
      <main className="app__canvas" aria-label="Job canvas">
        <Canvas />
      </main>
      <Inspector />
      <ValidationPanel />
      <DialogHost />
      <Toasts />
      <ImportInput />
      <ShortcutListener />
    </div>
  );
}

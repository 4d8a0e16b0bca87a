/**
 * The app's layout: top bar, run bar, palette, canvas, inspector, and under the canvas the
 * Problems panel (design mode) or the run panels (run mode); overlays.
 */
import { Canvas } from './canvas/Canvas';
import { DialogHost } from './dialogs/DialogHost';
import { ImportInput } from './dialogs/ImportInput';
import { Inspector } from './inspector/Inspector';
import { Palette } from './palette/Palette';
import { RunBar } from './run/RunBar';
import { RunDock } from './run/RunDock';
import { ResumeOffer } from './run/ResumeOffer';
import { ShortcutListener } from './commands/ShortcutListener';
import { useApp } from './store/appStore';
import { Toasts } from './toasts/Toasts';
import { TopBar } from './toolbar/TopBar';
import { ValidationPanel } from './validation/ValidationPanel';

export function App() {
  const ready = useApp((s) => s.ready);
  const running = useApp((s) => s.runActive);
  // The run no longer moves (failed, finished): its last rates are shown greyed.
  const ended = useApp((s) => s.runActive && ['failed', 'finished', 'stopped'].includes(s.runStatus.state));
  return (
    <div className={`app${running ? ' is-running' : ''}${ended ? ' is-ended' : ''}`} data-testid={ready ? 'app-ready' : 'app-loading'} aria-busy={!ready}>
      <TopBar />
      <RunBar />
      <Palette />
      <main className="app__canvas" aria-label="Job canvas">
        <Canvas />
      </main>
      <Inspector />
      {running ? <RunDock /> : <ValidationPanel />}
      <ResumeOffer />
      <DialogHost />
      <Toasts />
      <ImportInput />
      <ShortcutListener />
    </div>
  );
}

/** The top bar: wordmark, job name, save status, and the command buttons (Run lives in the run bar). */
import { useApp } from '../store/appStore';
import { regionsOf } from '../store/derived';
import { CommandButton } from './CommandButton';
import { JobNameInput } from './JobNameInput';
import { SaveStatus } from './SaveStatus';

function RegionsToggle() {
  const on = useApp((s) => s.regionsPreview);
  const reason = useApp((s) => {
    const result = regionsOf(s.job);
    return result.ok ? null : result.reason;
  });
  const title = reason ? `Regions preview (R) — unavailable: ${reason}` : 'Regions preview (R)';
  return <CommandButton id="toggle-regions" icon="regions" text="Regions" pressed={on} title={title} />;
}

function ThemeToggle() {
  const theme = useApp((s) => s.theme);
  return <CommandButton id="toggle-theme" icon={theme === 'dark' ? 'sun' : 'moon'} iconOnly title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`} />;
}

export function TopBar() {
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <svg className="topbar__logo" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M2 6h6l4 8h6M2 14h6l1.5-3M12.5 9L14 6h4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="topbar__wordmark">Sluice</span>
      </div>
      <JobNameInput />
      <SaveStatus />
      <nav className="topbar__tools" aria-label="Commands">
        <div className="btn-group" role="group" aria-label="Job">
          <CommandButton id="new" icon="new" text="New" />
          <CommandButton id="library" icon="library" />
          <CommandButton id="examples" icon="examples" />
          <CommandButton id="import" icon="import" iconOnly />
          <CommandButton id="export" icon="export" iconOnly />
          <CommandButton id="share" icon="share" iconOnly />
        </div>
        <div className="btn-group" role="group" aria-label="Edit">
          <CommandButton id="undo" icon="undo" iconOnly />
          <CommandButton id="redo" icon="redo" iconOnly />
          <CommandButton id="connect" icon="connect" iconOnly />
          <CommandButton id="delete" icon="delete" iconOnly />
        </div>
        <div className="btn-group" role="group" aria-label="View">
          <CommandButton id="auto-layout" icon="layout" text="Layout" />
          <CommandButton id="fit-view" icon="fit" iconOnly />
          <RegionsToggle />
        </div>
      </nav>
      <div className="topbar__end">
        <CommandButton id="command-palette" icon="search" iconOnly />
        <ThemeToggle />
      </div>
    </header>
  );
}

/**
 * The bottom dock in run mode (it takes the Problems panel's place): Output, Events, Cluster,
 * Metrics and State as tabs. Opening it (run mode's first open on the page) asks the browser to
 * keep Sluice's storage, whose answer the State panel shows. Tabs follow the WAI-ARIA pattern: arrows move between them, the panel
 * is focusable; the dock collapses to its tab row.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useApp, useAppStore } from '../store/appStore';
import type { RunDockTab } from '../store/types';
import { ClusterPanel } from './ClusterPanel';
import { EventsPanel } from './EventsPanel';
import { MetricsPanel } from './MetricsPanel';
import { OutputPanel } from './OutputPanel';
import { StatePanel } from './state/StatePanel';
import { ScenarioPanel } from '../scenario/ScenarioPanel';
import { requestStoragePersistence } from './state/useStoragePersistence';
import { CheckpointsPanel } from './checkpoints/CheckpointsPanel';
import { CheckpointInspector } from './inspector/CheckpointInspector';
import { FaultsPanel } from './faults/FaultsPanel';
import { ChannelsPanel } from './viz/ChannelsPanel';

const TABS: { id: RunDockTab; label: string }[] = [
  { id: 'output', label: 'Output' },
  { id: 'events', label: 'Events' },
  { id: 'cluster', label: 'Cluster' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'state', label: 'State' },
  { id: 'checkpoints', label: 'Checkpoints' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'faults', label: 'Faults' },
  { id: 'channels', label: 'Channels' },
  { id: 'scenario', label: 'Scenario' },
];

function EventCount() {
  const n = useApp((s) => s.runLog.events.length + s.runLog.dropped);
  const failures = useApp((s) => s.runStatus.state === 'failed');
  return <span className={`count-badge${failures ? ' count-badge--error' : ''}`}>{n}</span>;
}

export function RunDock() {
  const store = useAppStore();
  const tab = useApp((s) => s.runDockTab);
  const [open, setOpen] = useState(true);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => requestStoragePersistence(), []);

  const onKeyDown = (e: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const target = TABS[next];
    if (target) store.getState().setRunDockTab(target.id);
    tabs.current[next]?.focus();
  };

  return (
    <section className={`app__dock dock${open ? '' : ' is-collapsed'}`} data-testid="run-dock" aria-label="Run panels">
      <header className="dock__header">
        <div className="dock__tabs" role="tablist" aria-label="Run panels" onKeyDown={onKeyDown}>
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`run-tab-${t.id}`}
              className="dock__tab"
              data-testid={`run-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`run-panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => {
                store.getState().setRunDockTab(t.id);
                setOpen(true);
              }}
            >
              {t.label}
              {t.id === 'events' && <EventCount />}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn--icon validation__toggle"
          data-testid="run-dock-toggle"
          aria-expanded={open}
          aria-label={open ? 'Collapse the run panels' : 'Expand the run panels'}
          title={open ? 'Collapse' : 'Expand'}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▴'}
        </button>
      </header>
      {open && (
        <div className="dock__body" role="tabpanel" id={`run-panel-${tab}`} aria-labelledby={`run-tab-${tab}`} tabIndex={0}>
          {tab === 'output' && <OutputPanel />}
          {tab === 'events' && <EventsPanel />}
          {tab === 'cluster' && <ClusterPanel />}
          {tab === 'metrics' && <MetricsPanel />}
          {tab === 'state' && <StatePanel />}
          {tab === 'checkpoints' && <CheckpointsPanel />}
          {tab === 'inspector' && <CheckpointInspector />}
          {tab === 'faults' && <FaultsPanel />}
          {tab === 'channels' && <ChannelsPanel />}
          {tab === 'scenario' && <ScenarioPanel />}
        </div>
      )}
    </section>
  );
}

/**
 * Run-mode overlays of the canvas: the regions legend (each region's colour, number, size and
 * checkpoint status: ✓ acked, ↺ fell back, … in flight), a key to the cell glyphs and colours,
 * and the recovery banner that says in one line what the latest recovery did.
 */
import { memo, useMemo } from 'react';
import { Panel } from '@xyflow/react';
import { regionColours } from '../../model/regionsView';
import { formatVirtualTime } from '../../model/runFormat';
import { useApp } from '../../store/appStore';
import { regionsOf } from '../../store/derived';
import { recoveryCaption } from './recovery';
import { regionStatuses, regionStatusText, regionStatusTitle } from './regionStatus';
import { recentRecovery } from './vizSelectors';

/** Most regions listed in the legend. */
const MAX_LISTED = 24;

const RunRegionsLegend = memo(function RunRegionsLegend() {
  const job = useApp((s) => s.runJob);
  const theme = useApp((s) => s.theme);
  const report = useApp((s) => s.runCheckpoints);
  const recoveries = useApp((s) => s.runRecoveries);
  const regions = useMemo(() => (job ? regionsOf(job) : null), [job]);
  const statuses = useMemo(() => (regions?.ok ? regionStatuses(regions.regions, report, recoveries) : []), [regions, report, recoveries]);
  if (statuses.length === 0) return null;
  const listed = statuses.slice(0, MAX_LISTED);
  return (
    <Panel position="top-left" className="regions-legend viz-legend" data-testid="run-regions">
      <h2 className="panel-heading">{statuses.length} {statuses.length === 1 ? 'region' : 'regions'}</h2>
      <ul className="regions-legend__list">
        {listed.map((r) => {
          const colours = regionColours(r.region, theme);
          const failed = r.last && r.last.status === 'failed';
          return (
            <li key={r.region} data-testid={`region-${r.region}`} data-subtasks={r.subtasks} data-last-status={r.last?.status}
              data-in-flight={r.inFlight ? `${r.inFlight.acked}/${r.subtasks}` : undefined} title={regionStatusTitle(r)}
              className={failed ? 'is-fell-back' : undefined} style={{ borderLeftColor: colours.fill }}>
              <span className="subtask" style={{ background: colours.fill, color: colours.text }}>{r.region}</span>
              <span>{r.subtasks} {r.subtasks === 1 ? 'subtask' : 'subtasks'}</span>
              <span className="viz-legend__status mono">{regionStatusText(r)}</span>
              {r.restarts > 0 && <span className="viz-legend__restarts" title="Restarts">↻{r.restarts}</span>}
            </li>
          );
        })}
      </ul>
      {statuses.length > listed.length && <p className="regions-legend__more">+{statuses.length - listed.length} more regions</p>}
      <p className="viz-legend__key" data-testid="viz-key">
        <span className="viz-swatch viz-swatch--busy" /> busy <span className="viz-swatch viz-swatch--idle" /> idle{' '}
        <span className="viz-swatch viz-swatch--bp" /> back-pressured<br />
        ✕ failed · ↻ restarting · ⤓ restoring · ✓ finished · ■ canceled · ● acked · ◌ awaiting barrier · <span className="viz-origin-key">▢</span> backpressure origin
      </p>
    </Panel>
  );
});

const RecoveryBanner = memo(function RecoveryBanner() {
  const job = useApp((s) => s.runJob);
  const recovery = useApp(recentRecovery);
  if (!recovery) return null;
  const caption = recoveryCaption(recovery, job);
  return (
    <Panel position="bottom-center" className={`recovery-banner recovery-banner--${recovery.strategy}`} data-testid="recovery-banner"
      data-strategy={recovery.strategy} data-attempt={recovery.attempt} role="status" aria-live="polite">
      <span className="recovery-banner__icon" aria-hidden="true">{recovery.resumedMs === undefined ? '↻' : '✓'}</span>
      <span className="recovery-banner__text" data-testid="recovery-caption">{caption}</span>
      <span className="recovery-banner__cause muted">after {recovery.cause.message} · {formatVirtualTime(recovery.virtualTimeMs)}</span>
    </Panel>
  );
});

export function RunOverlay() {
  const running = useApp((s) => s.runActive);
  if (!running) return null;
  return (
    <>
      <RunRegionsLegend />
      <RecoveryBanner />
    </>
  );
}

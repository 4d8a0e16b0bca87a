/**
 * Run-mode overlays of the canvas: the regions legend (each region's colour, number, size and
 * checkpoint status: ✓ acked, ↺ fell back, … in flight; ✕ck fails its next checkpoint), a key
 * to the cell glyphs and colours, and the recovery banner that says in one line what the latest
 * recovery did.
 */
import { memo, useMemo, useState } from 'react';
import { Panel } from '@xyflow/react';
import { regionColours } from '../../model/regionsView';
import { formatVirtualTime } from '../../model/runFormat';
import { useApp, useAppStore } from '../../store/appStore';
import { DrainBanner } from '../faults/DrainBanner';
import { FailoverBanner } from '../faults/FailoverBanner';
import { describeFault } from '../faults/faultLog';
import { injectFromUi } from '../report';
import { runRegionsOf } from '../../store/derived';
import { recoveryCaption } from './recovery';
import { bandColour, rescaleCaption, type OwnershipBand, type RescaleDiff } from './rescale';
import { regionStatuses, regionStatusText, regionStatusTitle } from './regionStatus';

/** Most regions listed in the legend. */
const MAX_LISTED = 24;

const RunRegionsLegend = memo(function RunRegionsLegend() {
  const store = useAppStore();
  const job = useApp((s) => s.runJob);
  const live = useApp((s) => s.runActive && ['running', 'paused', 'restarting'].includes(s.runStatus.state));
  const theme = useApp((s) => s.theme);
  const report = useApp((s) => s.runCheckpoints);
  const recoveries = useApp((s) => s.runRecoveries);
  const regions = useMemo(() => (job ? runRegionsOf(job) : null), [job]);
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
              <button type="button" className="btn btn--link viz-legend__fail" data-testid={`region-fail-checkpoint-${r.region}`} disabled={!live}
                title={`Fail the next checkpoint in region ${r.region}`} aria-label={`Fail the next checkpoint in region ${r.region}`}
                onClick={() => injectFromUi(store, describeFault({ kind: 'fail-checkpoint', region: r.region }, job), { kind: 'fail-checkpoint', region: r.region })}>✕ck</button>
            </li>
          );
        })}
      </ul>
      {statuses.length > listed.length && <p className="regions-legend__more">+{statuses.length - listed.length} more regions</p>}
      <details className="viz-legend__key" data-testid="viz-key">
        <summary>Key</summary>
        <span className="viz-swatch viz-swatch--busy" /> busy <span className="viz-swatch viz-swatch--idle" /> idle{' '}
        <span className="viz-swatch viz-swatch--bp" /> back-pressured<br />
        ✕ failed · ↻ restarting · ⤓ restoring · ✓ finished · ■ canceled<br />
        ● acked · ◌ awaiting barrier · <span className="viz-origin-key">▢</span> backpressure origin · underline: region<br />
        ✓ k: acked checkpoint k · ↺ k: fell back to k · … k: a/n in flight
      </details>
    </Panel>
  );
});

/**
 * Stays until the next recovery replaces it or it is dismissed: at max speed a few virtual
 * seconds pass in a blink, and a newcomer must still be able to read what happened.
 */
const RecoveryBanner = memo(function RecoveryBanner() {
  const job = useApp((s) => s.runJob);
  const recovery = useApp((s) => s.runRecoveries[s.runRecoveries.length - 1]);
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!recovery || dismissed === `${recovery.attempt}@${recovery.virtualTimeMs}`) return null;
  const caption = recoveryCaption(recovery, job);
  return (
    <Panel position="bottom-right" className={`recovery-banner recovery-banner--${recovery.strategy}`} data-testid="recovery-banner"
      data-strategy={recovery.strategy} data-attempt={recovery.attempt} role="status" aria-live="polite">
      <span className="recovery-banner__icon" aria-hidden="true">{recovery.resumedMs === undefined ? '↻' : '✓'}</span>
      <span className="recovery-banner__text" data-testid="recovery-caption">{caption}</span>
      <span className="recovery-banner__cause muted">after {recovery.cause.message} · {formatVirtualTime(recovery.virtualTimeMs)}</span>
      <button type="button" className="btn btn--icon recovery-banner__close" data-testid="recovery-banner-dismiss" aria-label="Dismiss"
        onClick={() => setDismissed(`${recovery.attempt}@${recovery.virtualTimeMs}`)}>×</button>
    </Panel>
  );
});

/** Key groups along x, one row before and one after: who owned which range. */
function OwnershipStrip({ diff }: { diff: RescaleDiff }) {
  const W = 220;
  const max = Math.max(1, ...diff.before.map((b) => b.keyGroupEnd + 1), ...diff.after.map((b) => b.keyGroupEnd + 1));
  const row = (bands: OwnershipBand[], y: number, label: string) => (
    <g>
      <text x={0} y={y + 10} className="rescale-strip__label">{label}</text>
      {bands.map((b) => {
        const x = 44 + (b.keyGroupStart / max) * W;
        const w = Math.max(1, ((b.keyGroupEnd - b.keyGroupStart + 1) / max) * W - 1);
        return (
          <g key={b.index}>
            <rect x={x} y={y} width={w} height={13} rx={2} style={{ fill: bandColour(b.index) }}>
              <title>{`#${b.index}: key groups ${b.keyGroupStart}–${b.keyGroupEnd}`}</title>
            </rect>
            {w >= 16 && <text x={x + w / 2} y={y + 10} textAnchor="middle" className="rescale-strip__index">#{b.index}</text>}
          </g>
        );
      })}
    </g>
  );
  return (
    <svg className="rescale-strip" width={44 + W} height={34} role="img"
      aria-label={`Key groups before: ${diff.before.map((b) => `#${b.index} ${b.keyGroupStart}–${b.keyGroupEnd}`).join(', ')}; after: ${diff.after.map((b) => `#${b.index} ${b.keyGroupStart}–${b.keyGroupEnd}`).join(', ')}`}>
      {row(diff.before, 1, 'before')}
      {row(diff.after, 19, 'after')}
    </svg>
  );
}

/** What the latest rescale did to key-group ownership, and that no state moved with it. */
const RescaleBanner = memo(function RescaleBanner() {
  const diff = useApp((s) => s.runRescales[s.runRescales.length - 1]);
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (!diff || dismissed === diff.seq) return null;
  return (
    <Panel position="top-center" className="rescale-banner" data-testid="rescale-banner" data-operator={diff.operatorId}
      data-from={diff.before.length} data-to={diff.after.length} data-rows-written={diff.rowsWritten ?? undefined}
      data-moved-key-groups={diff.movedKeyGroups} role="status" aria-live="polite">
      <span className="rescale-banner__icon" aria-hidden="true">⇄</span>
      <span className="rescale-banner__body">
        <span className="rescale-banner__text" data-testid="rescale-caption">{rescaleCaption(diff)}</span>
        <span className="rescale-banner__detail muted">
          {diff.movedKeyGroups} key groups changed owner at {formatVirtualTime(diff.virtualTimeMs)}; each subtask reads its new range where the rows already are
        </span>
        <OwnershipStrip diff={diff} />
      </span>
      <button type="button" className="btn btn--icon recovery-banner__close" data-testid="rescale-banner-dismiss" aria-label="Dismiss"
        onClick={() => setDismissed(diff.seq)}>×</button>
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
      <RescaleBanner />
      <DrainBanner />
      <FailoverBanner />
    </>
  );
}

/**
 * The legend of the regions preview: each region's number, colour and subtask count, or why
 * there is nothing to preview (an invalid or empty job).
 */
import { Panel } from '@xyflow/react';
import { regionColours } from '../model/regionsView';
import { useApp } from '../store/appStore';
import { useRegionsPreview } from '../store/useDerived';

/** Most regions listed; the rest are summarised. */
const MAX_LISTED = 200;

export function RegionsLegend() {
  const preview = useRegionsPreview();
  const theme = useApp((s) => s.theme);
  if (!preview) return null;
  if (!preview.ok) {
    return (
      <Panel position="top-left" className="regions-legend regions-legend--off" data-testid="regions-legend">
        <h2 className="panel-heading">Regions preview</h2>
        <p data-testid="regions-unavailable">{preview.reason}</p>
      </Panel>
    );
  }
  const { regions } = preview;
  const listed = regions.slice(0, MAX_LISTED);
  return (
    <Panel position="top-left" className="regions-legend" data-testid="regions-legend">
      <h2 className="panel-heading">
        {regions.length} pipelined {regions.length === 1 ? 'region' : 'regions'}
      </h2>
      <ul className="regions-legend__list">
        {listed.map((region) => {
          const colours = regionColours(region.id, theme);
          return (
            <li key={region.id} data-testid={`region-${region.id}`} data-subtasks={region.subtasks.length}>
              <span className="subtask" style={{ background: colours.fill, color: colours.text }}>{region.id}</span>
              <span>{region.subtasks.length} {region.subtasks.length === 1 ? 'subtask' : 'subtasks'}</span>
            </li>
          );
        })}
      </ul>
      {regions.length > listed.length && <p className="regions-legend__more">+{regions.length - listed.length} more regions</p>}
    </Panel>
  );
}

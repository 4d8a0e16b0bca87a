/**
 * The legend of the regions preview: each region's number, colour and subtask count, or why
 * there is nothing to preview (an invalid or empty job).
 */
import { useMemo } from 'react';
import { Panel } from '@xyflow/react';
import { regionColours } from '../model/regionsView';
import { RegionBalance } from '../regions/RegionBalance';
import { balanceNote } from '../regions/regionBalance';
import { useApp } from '../store/appStore';
import { useRegionsPreview } from '../store/useDerived';

/** Most regions listed; the rest are summarised. */
const MAX_LISTED = 200;

export function RegionsLegend() {
  const preview = useRegionsPreview();
  const theme = useApp((s) => s.theme);
  const job = useApp((s) => s.job);
  const note = useMemo(() => (preview?.ok ? balanceNote(job, preview.regions) : null), [job, preview]);
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
      <ul className={`regions-legend__list${note === null ? '' : ' regions-legend__list--partitions'}`}>
        {listed.map((region) => {
          const colours = regionColours(region.id, theme);
          const partitions = note?.balance.partitions.get(region.id);
          return (
            <li key={region.id} data-testid={`region-${region.id}`} data-subtasks={region.subtasks.length} data-partitions={partitions}>
              <span className="subtask" style={{ background: colours.fill, color: colours.text }}>{region.id}</span>
              <span>{region.subtasks.length} {region.subtasks.length === 1 ? 'subtask' : 'subtasks'}</span>
              {partitions !== undefined && <span className="regions-legend__partitions">· {partitions} {partitions === 1 ? 'partition' : 'partitions'}</span>}
            </li>
          );
        })}
      </ul>
      {regions.length > listed.length && <p className="regions-legend__more">+{regions.length - listed.length} more regions</p>}
      {note !== null && <RegionBalance note={note} />}
    </Panel>
  );
}

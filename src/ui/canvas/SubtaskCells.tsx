/**
 * The regions preview inside an operator: one cell per subtask, filled with its region's
 * colour and labelled with the region number (colour is never the only signal). Large
 * parallelisms draw the first cells and summarise the rest as "+N".
 */
import { useMemo } from 'react';
import { regionBySubtask, regionColours, subtaskKey, visibleCells } from '../model/regionsView';
import { useApp } from '../store/appStore';
import { useRegionsPreview } from '../store/useDerived';

export function SubtaskCells({ operatorId, parallelism }: { operatorId: string; parallelism: number }) {
  const preview = useRegionsPreview();
  const theme = useApp((s) => s.theme);
  const regions = preview?.ok ? preview.regions : null;
  const lookup = useMemo(() => (regions ? regionBySubtask(regions) : null), [regions]);
  if (!lookup) return null;
  const { indexes, hidden } = visibleCells(parallelism);
  return (
    <div className="subtasks" role="list" aria-label="Subtasks by region">
      {indexes.map((index) => {
        const region = lookup.get(subtaskKey(operatorId, index));
        const colours = region === undefined ? null : regionColours(region, theme);
        return (
          <span
            key={index}
            role="listitem"
            className="subtask"
            data-testid={`subtask-${operatorId}-${index}`}
            data-region={region}
            title={`Subtask ${index} — region ${region ?? '?'}`}
            style={colours ? { background: colours.fill, color: colours.text } : undefined}
          >
            {region ?? '?'}
          </span>
        );
      })}
      {hidden > 0 && <span className="subtask subtask--more" title={`${hidden} more subtasks`}>+{hidden}</span>}
    </div>
  );
}

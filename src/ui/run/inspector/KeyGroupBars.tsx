/**
 * One subtask's key groups in a checkpoint as bars across its key-group range: height by rows,
 * colour by origin — written by this checkpoint, or a shard version re-referenced from an
 * earlier one (incremental) — so "how much of this checkpoint is new" reads at a glance. Each
 * bar has a tooltip; the same figures are in the key-group table for keyboard and screen readers.
 */
import type { KeyGroupDetail, SubtaskDetail } from '../../../engine/checkpoint/inspect';

const WIDTH = 240;
const HEIGHT = 36;

export function versionText(g: KeyGroupDetail, checkpointId: number): string {
  if (g.origin === 'written') return `written by checkpoint ${checkpointId}`;
  return g.version === null ? 're-referenced from the base version (older than every retained checkpoint)' : `re-referenced from checkpoint ${g.version}`;
}

export function KeyGroupBars({ subtask, checkpointId, maxRows }: { subtask: SubtaskDetail; checkpointId: number; maxRows: number }) {
  const range = subtask.keyGroupRange;
  if (range === undefined) return null;
  const span = range.end - range.start + 1;
  const barWidth = Math.max(1, WIDTH / span);
  return (
    <svg className="inspector-bars" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img"
      aria-label={`Key groups ${range.start} to ${range.end}: ${subtask.keyGroups.length} hold rows`}
      data-testid={`inspector-bars-${subtask.index}`}>
      <rect x={0} y={HEIGHT - 1} width={WIDTH} height={1} className="inspector-bars__axis" />
      {subtask.keyGroups.map((g) => {
        const h = maxRows === 0 ? 0 : Math.max(2, Math.round((g.rows / maxRows) * (HEIGHT - 2)));
        return (
          <rect key={g.keyGroup} x={((g.keyGroup - range.start) / span) * WIDTH} y={HEIGHT - 1 - h} width={barWidth} height={h}
            className={`inspector-bars__bar inspector-bars__bar--${g.origin}`}>
            <title>{`key group ${g.keyGroup}: ${g.rows} rows${g.bytes === undefined ? '' : ` (~${g.bytes} bytes)`}, ${versionText(g, checkpointId)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
